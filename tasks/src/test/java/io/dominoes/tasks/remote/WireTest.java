package io.dominoes.tasks.remote;

import io.dominoes.tasks.api.TaskId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class WireTest
{
    private static Wire.Writer resultMessage()
    {
        final Wire.Writer writer = new Wire.Writer();
        writer.reset(Wire.RESULT).putLong(42).putLong(7).putId(TaskId.root(1).child(3)).putBytes(new byte[]{ 1, 2 });
        return writer;
    }

    @Test
    void resultRoundTrips()
    {
        final Wire.Writer writer = resultMessage();
        final Wire.Reader r = new Wire.Reader().wrap(writer.buffer, 0, writer.length);
        assertEquals(Wire.RESULT, r.getInt());
        assertEquals(42, r.getLong());
        assertEquals(7, r.getLong());
        assertEquals(TaskId.root(1).child(3), r.getId());
        assertArrayEquals(new byte[]{ 1, 2 }, r.getBytes());
        assertTrue(r.ok());
    }

    @Test
    void everyTruncationIsReportedNotThrown()
    {
        final Wire.Writer writer = resultMessage();
        for (int length = 0; length < writer.length; length++)
        {
            final Wire.Reader r = new Wire.Reader().wrap(writer.buffer, 0, length);
            r.getInt();
            r.getLong();
            r.getLong();
            r.getId();
            r.getBytes();
            assertFalse(r.ok(), "truncated to " + length);
        }
    }

    @Test
    void impossibleLengthIsRejected()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putInt(0, -5, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertNull(new Wire.Reader().wrap(buffer, 0, 16).getBytes());
        buffer.putInt(0, Integer.MAX_VALUE, java.nio.ByteOrder.LITTLE_ENDIAN);
        final Wire.Reader r = new Wire.Reader().wrap(buffer, 0, 16);
        assertNull(r.getBytes());
        assertFalse(r.ok());
    }

    @Test
    void unreadableSerializedBytesAreInvalidAndNullStaysNull()
    {
        assertSame(JavaSerialization.INVALID, JavaSerialization.fromBytes(new byte[]{ 1, 2, 3 }));
        assertNull(JavaSerialization.fromBytes(JavaSerialization.toBytes(null)));
        assertEquals(5L, JavaSerialization.fromBytes(JavaSerialization.toBytes(5L)));
    }
}
