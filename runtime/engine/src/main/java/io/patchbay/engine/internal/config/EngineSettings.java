package io.patchbay.engine.internal.config;

import java.nio.file.Path;

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
}
