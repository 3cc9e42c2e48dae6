package io.patchbay.attach;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The wire format between {@code patchbay console} and the runtime's console socket: a
 * sequence of frames, each a type byte, a length (int) and that many bytes.
 * <ul>
 * <li>client to runtime: first one {@link #HELLO} ({@code user=NAME\ncwd=PATH}: who is at the
 *     console and where relative file names start), then {@link #COMMAND}s (a Gogo command
 *     line, UTF-8);</li>
 * <li>runtime to client: {@link #OUT} and {@link #ERR} (output bytes as they come), then one
 *     {@link #EXIT} whose 4 bytes are the command's status: 0 for success.</li>
 * </ul>
 * One connection may carry any number of commands, one after another, in one Gogo session.
 * This class is shared by both ends (the console bundle embeds it).
 */
public final class AttachProtocol {

    public static final byte HELLO = 'H';
    public static final byte COMMAND = 'C';
    public static final byte OUT = 'O';
    public static final byte ERR = 'E';
    public static final byte EXIT = 'X';

    /** Largest frame either side accepts; bounds what a peer can make the other allocate. */
    public static final int MAX_FRAME_BYTES = 1 << 20;

    /** Name of the console socket inside the data folder. */
    public static final String SOCKET_PATH_IN_DATA = "run/console.sock";

    private AttachProtocol() {
    }

    /** One frame as read. */
    public record Frame(byte type, byte[] payload) {

        public int exitStatus() {
            return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                    | (payload[3] & 0xff);
        }
    }

    public static void write(DataOutputStream out, byte type, byte[] payload, int offset, int length)
            throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(length);
            out.write(payload, offset, length);
            out.flush();
        }
    }

    public static void writeExit(DataOutputStream out, int status) throws IOException {
        byte[] bytes = {(byte) (status >>> 24), (byte) (status >>> 16), (byte) (status >>> 8), (byte) status};
        write(out, EXIT, bytes, 0, 4);
    }

    /** @return the next frame, or {@code null} when the peer closed the connection between frames */
    public static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME_BYTES) {
            throw new IOException("console frame of " + length + " bytes is out of bounds");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == EXIT && length != 4) {
            throw new EOFException("malformed exit frame");
        }
        return new Frame((byte) type, payload);
    }
}
