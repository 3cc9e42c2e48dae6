package io.patchbay.engine.internal.config;

import org.osgi.service.log.Logger;

/**
 * Where the engine's components warn: to the OSGi Log Service through the {@link Logger} that
 * Declarative Services gave them (and so into the runtime's log file), or, in a framework without
 * a log service (the engine does not require one), on stderr as {@code patchbay: <message>}.
 */
public final class EngineLog {

    private EngineLog() {
    }

    /**
     * For what is said while the runtime stops, when the log service and the log file may already
     * be gone: logged when it can be, and always printed on stderr, where the operator who stopped
     * the runtime reads it.
     */
    public static void warnAtStop(Logger log, String message) {
        if (log != null) {
            log.warn(message);
        }
        System.err.println("patchbay: " + message);
    }

    public static void warn(Logger log, String message) {
        if (log != null) {
            log.warn(message);
        } else {
            System.err.println("patchbay: " + message);
        }
    }
}
