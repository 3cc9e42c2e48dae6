package io.patchbay.terminal.internal;

import java.io.IOError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.felix.gogo.jline.Shell;
import org.apache.felix.service.command.CommandProcessor;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo console on the runtime's own terminal. It runs only when the launcher found one
 * (framework property {@code patchbay.console.terminal=true}); the launcher then tells Gogo's own
 * shell neither to read the terminal nor ever to stop the framework, so this class alone decides
 * when the console ends. What the operator can rely on:
 * <ul>
 * <li>a line that does not parse, or a command that fails, prints one line, {@code Error: ...},
 *     and the prompt comes back ({@link ConsoleSession});</li>
 * <li>Ctrl-C discards the line being typed, or interrupts the command that runs; it never stops
 *     the runtime;</li>
 * <li>the runtime stops when the operator asks: {@code exit} (etc/gosh_profile) or Ctrl-D at an
 *     empty prompt;</li>
 * <li>if the console itself fails (its line reader throws), a new session starts on the same
 *     terminal, with one line saying so. After {@value #MAX_FAILED_SESSIONS} sessions in a row
 *     fail before a single line was read, the console gives up and the runtime carries on
 *     headless, with one line saying how to attach.</li>
 * </ul>
 */
@Component(immediate = true)
public class TerminalConsole {

    /** Framework property set by the launcher: whether standard input is a terminal. */
    static final String TERMINAL_PROPERTY = "patchbay.console.terminal";
    static final String DATA_PROPERTY = "patchbay.data";
    static final int MAX_FAILED_SESSIONS = 3;
    static final long STOP_WAIT_MILLIS = 5_000;
    static final int DEFAULT_COLUMNS = 80;
    static final int DEFAULT_ROWS = 24;

    private final BundleContext context;
    private final CommandProcessor processor;
    private final Shell gogoShell;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Terminal terminal;
    private volatile ConsoleSession current;

    /**
     * @param gogoShell Gogo registers its shell last, after the commands the profile uses
     *        ({@code complete} and the rest): once it is there, so are they
     */
    @Activate
    public TerminalConsole(@Reference CommandProcessor processor, @Reference Shell gogoShell, BundleContext context) {
        this.context = context;
        this.processor = processor;
        this.gogoShell = gogoShell;
        if (!Boolean.parseBoolean(context.getProperty(TERMINAL_PROPERTY))) {
            this.thread = null;
            return;
        }
        this.thread = new Thread(this::run, "patchbay-terminal-console");
        // Never the reason the JVM stays up: the launcher decides when it exits.
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (Terminal opened = openTerminal()) {
            terminal = opened;
            if (stopping) {
                return;
            }
            serve(opened);
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                System.err.println("patchbay: cannot open the terminal for the console (" + describe(e)
                        + "); the runtime carries on headless; attach with: patchbay console --data " + dataFolder());
            }
        }
    }

    private void serve(Terminal opened) {
        PrintWriter out = opened.writer();
        int failedInARow = 0;
        while (!stopping) {
            ConsoleSession session = new ConsoleSession(processor, gogoShell, opened, profile(), this::runtimeStopping);
            current = session;
            ConsoleSession.End end;
            try {
                end = session.run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOError e) {
                if (stopping) {
                    return;
                }
                failedInARow = session.linesRead() == 0 ? failedInARow + 1 : 1;
                if (failedInARow >= MAX_FAILED_SESSIONS) {
                    out.println("patchbay: the console failed " + failedInARow + " times in a row (" + describe(e)
                            + "); the runtime carries on headless; attach with: patchbay console --data "
                            + dataFolder());
                    out.flush();
                    return;
                }
                out.println("patchbay: the console failed (" + describe(e) + "); starting a new console session");
                out.flush();
                continue;
            }
            if (end == ConsoleSession.End.END_OF_INPUT && !runtimeStopping()) {
                // Ctrl-D at an empty prompt: the operator asks to stop, as with 'exit'.
                out.println("Stopping Patchbay...");
                out.flush();
                stopRuntime(out);
            }
            return;
        }
    }

    /**
     * The real terminal, through stty ('exec'): the launcher turns that provider off for everyone
     * else (so Gogo's own shell gets a dumb terminal it never reads), and this console turns it on.
     */
    private static Terminal openTerminal() throws IOException {
        Terminal opened = TerminalBuilder.builder()
                .name("patchbay")
                .system(true)
                .exec(true)
                .jna(false)
                .jansi(false)
                .nativeSignals(true)
                // A signal the console does not handle (Ctrl-Z between commands) is ignored,
                // never the JVM's default, which for Ctrl-C would stop the runtime.
                .signalHandler(Terminal.SignalHandler.SIG_IGN)
                .build();
        if (opened.getWidth() <= 0 || opened.getHeight() <= 0) {
            // A serial console (or a pty nobody sized) says 0 columns, and JLine would squeeze
            // the prompt and every line typed into none.
            opened.setSize(new Size(DEFAULT_COLUMNS, DEFAULT_ROWS));
        }
        return opened;
    }

    private void stopRuntime(PrintWriter out) {
        try {
            context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
        } catch (BundleException | IllegalStateException e) {
            out.println("patchbay: cannot stop the runtime: " + describe(e));
            out.flush();
        }
    }

    private boolean runtimeStopping() {
        if (stopping) {
            return true;
        }
        try {
            return (context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() & (Bundle.STOPPING | Bundle.RESOLVED)) != 0;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** Patchbay's profile, as Gogo's own shell would find it: {@code etc/gosh_profile} under gosh.home. */
    private Path profile() {
        String home = context.getProperty("gosh.home");
        if (home == null) {
            return null;
        }
        Path profile = Path.of(home, "etc", "gosh_profile");
        return Files.isRegularFile(profile) ? profile : null;
    }

    private String dataFolder() {
        String data = context.getProperty(DATA_PROPERTY);
        return data == null ? "DIR" : data;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    @Deactivate
    void stop() throws InterruptedException {
        stopping = true;
        if (thread == null) {
            return;
        }
        Terminal open = terminal;
        if (open != null) {
            try {
                // Gives the terminal its settings back (echo, line editing) for whatever runs on it next.
                open.close();
            } catch (IOException | RuntimeException e) {
                // stopping anyway; the JVM restores nothing better
            }
        }
        ConsoleSession session = current;
        if (session != null && session.executing()) {
            thread.interrupt();
            thread.join(STOP_WAIT_MILLIS);
        }
        // A thread waiting for a key stays blocked in a native read that neither closing the
        // terminal nor an interrupt ends; it is a daemon, and runs nothing it reads from now on.
    }
}
