package io.patchbay.launcher;

import io.patchbay.attach.AttachProtocol;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Runs one Felix framework on one data folder until it stops.
 *
 * <p>Order of work, each step only after the previous one succeeded, so that a refused start
 * changes nothing: check the HTTP and management API ports are free, take the data folder's
 * lock, check the journal is readable (see {@link JournalCommand}) and the store jars the
 * recovery at start needs are intact (see {@link RecoveryJars}), create the
 * framework on the folder's bundle cache, install the initial bundle set only if the cache
 * does not hold it yet (a later boot starts what the cache holds, so patched bundles stay
 * patched), then start. SIGTERM (or any JVM shutdown) stops the framework cleanly first.
 */
final class PatchbayRuntime {

    /** Framework property: the data folder, for Patchbay's own bundles. */
    static final String DATA_PROPERTY = "patchbay.data";
    /** Framework property: the distribution folder (initial bundles, trust store). */
    static final String HOME_PROPERTY = "patchbay.home";
    /** Framework property: the Unix socket that {@code patchbay console} attaches to. */
    static final String CONSOLE_SOCKET_PROPERTY = "patchbay.console.socket";
    /** Framework property: the runtime's log file, for the engine that writes it and the command that shows it. */
    static final String LOG_FILE_PROPERTY = "patchbay.log.file";
    /** Framework property: the management API's port, for the management bundle. */
    static final String API_PORT_PROPERTY = "patchbay.api.port";
    /** Framework property: whether standard input is a terminal, for the terminal console bundle. */
    static final String CONSOLE_TERMINAL_PROPERTY = "patchbay.console.terminal";
    static final long STOP_TIMEOUT_MILLIS = 30_000;
    /**
     * Property of the service the patch engine registers when a patch's code does not return and the
     * operation was left to recovery (PatchManagerImpl.ABANDONED_PROPERTY); its value says why.
     */
    static final String ABANDONED_PROPERTY = "patchbay.operation.abandoned";
    /**
     * Felix's thread that changes start levels. Stopping the framework is a change to start level
     * 0 that waits for that thread; a bundle that killed it leaves a stop that never ends.
     */
    static final String START_LEVEL_THREAD = "FelixStartLevel";
    /** How often waiting for the framework to stop looks whether it can stop at all. */
    static final long STOP_LOOK_MILLIS = 500;
    /** Start of the one line said when the process ends without the framework having stopped. */
    static final String CANNOT_STOP = "stopping without waiting for the framework: ";

    private final LaunchOptions options;
    private final PrintStream out;
    /** Set by the shutdown hook, which then reports the stop itself. */
    private volatile boolean shutdownHookStopping;

