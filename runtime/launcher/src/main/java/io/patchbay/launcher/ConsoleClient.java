package io.patchbay.launcher;

import io.patchbay.attach.AttachProtocol;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * {@code patchbay console [--data DIR] [-c COMMAND]}: attaches to the runtime that owns the
 * data folder, through its Unix domain socket ({@code DIR/run/console.sock}, owner-only).
 * With {@code -c} it runs one command, prints its output and exits with the command's status
 * (0 success, 1 failure), so shell scripts can rely on it. Without {@code -c} it reads command
 * lines from standard input until end of input or {@code exit}; detaching never stops the runtime.
 */
public final class ConsoleClient {

    static final String USAGE = "usage: patchbay console [--data DIR] [-c COMMAND]";
    static final String PROMPT = "patchbay> ";

    private ConsoleClient() {
    }

    public static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err)
            throws LaunchException {
        Path data = Path.of("data");
        String command = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--data" -> data = Path.of(value(args, ++i, arg));
                case "-c", "--command" -> command = value(args, ++i, arg);
                case "-h", "--help" -> throw new LaunchException(0, USAGE);
                default -> throw new LaunchException(LaunchException.USAGE, "unknown option '" + arg + "'; " + USAGE);
            }
        }
        data = data.toAbsolutePath().normalize();
        try (SocketChannel channel = connect(data)) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            DataOutputStream toRuntime = new DataOutputStream(Channels.newOutputStream(channel));
            byte[] hello = ("user=" + System.getProperty("user.name") + "\ncwd=" + Path.of("").toAbsolutePath())
                    .getBytes(StandardCharsets.UTF_8);
            AttachProtocol.write(toRuntime, AttachProtocol.HELLO, hello, 0, hello.length);
            if (command != null) {
                return execute(command, in, toRuntime, out, err);
            }
            return interactive(data, stdin, in, toRuntime, out, err);
        } catch (IOException e) {
            throw new LaunchException(LaunchException.FAILED, "lost the connection to the runtime: " + e.getMessage(), e);
        }
    }

    private static int interactive(Path data, InputStream stdin, DataInputStream in, DataOutputStream toRuntime,
            PrintStream out, PrintStream err) throws IOException {
        out.println("Attached to the Patchbay runtime of " + data + ". Type 'exit' or press Ctrl-D to detach.");
        BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        int status = 0;
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line = lines.readLine();
            if (line == null || line.trim().equals("exit") || line.trim().equals("quit")) {
                out.println();
                return status;
            }
            if (!line.isBlank()) {
                status = execute(line, in, toRuntime, out, err);
            }
        }
    }

    private static int execute(String command, DataInputStream in, DataOutputStream toRuntime, PrintStream out,
            PrintStream err) throws IOException {
        byte[] bytes = command.getBytes(StandardCharsets.UTF_8);
        AttachProtocol.write(toRuntime, AttachProtocol.COMMAND, bytes, 0, bytes.length);
        while (true) {
            AttachProtocol.Frame frame = AttachProtocol.read(in);
            if (frame == null) {
                throw new SocketException("the runtime closed the console connection");
            }
            switch (frame.type()) {
                case AttachProtocol.OUT -> {
                    out.write(frame.payload());
                    out.flush();
                }
                case AttachProtocol.ERR -> {
                    err.write(frame.payload());
                    err.flush();
                }
                case AttachProtocol.EXIT -> {
                    return frame.exitStatus();
                }
                default -> throw new IOException("unexpected console frame type " + frame.type());
            }
        }
    }

    private static SocketChannel connect(Path data) throws LaunchException {
        Path socket = data.resolve(AttachProtocol.SOCKET_PATH_IN_DATA);
        // A folder on the way that this user may not search hides the socket: say so, rather than
        // that no runtime is there, which this user cannot know.
        Path visible = socket.getParent();
        while (visible != null && !Files.exists(visible)) {
            visible = visible.getParent();
        }
        if (visible != null && Files.isDirectory(visible) && !Files.isExecutable(visible)) {
            throw refused(socket, visible);
        }
        if (!Files.exists(socket)) {
            throw new LaunchException(LaunchException.ENVIRONMENT,
                    "no running Patchbay owns data folder " + data + " (no console socket at " + socket + ")");
        }
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return channel;
        } catch (AccessDeniedException e) {
            throw refused(socket, socket);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("ermission")) {
                throw refused(socket, socket);
            }
            throw new LaunchException(LaunchException.ENVIRONMENT,
                    "no running Patchbay owns data folder " + data + " (" + message + " at " + socket + ")");
        }
    }

    /**
     * The one line for a user whom file permissions keep from the socket: which file refuses whom,
     * and who may attach (the owner, who runs Patchbay).
     */
    private static LaunchException refused(Path socket, Path guard) {
        String owner = "?";
        String mode = "";
        try {
            owner = Files.getOwner(guard).getName();
            mode = ", " + PosixFilePermissions.toString(Files.getPosixFilePermissions(guard));
        } catch (IOException | UnsupportedOperationException e) {
            // named without its owner or mode; the refusal is still the answer
        }
        return new LaunchException(LaunchException.ENVIRONMENT, "not allowed to attach to " + socket
                + ": the permissions of " + (guard.equals(socket) ? "the socket" : guard) + " (owner " + owner + mode
                + ") refuse user " + System.getProperty("user.name") + "; only " + owner + ", who runs Patchbay,"
                + " may attach");
    }

    private static String value(List<String> args, int index, String option) throws LaunchException {
        if (index >= args.size()) {
            throw new LaunchException(LaunchException.USAGE, "option " + option + " needs a value; " + USAGE);
        }
        return args.get(index);
    }
}
