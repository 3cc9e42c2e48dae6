package io.patchbay.console.internal;

import io.patchbay.attach.AttachProtocol;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * One attached console: one Gogo session for the life of the connection, so variables set by
 * one command are seen by the next. A command that throws is a failed command: its message goes
 * to the client's standard error and its exit status is 1. The session has no standard input.
 */
final class ConsoleConnection {

    static final int FAILED = 1;
    /** Session variable naming who is at the console, read by commands that journal operations. */
    static final String OPERATOR_VARIABLE = "patchbay.operator";

    private final CommandProcessor processor;
    private final SocketChannel channel;

    ConsoleConnection(CommandProcessor processor, SocketChannel channel) {
        this.processor = processor;
        this.channel = channel;
    }

    void serve() {
        try (SocketChannel ignored = channel) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
            PrintStream sessionOut = framed(out, AttachProtocol.OUT);
            PrintStream sessionErr = framed(out, AttachProtocol.ERR);
            CommandSession session = processor.createSession(InputStream.nullInputStream(), sessionOut, sessionErr);
            try {
                AttachProtocol.Frame frame;
                while ((frame = AttachProtocol.read(in)) != null) {
                    if (frame.type() == AttachProtocol.HELLO) {
                        greet(session, new String(frame.payload(), StandardCharsets.UTF_8));
                        continue;
                    }
                    if (frame.type() != AttachProtocol.COMMAND) {
                        throw new IOException("unexpected console frame type " + frame.type());
                    }
                    int status = execute(session, new String(frame.payload(), StandardCharsets.UTF_8),
                            sessionOut, sessionErr);
                    sessionOut.flush();
                    sessionErr.flush();
                    AttachProtocol.writeExit(out, status);
                }
            } finally {
                session.close();
            }
        } catch (IOException e) {
            // The client went away or spoke nonsense; either way this connection is over.
        }
    }

    /**
     * Takes the client's user (for the journal's record of who asked; the socket is owner-only,
     * so only the runtime's own user, or root, gets this far) and working folder, so that
     * relative file names mean what the operator's shell means.
     */
    private static void greet(CommandSession session, String hello) {
        for (String line : hello.split("\n")) {
            if (line.startsWith("user=")) {
                session.put(OPERATOR_VARIABLE, "console:" + line.substring(5));
            } else if (line.startsWith("cwd=")) {
                try {
                    session.currentDir(Path.of(line.substring(4)));
                } catch (RuntimeException e) {
                    // Not a usable path: relative names resolve against the runtime's folder.
                }
            }
        }
    }

    private static int execute(CommandSession session, String command, PrintStream out, PrintStream err) {
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
            return 0;
        } catch (Exception e) {
            err.println("Error: " + describe(e));
            return FAILED;
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    static void refuse(SocketChannel client, String reason) {
        try (SocketChannel ignored = client) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
            byte[] bytes = ("Error: " + reason + "\n").getBytes(StandardCharsets.UTF_8);
            AttachProtocol.write(out, AttachProtocol.ERR, bytes, 0, bytes.length);
            AttachProtocol.writeExit(out, FAILED);
        } catch (IOException e) {
            // the client is gone already
        }
    }

    private static PrintStream framed(DataOutputStream out, byte type) {
        OutputStream frames = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (length > 0) {
                    AttachProtocol.write(out, type, bytes, offset, length);
                }
            }
        };
        return new PrintStream(new BufferedOutputStream(frames, 8192), true, StandardCharsets.UTF_8);
    }
}
