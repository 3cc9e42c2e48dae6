package io.patchbay.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code patch:log [-n N] [--follow] [--help]}: prints the last N lines (default 20) of the runtime's log
 * file, which the engine writes from the OSGi Log Service, where the launcher's framework property
 * {@code patchbay.log.file} says; with {@code --follow} it then prints each new line
 * as it is written, across rotations, until the command is interrupted (Ctrl-C).
 */
@Component(service = LogCommand.class, property = {"osgi.command.scope=patch", "osgi.command.function=log"})
public class LogCommand {

    /** How often --follow looks for new lines. */
    private static final long FOLLOW_POLL_MILLIS = 200;

    /** Framework property set by the launcher: the runtime's log file. */
    static final String LOG_FILE_PROPERTY = "patchbay.log.file";

    /** The log file, or null in a framework the launcher did not start. */
    private final Path file;

    @Activate
    public LogCommand(BundleContext context) {
        String name = context.getProperty(LOG_FILE_PROPERTY);
        this.file = name == null || name.isBlank() ? null : Path.of(name);
    }

    @Descriptor("show the last entries of the runtime's log (DATA/log/patchbay.log); --follow: then the new ones, until Ctrl-C")
    public void log(CommandSession session,
            @Descriptor("how many of the last lines to show") @Parameter(names = {"-n", "--lines"},
                    absentValue = "20") int lines,
            @Descriptor("go on showing new lines until interrupted") @Parameter(names = "--follow",
                    presentValue = "true", absentValue = "false") boolean follow,
            @Descriptor("show this text") @Parameter(names = CommandHelp.HELP_OPTION, presentValue = "true",
                    absentValue = "false") boolean help) throws IOException {
        if (help) {
            CommandHelp.print(LogCommand.class, "patch", "log", System.out);
            return;
        }
        if (lines < 0) {
            throw new IllegalArgumentException("patch:log -n needs a number of lines, 0 or more; it was " + lines);
        }
        if (file == null) {
            throw new IllegalStateException("patch:log has no log file to show: this framework was not started by the"
                    + " Patchbay launcher (" + LOG_FILE_PROPERTY + " is not set)");
        }
        PrintStream out = System.out;
        byte[] now = readOrEmpty(file);
        lastLines(new String(now, StandardCharsets.UTF_8), lines).forEach(out::println);
        out.flush();
        if (follow) {
            follow(file, now.length, out, session.getConsole());
        }
    }

    static List<String> lastLines(String text, int count) {
        Deque<String> last = new ArrayDeque<>();
        text.lines().forEach(line -> {
            last.addLast(line);
            if (last.size() > count) {
                last.removeFirst();
            }
        });
        return List.copyOf(last);
    }

    /**
     * Prints what is appended after {@code position}; a file shorter than that was rotated: read it
     * from its start. Ends when interrupted, or when a line cannot be written because the console
     * that asked is gone (an attached client that was stopped: noticed at the next line).
     */
    private static void follow(Path file, long position, PrintStream out, PrintStream console) throws IOException {
        StringBuilder partial = new StringBuilder();
        while (!Thread.currentThread().isInterrupted()) {
            long size = Files.exists(file) ? Files.size(file) : 0;
            if (size < position) {
                position = 0;
            }
            if (size > position) {
                try (InputStream in = Files.newInputStream(file)) {
                    in.skipNBytes(position);
                    byte[] added = in.readNBytes((int) Math.min(Integer.MAX_VALUE, size - position));
                    position += added.length;
                    partial.append(new String(added, StandardCharsets.UTF_8));
                }
                int end;
                while ((end = partial.indexOf("\n")) >= 0) {
                    out.println(partial.substring(0, end).stripTrailing());
                    partial.delete(0, end + 1);
                }
                out.flush();
                if (out.checkError() || console != null && console.checkError()) {
                    return;
                }
            }
            try {
                Thread.sleep(FOLLOW_POLL_MILLIS);
            } catch (InterruptedException e) {
                return; // Ctrl-C: the command ends
            }
        }
    }

    private static byte[] readOrEmpty(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }
}