    PatchbayRuntime(LaunchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** @return the process exit status */
    int run() throws LaunchException {
        // The ports first: a refusal for a port in use must not create a data folder either.
        checkPortFree(options.httpHost(), options.httpPort(), "HTTP", "--http-port");
        checkPortFree(options.httpHost(), options.apiPort(), "management API", "--api-port");
        try (DataFolder data = DataFolder.open(options.data())) {
            // Before anything starts: recovery and every operation trust the journal.
            JournalCommand.requireReadable(data.root());
            RecoveryJars.requireIntact(data.root());
            data.recordOwner();
            Framework framework = newFramework(data);
            try {
                framework.init();
                boolean firstBoot = !Files.exists(data.provisionedMarker());
                if (firstBoot) {
                    int installed = new InitialBundles(options.home()).installMissing(framework.getBundleContext());
                    Files.writeString(data.provisionedMarker(), "initial bundle set installed\n");
                    out.println("Patchbay: first boot, installed " + installed + " bundles into " + data.bundleCache());
                }
                Thread stopper = new Thread(() -> stopOnShutdown(framework), "patchbay-shutdown");
                Runtime.getRuntime().addShutdownHook(stopper);
                // Said before start: on a terminal the console prompt follows at once.
                out.println("Patchbay: HTTP on http://" + options.httpHost() + ":" + options.httpPort()
                        + "/, management API on http://" + options.httpHost() + ":" + options.apiPort()
                        + "/api/v1/, data folder " + data.root() + (options.interactive()
                                ? ". Type 'exit' or press Ctrl-D to stop."
                                : ", headless; attach with: patchbay console --data " + data.root()));
                long started = System.nanoTime();
                framework.start();
                if (!options.interactive()) {
                    out.println("Patchbay started in " + (System.nanoTime() - started) / 1_000_000 + " ms.");
                }
            } catch (BundleException | IOException e) {
                stopQuietly(framework);
                throw new LaunchException(LaunchException.FAILED, "cannot start the framework: " + e.getMessage(), e);
            } catch (LaunchException e) {
                stopQuietly(framework);
                throw e;
            }
            return awaitStop(framework);
        }
    }

    /**
     * Waits until the framework has stopped. A stop asked for from inside ({@code exit} or Ctrl-D on
     * the terminal, {@code stop 0} from an attached console) that can never finish, because a
     * patch's code holds a bundle or the start-level thread is gone, ends the process with one
     * line saying why instead, as the shutdown hook does on SIGTERM.
     */
    private int awaitStop(Framework framework) throws LaunchException {
        try {
            FrameworkEvent event;
            while ((event = framework.waitForStop(STOP_LOOK_MILLIS)).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                String cannotStop = framework.getState() == Framework.STOPPING && !shutdownHookStopping
                        ? cannotStop(framework) : null;
                if (cannotStop != null) {
                    throw new LaunchException(LaunchException.FAILED, CANNOT_STOP + cannotStop);
                }
            }
            if (event.getType() == FrameworkEvent.ERROR) {
                throw new LaunchException(LaunchException.FAILED, "framework stopped with an error: "
                        + (event.getThrowable() == null ? "unknown" : event.getThrowable().getMessage()));
            }
            if (!shutdownHookStopping) {
                out.println("Patchbay stopped.");
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LaunchException.FAILED;
        }
    }

    /**
     * Shutdown hook: a clean framework stop persists bundle states; then halt with status 0,
     * so that a supervisor (systemd) sees SIGTERM as the orderly stop it is.
     */
    private void stopOnShutdown(Framework framework) {
        if ((framework.getState() & (Framework.STARTING | Framework.ACTIVE)) == 0) {
            return;
        }
        shutdownHookStopping = true;
        String cannotStop = cannotStop(framework);
        if (cannotStop != null) {
            // Waiting would end only at the timeout. The journal is on disk, so this is no worse
            // than a crash, which the next start recovers from.
            System.err.println("patchbay: " + CANNOT_STOP + cannotStop);
            System.err.flush();
            return;
        }
        try {
            framework.stop();
            if (framework.waitForStop(STOP_TIMEOUT_MILLIS).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("patchbay: the framework did not stop within " + STOP_TIMEOUT_MILLIS / 1000 + " s");
                System.err.flush();
                return;
            }
            out.println("Patchbay stopped.");
            out.flush();
        } catch (BundleException | InterruptedException e) {
            System.err.println("patchbay: framework did not stop cleanly: " + e.getMessage());
            System.err.flush();
            return;
        }
        Runtime.getRuntime().halt(0);
    }

    /**
     * @return why the framework (active, or stopping) can never finish a stop, or null: the patch
     *         engine left an operation to recovery, or the start-level thread is gone while there
     *         are still start levels to go down (at level 0 a stopping framework needs it no more)
     */
    static String cannotStop(Framework framework) {
        String abandoned = abandonedOperation(framework);
        if (abandoned != null) {
            return abandoned;
        }
        int state = framework.getState();
        FrameworkStartLevel level = framework.adapt(FrameworkStartLevel.class);
        // The thread is looked at before the level: in an orderly stop it sets the level to 0 and
        // only then ends, so a level above 0 read after the thread was seen gone means it died
        // with levels still to go down. Read the other way round, a level read just before the
        // thread finished its last step looks like a killed thread.
        if ((state == Framework.ACTIVE || state == Framework.STOPPING) && level != null && !startLevelThreadRuns()
                && level.getStartLevel() > 0) {
            return "the framework's start-level thread (" + START_LEVEL_THREAD + ") is gone, killed by a bundle,"
                    + " so the framework cannot stop; the next start recovers as after a crash";
        }
        return null;
    }

    private static boolean startLevelThreadRuns() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(START_LEVEL_THREAD) && thread.isAlive());
    }

