package io.patchbay.engine.internal.config;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/**
 * Everything the engine is told from outside: limits, the trust store, the health gate's
 * timing, and where the data folder is. Built from the engine's configuration (PID
 * {@code io.patchbay.engine}) and the framework properties the launcher sets.
 *
 * @param dataFolder         Patchbay's own folder in the data folder (journal, store)
 * @param home               the distribution folder, where the initial bundles came from
 * @param trustStore         PKCS12 trust store of the certificates whose patches are accepted
 * @param trustStorePassword its password
 * @param allowUnsigned      accept unsigned patches (off by default)
 * @param maxPatchBytes      largest patch file accepted
 * @param maxEntries         most entries a patch may have
 * @param maxEntryBytes      largest expanded size of one entry
 * @param maxExpandedBytes   largest expanded size of all entries together
 * @param activationMillis   how long the health gate waits for bundles and components to come back
 * @param settleMillis       how long it then watches for framework errors
 * @param overlapMillis      handover: how long both versions serve before the old one stops
 * @param drainMillis        handover: how long calls inside the old version get to finish
 */
public record EngineSettings(
        Path dataFolder,
        Path home,
        Path trustStore,
        String trustStorePassword,
        boolean allowUnsigned,
        long maxPatchBytes,
        int maxEntries,
        long maxEntryBytes,
        long maxExpandedBytes,
        long activationMillis,
        long settleMillis,
        long overlapMillis,
        long drainMillis) {

    public static final long DEFAULT_MAX_PATCH_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_ENTRIES = 256;
    public static final long DEFAULT_MAX_ENTRY_BYTES = 64L << 20;
    public static final long DEFAULT_MAX_EXPANDED_BYTES = 256L << 20;

    /**
     * @return the settings from the engine's configuration and the framework properties
     * @throws IllegalStateException when the framework gives no data folder
     */
    public static EngineSettings of(BundleContext context, EngineConfig config) {
        Path data = EngineFiles.dataFolder(context);
        if (data == null) {
            throw new IllegalStateException("the framework gives the patch engine no place for its journal");
        }
        Path home = EngineFiles.home(context);
        Path trust = config.truststore_path().isBlank()
                ? (home == null ? null : home.resolve("etc/truststore.p12"))
                : Path.of(config.truststore_path());
        return new EngineSettings(data, home, trust, config.truststore_password(), config.allow_unsigned(),
                config.max_patch_bytes(), config.max_entries(), config.max_entry_bytes(), config.max_expanded_bytes(),
                config.activation_timeout_millis(), config.settle_millis(),
                Math.max(0, config.handover_overlap_millis()), Math.max(0, config.handover_drain_millis()));
    }
}
