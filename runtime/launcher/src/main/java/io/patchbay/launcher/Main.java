package io.patchbay.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code bin/patchbay}.
 * <ul>
 * <li>{@code patchbay [--data DIR] [--http-port N] [--api-port N]} runs the runtime (see {@link PatchbayRuntime});</li>
 * <li>{@code patchbay console [--data DIR] [-c COMMAND]} attaches to the running one (see
 *     {@link ConsoleClient});</li>
 * <li>{@code patchbay journal check|repair [--data DIR] ...} looks at and repairs a damaged
 *     journal without the framework (see {@link JournalCommand}).</li>
 * </ul>
 * Every refusal is one line on standard error, {@code patchbay: <what is wrong>}, and a non-zero
 * exit status: 2 for a wrong command line, 3 for an environment that does not allow the start,
 * 1 for a failure of the runtime itself.
 */
public final class Main {

    /** System property set by the start script: the distribution folder. */
    static final String HOME_PROPERTY = "patchbay.home";
    /** System property set by the start script: whether standard input is a terminal. */
    static final String INTERACTIVE_PROPERTY = "patchbay.interactive";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    static int run(List<String> args) {
        try {
            if (!args.isEmpty() && args.get(0).equals("console")) {
                return ConsoleClient.run(args.subList(1, args.size()), System.in, System.out, System.err);
            }
            if (!args.isEmpty() && args.get(0).equals("journal")) {
                return JournalCommand.run(args.subList(1, args.size()), System.out);
            }
            Path home = Path.of(System.getProperty(HOME_PROPERTY, "."));
            boolean interactive = Boolean.parseBoolean(System.getProperty(INTERACTIVE_PROPERTY, "false"));
            LaunchOptions options = LaunchOptions.parse(args, home, interactive);
            return new PatchbayRuntime(options, System.out).run();
        } catch (LaunchException e) {
            if (e.exitStatus() == 0) {
                System.out.println(e.getMessage());
            } else {
                System.err.println("patchbay: " + e.getMessage());
            }
            return e.exitStatus();
        }
    }
}
