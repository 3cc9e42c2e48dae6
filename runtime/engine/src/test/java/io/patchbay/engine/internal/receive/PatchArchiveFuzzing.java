package io.patchbay.engine.internal.receive;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.patchbay.engine.internal.config.EngineSettings;
import io.patchbay.engine.internal.verify.PatchVerifier;
import io.patchbay.patch.PatchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;

/**
 * The fuzz target shared by the short fuzz test of every build and the long one of the
 * {@code fuzz} profile: whatever bytes arrive, reading and verifying a patch either succeeds or
 * ends in a {@link PatchException}; anything else thrown is a finding.
 */
final class PatchArchiveFuzzing {

    private static final EngineSettings SETTINGS = new EngineSettings(Path.of("unused"), null, null, "", true,
            1 << 20, 64, 1 << 20, 4 << 20, 0, 0, 0, 0);

    private PatchArchiveFuzzing() {
    }

    static void readAndVerify(FuzzedDataProvider data) {
        Path file = null;
        try {
            file = Files.createTempFile("fuzz", ".dp");
            if (data.consumeBoolean()) {
                Files.write(file, data.consumeRemainingAsBytes());
            } else if (!writeStructured(file, data)) {
                return;
            }
            try {
                ReceivedPatch received = new PatchReader(SETTINGS).read(file);
                new PatchVerifier(SETTINGS).verify(received);
            } catch (PatchException expected) {
                // a refusal is a correct answer to a bad patch
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temp file left behind is not a finding
                }
            }
        }
    }

    /** A zip whose manifest text, entry names and contents come from the fuzzer. */
    private static boolean writeStructured(Path file, FuzzedDataProvider data) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write(("Manifest-Version: 1.0\r\n" + data.consumeString(600)).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            int entries = data.consumeInt(0, 4);
            for (int i = 0; i < entries; i++) {
                zip.putNextEntry(new ZipEntry(data.consumeString(60)));
                zip.write(data.consumeBytes(400));
                zip.closeEntry();
            }
            return true;
        } catch (ZipException | IllegalArgumentException e) {
            // the fuzzer asked for something a zip cannot hold (a duplicate or empty name)
            return false;
        }
    }
}