    /** @return why the patch engine left an operation to recovery, or null */
    private static String abandonedOperation(Framework framework) {
        try {
            ServiceReference<?>[] marks = framework.getBundleContext().getServiceReferences((String) null,
                    "(" + ABANDONED_PROPERTY + "=*)");
            return marks == null ? null : String.valueOf(marks[0].getProperty(ABANDONED_PROPERTY));
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
    }

    private Framework newFramework(DataFolder data) throws LaunchException {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, data.bundleCache().toString());
        config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(InitialBundles.APPLICATION_START_LEVEL));
        // Bundles installed later (patches) belong to the application level unless told otherwise.
        config.put("felix.startlevel.bundle", Integer.toString(InitialBundles.APPLICATION_START_LEVEL));
        config.put("felix.log.level", "1");
        // The OSGi Log Service lets INFO and above through (its default is WARN), so the runtime's
        // log file also has what recovery and the engine report.
        config.put("org.osgi.service.log.admin.loglevel", "INFO");
        config.put(DATA_PROPERTY, data.root().toString());
        config.put(LOG_FILE_PROPERTY, data.logFile().toString());
        config.put(HOME_PROPERTY, options.home().toString());
        data.runFolder();
        config.put(CONSOLE_SOCKET_PROPERTY, data.root().resolve(AttachProtocol.SOCKET_PATH_IN_DATA).toString());
        config.put("felix.cm.dir", data.configuration().toString());
        config.put("org.osgi.service.http.port", Integer.toString(options.httpPort()));
        config.put("org.apache.felix.http.host", options.httpHost());
        config.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        config.put(API_PORT_PROPERTY, Integer.toString(options.apiPort()));
        config.put("ds.loglevel", "warn");
        // Gogo's own shell never reads the terminal and never stops the framework: it took a line
        // that does not parse for end of input and stopped the runtime. On a terminal, Patchbay's
        // terminal console (io.patchbay.terminal) owns it and stops the runtime only when asked.
        config.put("gosh.args", "--nointeractive --noshutdown");
        config.put(CONSOLE_TERMINAL_PROPERTY, Boolean.toString(options.interactive()));
        // JLine registers its Ctrl-C handler through sun.misc.Signal; without it Ctrl-C at the
        // console is the JVM's SIGINT, and the runtime stops.
        config.put(Constants.FRAMEWORK_BOOTDELEGATION, "sun.misc");
        // Gogo reads these from system properties: Patchbay's profile in etc/. JLine's terminal
        // through stty ('exec') is off for everyone, so Gogo's own shell gets a dumb terminal (no
        // warning about it, no signal handlers of its own); the terminal console asks for it.
        System.setProperty("gosh.home", System.getProperty("gosh.home", options.home().toString()));
        System.setProperty("org.jline.terminal.dumb", "true");
        System.setProperty("org.jline.terminal.exec", "false");
        System.setProperty("org.jline.terminal.jna", "false");
        System.setProperty("org.jline.terminal.jansi", "false");
        for (String name : System.getProperties().stringPropertyNames()) {
            // -Dfelix.*, -Dorg.osgi.* and -Dorg.apache.felix.* on the java command line win over the defaults.
            if (name.startsWith("felix.") || name.startsWith("org.osgi.") || name.startsWith("org.apache.felix.")) {
                config.put(name, System.getProperty(name));
            }
        }
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new LaunchException(LaunchException.FAILED,
                        "no OSGi framework on the class path (lib/ is incomplete)"));
        return factory.newFramework(config);
    }

    /**
     * Refuses to start when something already listens on a port of ours: the HTTP bundle would
     * only log that it cannot bind, and the operator would find a runtime without its API.
     */
    static void checkPortFree(String host, int port, String what, String option) throws LaunchException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new LaunchException(LaunchException.ENVIRONMENT, what + " port " + port + " on " + host
                    + " is already in use; stop what holds it or choose another with " + option);
        }
    }

    private static void stopQuietly(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT_MILLIS);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            // already failing; the original error is the one to report
        }
    }
}
