package io.patchbay.engine.internal.apply;

import io.patchbay.engine.internal.config.Faults;
import io.patchbay.engine.internal.ledger.BundleStore;
import java.io.IOException;
import java.io.InputStream;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Hands a jar from the store to the framework (an install or an update), which copies it into its
 * bundle cache. When that copy fails for an I/O reason (a full disk, a read-only file system), the
 * failure comes out as an {@link IOException} whose message is one line naming the cause and the
 * bundle, and which has no cause to dig into, so it reaches the operator as it is. A failure of the
 * bundle itself (its activator) comes out unchanged, for the health gate to judge.
 */
final class BundleCacheWrite {

    /** The framework call that reads the jar: {@code installBundle} or {@code update}. */
    interface Write<T> {
        T from(InputStream jar) throws BundleException, PatchCodeHungException;
    }

    private BundleCacheWrite() {
    }

    /**
     * @param bundle what is written, for the message: symbolic name and version
     */
    static <T> T fromStore(BundleContext context, BundleStore store, String hash, String bundle, Write<T> write)
            throws IOException, BundleException, PatchCodeHungException {
        try (InputStream jar = store.open(hash)) {
            try {
                Faults.atStart().failBundleCacheWriteIfAsked(context);
                return write.from(jar);
            } catch (BundleException e) {
                IOException cause = ioCause(e);
                if (cause == null || e.getType() == BundleException.ACTIVATOR_ERROR) {
                    throw e;
                }
                throw named(cause, bundle, e);
            } catch (IOException e) {
                throw named(e, bundle, e);
            }
        }
    }

    private static IOException named(IOException cause, String bundle, Exception original) {
        IOException named = new IOException(BundleSwapper.rootMessage(cause) + " while writing " + bundle
                + " to the framework's bundle cache");
        named.addSuppressed(original); // keeps the framework's trace for the log, outside the message
        return named;
    }

    /** @return the innermost I/O error in the chain, or null when the failure is not an I/O error */
    private static IOException ioCause(Throwable e) {
        IOException found = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io) {
                found = io;
            }
        }
        return found;
    }
}
