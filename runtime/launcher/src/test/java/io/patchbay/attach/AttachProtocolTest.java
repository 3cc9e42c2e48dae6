package io.patchbay.attach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AttachProtocolTest {

    @Test
    void framesRoundTripInOrder() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        byte[] text = "lb -s\n".getBytes(StandardCharsets.UTF_8);
        AttachProtocol.write(out, AttachProtocol.OUT, text, 0, text.length);
        AttachProtocol.writeExit(out, 1);
        AttachProtocol.writeExit(out, -2);

        DataInputStream in = new DataInputStream(new ByteArrayInputStream(buffer.toByteArray()));
        AttachProtocol.Frame first = AttachProtocol.read(in);
        assertEquals(AttachProtocol.OUT, first.type());
        assertArrayEquals(text, first.payload());
        assertEquals(1, AttachProtocol.read(in).exitStatus());
        assertEquals(-2, AttachProtocol.read(in).exitStatus());
        assertNull(AttachProtocol.read(in), "end of stream between frames");
    }

    @Test
    void refusesFramesBeyondTheBound() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeByte(AttachProtocol.COMMAND);
        out.writeInt(AttachProtocol.MAX_FRAME_BYTES + 1);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(buffer.toByteArray()));
        IOException e = assertThrows(IOException.class, () -> AttachProtocol.read(in));
        assertEquals("console frame of " + (AttachProtocol.MAX_FRAME_BYTES + 1) + " bytes is out of bounds", e.getMessage());
    }
}
