package io.patchbay.engine.internal.config;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** Where the engine keeps its files: {@code <data>/patchbay/journal.log} and {@code <data>/patchbay/store/}. */
public final class EngineFiles {

    /** Framework property set by the launcher: the data folder. */
    static final String DATA_PROPERTY = "patchbay.data";
    /** Framework property set by the launcher: the distribution folder. */
    static final String HOME_PROPERTY = "patchbay.home";

    private EngineFiles() {
    }

    /**
     * @return the engine's folder: in the launcher's data folder, or, in a framework the launcher
     *         did not start (a test), in the engine bundle's own storage area
     */
    public static Path dataFolder(BundleContext context) {
        String data = context.getProperty(DATA_PROPERTY);
        if (data == null || data.isBlank()) {
            java.io.File own = context.getDataFile("patchbay");
            return own == null ? null : own.toPath();
        }
        return Path.of(data).resolve("patchbay");
    }

    /** Framework property set by the launcher: the runtime's log file. */
    static final String LOG_FILE_PROPERTY = "patchbay.log.file";

    /**
     * @return the runtime's log file where the launcher says; in a framework the launcher did not
     *         start (a test), {@code log/patchbay.log} beside the engine's own folder
     */
    public static Path log(BundleContext context) {
        String file = context.getProperty(LOG_FILE_PROPERTY);
        if (file != null && !file.isBlank()) {
            return Path.of(file);
        }
        return dataFolder(context).getParent().resolve("log").resolve("patchbay.log");
    }

    public static Path home(BundleContext context) {
        String home = context.getProperty(HOME_PROPERTY);
        return home == null || home.isBlank() ? null : Path.of(home);
    }

    public static Path journal(Path dataFolder) {
        return dataFolder.resolve("journal.log");
    }

    public static Path store(Path dataFolder) {
        return dataFolder.resolve("store");
    }
}
