package io.patchbay.engine.internal;

import io.patchbay.patch.InstalledPackage;
import io.patchbay.patch.PatchBusyException;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The watched patch folder, {@code <data>/patches/}, another way in to the same
 * {@link PatchManager} as the console. Rules, in order:
 * <ol>
 * <li>A file in {@code incoming/} is taken only once it is complete: its size and modification
 *     time are the same on two looks in a row. Names starting with '.' or ending in
 *     {@code .part} or {@code .tmp} are ignored, so a writer may write under such a name and
 *     rename the file into place.</li>
 * <li>A complete file is moved to {@code processing/} (an atomic rename: the claim), then
 *     applied, with "folder:NAME" as the operator in the journal.</li>
 * <li>Afterwards it moves to {@code applied/}, or to {@code failed/} with {@code NAME.reason.txt}
 *     holding the one line a console would have printed. A file that arrives while another
 *     operation runs waits in {@code processing/} and is tried again.</li>
 * <li>At start, a file left in {@code processing/} by a stop or crash is looked at again: if its
 *     package is installed already it moves to {@code applied/}, otherwise it is applied (a crash
 *     mid-patch was undone by recovery). Nothing is lost and nothing is applied twice.</li>
 * </ol>
 */
@Component(immediate = true, configurationPid = "io.patchbay.folder")
@Designate(ocd = FolderConfig.class)
public class PatchFolderWatcher {

    static final String INCOMING = "incoming";
    static final String PROCESSING = "processing";
    static final String APPLIED = "applied";
    static final String FAILED = "failed";

    private final PatchManager patches;
    private final Path root;
    private final ScheduledExecutorService poller;
    /** What each waiting file looked like at the last look: size and modification time. */
    private final Map<Path, String> lastLook = new HashMap<>();

    @Activate
    public PatchFolderWatcher(@Reference PatchManager patches, BundleContext context, FolderConfig config)
            throws IOException {
        this.patches = patches;
        this.root = EngineFiles.patchFolder(context);
        if (!config.enabled() || root == null) {
            this.poller = null;
            return;
        }
        for (String folder : new String[] {INCOMING, PROCESSING, APPLIED, FAILED}) {
            Files.createDirectories(root.resolve(folder));
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "patchbay-patch-folder");
            thread.setDaemon(true);
            return thread;
        });
        poller.execute(this::resumeInterrupted);
        long period = Math.max(100, config.poll_millis());
        poller.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void stop() throws InterruptedException {
        if (poller != null) {
            // Let a patch in progress finish; it is in the journal either way.
            poller.shutdown();
            poller.awaitTermination(2, TimeUnit.MINUTES);
        }
    }

    private void resumeInterrupted() {
        for (Path file : files(root.resolve(PROCESSING))) {
            if (isInstalled(file)) {
                finish(file, APPLIED, null);
            } else {
                process(file);
            }
        }
    }

    /**
     * Whether the package this file declares is installed at the current level. Only its
     * manifest's name and version are read, without trusting them: a file that merely claims
     * to be an installed package is moved aside without anything being applied.
     */
    private boolean isInstalled(Path file) {
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            Manifest manifest = jar.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(PatchVerifier.DP_SYMBOLIC_NAME);
            String version = manifest == null ? null : manifest.getMainAttributes().getValue(PatchVerifier.DP_VERSION);
            if (name == null || version == null) {
                return false;
            }
            for (InstalledPackage installed : patches.installedPackages()) {
                if (installed.symbolicName().equals(name.trim())
                        && installed.version().equals(Version.parseVersion(version.trim()))) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    void poll() {
        try {
            for (Path file : files(root.resolve(PROCESSING))) {
                process(file); // waited for a busy engine
            }
            Map<Path, String> seen = new HashMap<>();
            for (Path file : files(root.resolve(INCOMING))) {
                String look = Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
                seen.put(file, look);
                if (look.equals(lastLook.get(file))) {
                    Path claimed = move(file, root.resolve(PROCESSING));
                    seen.remove(file);
                    process(claimed);
                }
            }
            lastLook.clear();
            lastLook.putAll(seen);
        } catch (IOException | RuntimeException e) {
            // A file vanished or moved under us; the next look sees the folder as it is then.
        }
    }

    private void process(Path file) {
        String reason;
        try {
            PatchOutcome outcome = patches.apply(file, options(file), ProgressListener.NONE);
            if (outcome.result() == PatchOutcome.Result.COMMITTED) {
                finish(file, APPLIED, null);
                return;
            }
            reason = "patch rolled back, the runtime is at level " + outcome.level() + " as before: " + outcome.reason();
        } catch (PatchBusyException e) {
            return; // stays in processing/ and is tried on the next look
        } catch (PatchException e) {
            reason = e.getMessage();
        }
        finish(file, FAILED, reason);
    }

    private void finish(Path file, String folder, String reason) {
        try {
            Path moved = move(file, root.resolve(folder));
            if (reason != null) {
                Files.writeString(moved.resolveSibling(moved.getFileName() + ".reason.txt"), reason + "\n",
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            // Left where it is; the operator sees it in processing/ and the journal has the outcome.
        }
    }

    private static PatchOptions options(Path file) {
        return new PatchOptions(false, false, "folder:" + file.getFileName());
    }

    private static Iterable<Path> files(Path folder) {
        java.util.List<Path> files = new java.util.ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.startsWith(".") && !name.endsWith(".part")
                        && !name.endsWith(".tmp") && !name.endsWith(".reason.txt")) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            // the folder is gone; nothing to do until it is back
        }
        files.sort(null);
        return files;
    }

    /** Moves a file into a folder, keeping its name unless that is taken. */
    private static Path move(Path file, Path folder) throws IOException {
        Path target = folder.resolve(file.getFileName());
        if (Files.exists(target)) {
            target = folder.resolve(System.currentTimeMillis() + "-" + file.getFileName());
        }
        try {
            return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(file, target);
        }
    }
}
