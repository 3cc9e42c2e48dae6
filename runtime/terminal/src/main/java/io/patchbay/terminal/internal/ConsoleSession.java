package io.patchbay.terminal.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.function.BooleanSupplier;
import org.apache.felix.gogo.jline.Expander;
import org.apache.felix.gogo.jline.Highlighter;
import org.apache.felix.gogo.jline.Parser;
import org.apache.felix.gogo.jline.Shell;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Job;
import org.jline.builtins.Completers;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;

/**
 * One Gogo session on the terminal with its line reader: reads a line, runs it, prints its result
 * or one line {@code Error: <message>} (the failure stays in {@code $exception}), and reads the
 * next, until end of input (Ctrl-D at an empty prompt) or until the runtime stops. Ctrl-C while a
 * command runs interrupts it; at the prompt it discards the line. Anything else the line reader
 * throws ends the session by that exception, for {@link TerminalConsole} to start a new one.
 */
final class ConsoleSession {

    enum End {
        /** Ctrl-D at an empty prompt, or the terminal closed its input. */
        END_OF_INPUT,
        /** The framework is stopping (after {@code exit}, SIGTERM, or {@code stop 0}). */
        RUNTIME_STOPPING
    }

    private final CommandProcessor processor;
    private final Shell gogoShell;
    private final Terminal terminal;
    private final Path profile;
    private final BooleanSupplier runtimeStopping;
    private int linesRead;
    private volatile boolean executing;

    ConsoleSession(CommandProcessor processor, Shell gogoShell, Terminal terminal, Path profile,
            BooleanSupplier runtimeStopping) {
        this.processor = processor;
        this.gogoShell = gogoShell;
        this.terminal = terminal;
        this.profile = profile;
        this.runtimeStopping = runtimeStopping;
    }

    /** @return how many lines the operator entered in this session */
    int linesRead() {
        return linesRead;
    }

    /** @return whether a command of this session runs (rather than the console waiting for a line) */
    boolean executing() {
        return executing;
    }

    End run() throws InterruptedException {
        CommandSession session = processor.createSession(terminal.input(), terminal.output(), terminal.output());
        try {
            LineReader reader = newReader(session);
            // What Gogo's commands (complete, history, less, ...) look up in the session.
            session.put(Shell.VAR_TERMINAL, terminal);
            session.put(Shell.VAR_READER, reader);
            session.put(Shell.VAR_COMPLETIONS, new HashMap<>());
            session.put(Shell.VAR_PROCESSOR, processor);
            session.put(Shell.VAR_SESSION, session);
            sourceProfile(session);
            SignalHandler previousInterrupt = terminal.handle(Signal.INT, signal -> {
                Job job = session.foregroundJob();
                if (job != null) {
                    job.interrupt();
                }
            });
            SignalHandler previousSuspend = terminal.handle(Signal.TSTP, signal -> {
                Job job = session.foregroundJob();
                if (job != null) {
                    job.suspend();
                }
            });
            try {
                return readEvalLoop(session, reader);
            } finally {
                terminal.handle(Signal.INT, previousInterrupt);
                terminal.handle(Signal.TSTP, previousSuspend);
                saveHistory(reader);
            }
        } finally {
            session.close();
        }
    }

    private End readEvalLoop(CommandSession session, LineReader reader) throws InterruptedException {
        while (!runtimeStopping.getAsBoolean()) {
            String line;
            try {
                line = reader.readLine(Shell.getPrompt(session), Shell.getRPrompt(session), (Character) null, null);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return runtimeStopping.getAsBoolean() ? End.RUNTIME_STOPPING : End.END_OF_INPUT;
            }
            if (runtimeStopping.getAsBoolean()) {
                return End.RUNTIME_STOPPING;
            }
            linesRead++;
            if (!line.isBlank()) {
                executing = true;
                try {
                    execute(session, line);
                    awaitForegroundJob(session);
                } finally {
                    executing = false;
                }
            }
        }
        return End.RUNTIME_STOPPING;
    }

    /**
     * Runs the line as typed. Deliberately not {@code reader.getParsedLine()}: the line reader
     * leaves that null for a line that does not parse, and Gogo's own shell took the null for end
     * of input, so a typo stopped the runtime. Here Gogo parses the line again and a syntax error is
     * one more failed command.
     */
    private void execute(CommandSession session, String line) {
        PrintWriter out = terminal.writer();
        try {
            Object result = session.execute(line);
            session.put(Shell.VAR_RESULT, result);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception | StackOverflowError e) {
            // A closure that calls itself is a typo too: its StackOverflowError ends the command only.
            session.put(Shell.VAR_EXCEPTION, e);
            out.println("Error: " + TerminalConsole.describe(e));
        }
        out.flush();
    }

    /** A command resumed with {@code fg} runs on after execute returns: wait for it, as Gogo's shell does. */
    private static void awaitForegroundJob(CommandSession session) throws InterruptedException {
        Job job;
        while ((job = session.foregroundJob()) != null) {
            synchronized (job) {
                if (job.status() == Job.Status.Foreground) {
                    job.wait();
                }
            }
        }
    }

    private LineReader newReader(CommandSession session) {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("patchbay")
                .completer(new Completers.Completer(new SessionCompletion(session)))
                .highlighter(new Highlighter(session))
                .parser(new Parser())
                .expander(new Expander(session))
                // Where Gogo's own shell kept it, so an operator's history carries over.
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".gogo.history"))
                .build();
        reader.setOpt(LineReader.Option.AUTO_FRESH_LINE);
        return reader;
    }

    private void sourceProfile(CommandSession session) {
        if (profile == null) {
            return;
        }
        try {
            gogoShell.source(session, profile.toUri().toString());
        } catch (Exception e) {
            terminal.writer().println("patchbay: console profile " + profile + " failed: " + TerminalConsole.describe(e));
            terminal.flush();
        }
    }

    private static void saveHistory(LineReader reader) {
        try {
            reader.getHistory().save();
        } catch (IOException | RuntimeException e) {
            // Losing the history is no reason to disturb the operator.
        }
    }
}
