package io.patchbay.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line of {@code bin/patchbay}, parsed. Unknown options are refused rather than
 * ignored: an operator who mistypes {@code --data} must not get a fresh, empty runtime.
 *
 * @param home        the distribution folder (holds {@code bundles/})
 * @param data        the data folder: bundle cache, configuration, console socket
 * @param httpHost    the address the HTTP server binds to
 * @param httpPort    the HTTP port of the application
 * @param apiPort     the port of the HTTP management API (on the same host)
 * @param interactive run the Gogo console on this terminal; otherwise run headless
 */
public record LaunchOptions(Path home, Path data, String httpHost, int httpPort, int apiPort, boolean interactive) {

    public static final String USAGE =
            "usage: patchbay [--data DIR] [--http-port N] [--api-port N]   |   patchbay console [--data DIR] [-c COMMAND]";

    static final int DEFAULT_HTTP_PORT = 8080;
    static final int DEFAULT_API_PORT = 8081;
    static final String DEFAULT_HTTP_HOST = "127.0.0.1";

    /**
     * @param home        the distribution folder, given by the start script
     * @param interactive whether standard input is a terminal, as the start script saw it
     */
    public static LaunchOptions parse(List<String> args, Path home, boolean interactive) throws LaunchException {
        Path data = Path.of("data");
        int port = DEFAULT_HTTP_PORT;
        int apiPort = DEFAULT_API_PORT;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--data" -> data = Path.of(value(args, ++i, arg));
                case "--http-port" -> port = port(value(args, ++i, arg), arg);
                case "--api-port" -> apiPort = port(value(args, ++i, arg), arg);
                case "--headless" -> interactive = false;
                case "-h", "--help" -> throw new LaunchException(0, USAGE);
                default -> throw new LaunchException(LaunchException.USAGE,
                        "unknown option '" + arg + "'; " + USAGE);
            }
        }
        if (apiPort == port) {
            throw new LaunchException(LaunchException.USAGE, "--api-port and --http-port must differ (both are "
                    + port + "): the management API has a server of its own");
        }
        return new LaunchOptions(home.toAbsolutePath().normalize(), data.toAbsolutePath().normalize(),
                DEFAULT_HTTP_HOST, port, apiPort, interactive);
    }

    static String value(List<String> args, int index, String option) throws LaunchException {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new LaunchException(LaunchException.USAGE, "option " + option + " needs a value; " + USAGE);
        }
        return args.get(index);
    }

    private static int port(String text, String option) throws LaunchException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new LaunchException(LaunchException.USAGE,
                option + " needs a port number from 1 to 65535, not '" + text + "'");
    }
}
