package io.patchbay.engine.internal.receive;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;

/**
 * A patch archive read within bounds: its manifest, the content of every resource entry, and
 * who signed each one ({@code null} entries in {@link #signers} mean unsigned).
 *
 * @param source   where it was read from
 * @param sha256   digest of the whole file
 * @param manifest the archive's manifest
 * @param entries  resource entries (everything outside META-INF/) by name, in archive order
 * @param signers  the signer certificate chains of each resource entry, by name
 */
public record ReceivedPatch(Path source, String sha256, Manifest manifest, Map<String, byte[]> entries,
        Map<String, List<List<X509Certificate>>> signers) {
}
