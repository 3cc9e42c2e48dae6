package io.patchbay.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The built distribution run as an operator runs it: {@code bin/patchbay} as a separate process,
 * with standard input not a terminal (so headless), output captured to files. The management
 * API gets a free port of its own at every start.
 */
public final class RuntimeProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** What a finished command left behind. */
    public record Result(int exitStatus, String out, String err) {
    }

    private final Path home;
    private final Path data;
    private final int port;
    private final int apiPort;
    private final Path out;
    private final Path err;
    private Process process;

    private RuntimeProcess(Path home, Path data, int port, Path logs) {
        this.home = home;
        this.data = data;
        this.port = port;
        this.apiPort = FreePort.pickOtherThan(port);
        long started = System.nanoTime();
        this.out = logs.resolve("runtime-" + port + "-" + started + ".out");
        this.err = logs.resolve("runtime-" + port + "-" + started + ".err");
    }

    /** @return where the end-to-end tests keep the output of every process they run */
    public static Path logFolder() throws IOException {
        return Files.createDirectories(Path.of("target", "e2e-logs")).toAbsolutePath();
    }

    /**
     * Starts {@code bin/patchbay --data DATA --http-port PORT --api-port (a free one)} and waits until
     * {@code /status} answers.
     */
    public static RuntimeProcess start(Path data, int port, Path logs) throws Exception {
        return start(data, port, logs, Map.of());
    }

    /** The same, with extra environment variables (such as PATCHBAY_OPTS). */
    public static RuntimeProcess start(Path data, int port, Path logs, Map<String, String> environment) throws Exception {
        RuntimeProcess runtime = launch(data, port, logs, environment);
        try {
            Await.until("the runtime to serve /status on port " + port, START_TIMEOUT, () -> {
                if (!runtime.process.isAlive()) {
                    throw new AssertionError("runtime exited with " + runtime.process.exitValue() + ": " + runtime.err());
                }
                Http.Response response = Http.tryGet(port, "/status");
                return response != null && response.status() == 200;
            });
        } catch (Throwable e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    /** Starts {@code bin/patchbay} and returns at once, without waiting for HTTP. */
    public static RuntimeProcess launch(Path data, int port, Path logs, Map<String, String> environment)
            throws Exception {
        RuntimeProcess runtime = new RuntimeProcess(PatchbayTestConfiguration.distribution(), data, port, logs);
        ProcessBuilder builder = new ProcessBuilder(runtime.command("--data", data.toString(), "--http-port",
                Integer.toString(port), "--api-port", Integer.toString(runtime.apiPort)))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(runtime.out.toFile())
                .redirectError(runtime.err.toFile());
        builder.environment().putAll(environment);
        runtime.process = builder.start();
        return runtime;
    }

    /**
     * Starts {@code bin/patchbay} on a pseudo-terminal of its own, as an operator starts it at a
     * terminal (so with the console), and returns at once. It runs under {@code script} (util-linux,
     * Essential on Debian, so on every CI machine): what the test writes to {@link #terminalInput()}
     * is typed at that terminal, and {@link #out()} is everything the terminal showed.
     */
    public static RuntimeProcess launchOnTerminal(Path data, int port, Path logs, Map<String, String> environment)
            throws Exception {
        RuntimeProcess runtime = new RuntimeProcess(PatchbayTestConfiguration.distribution(), data, port, logs);
        String command = runtime.command("--data", data.toString(), "--http-port", Integer.toString(port),
                "--api-port", Integer.toString(runtime.apiPort)).stream()
                .map(arg -> "'" + arg.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        // -q no banner, -f flush as it comes, -e exit with the runtime's status, -c run this. The
        // pty has no size until told (the test's standard input is no terminal to copy it from).
        ProcessBuilder builder = new ProcessBuilder("script", "-qfec", "stty cols 120 rows 40 && exec " + command,
                "/dev/null")
                .redirectOutput(runtime.out.toFile())
                .redirectError(runtime.err.toFile());
        builder.environment().putAll(environment);
        runtime.process = builder.start();
        return runtime;
    }

    /** @return what is typed at the terminal of a runtime started by {@link #launchOnTerminal} */
    public OutputStream terminalInput() {
        return process.getOutputStream();
    }

    /** Waits for the process to end by itself. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("runtime did not stop within " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Runs {@code bin/patchbay ARGS} to completion (an attempt to start that should be refused, or a console). */
    public static Result run(Path logs, String... args) throws Exception {
        return run(List.of(), logs, args);
    }

    /**
     * Runs {@code bin/patchbay ARGS} to completion as another OS user, through util-linux
     * {@code runuser}; the test must run as root.
     */
    public static Result runAs(String user, Path logs, String... args) throws Exception {
        return run(List.of("runuser", "-u", user, "--"), logs, args);
    }

    /** Runs {@code bin/patchbay ARGS} to completion under the command {@code prefix} (runuser, strace). */
    static Result run(List<String> prefix, Path logs, String... args) throws Exception {
        Path home = PatchbayTestConfiguration.distribution();
        Path stdout = Files.createTempFile(logs, "run", ".out");
        Path stderr = Files.createTempFile(logs, "run", ".err");
        List<String> command = new ArrayList<>(prefix);
        command.add(home.resolve("bin/patchbay").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/patchbay " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /** {@code bin/patchbay console --data DATA -c COMMAND} against this runtime. */
    public Result console(Path logs, String command) throws Exception {
        return run(logs, "console", "--data", data.toString(), "-c", command);
    }

    /**
     * Starts {@code bin/patchbay console --data DATA -c COMMAND} against this runtime without
     * waiting for it, its output (standard error too) going to a file: for a command that a test
     * hook holds in the middle.
     */
    public Process consoleInBackground(String command, Path output) throws IOException {
        return new ProcessBuilder(home.resolve("bin/patchbay").toString(), "console", "--data", data.toString(), "-c",
                command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output.toFile())
                .redirectErrorStream(true)
                .start();
    }

    /** Sends SIGTERM, as systemd does, and waits for the process to end. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("runtime did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /**
     * Sends SIGTERM and waits at most that long for the process to end.
     *
     * @return whether it ended in time; if not, it is killed with SIGKILL
     */
    public boolean terminateWithin(Duration bound) throws InterruptedException {
        process.destroy();
        if (process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        process.destroyForcibly().waitFor();
        return false;
    }

    /** Kills the process with SIGKILL, as a power cut or the OOM killer would, and waits for it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int port() {
        return port;
    }

    /** @return the management API's port */
    public int apiPort() {
        return apiPort;
    }

    public Path data() {
        return data;
    }

    public long pid() {
        return process.pid();
    }

    public String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    public String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/patchbay").toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
