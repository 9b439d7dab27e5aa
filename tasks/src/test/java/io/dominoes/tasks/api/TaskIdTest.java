package io.dominoes.tasks.api;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TaskIdTest
{
    @Test
    void sameSpawnPathGivesEqualIdsAndDifferentPathsDiffer()
    {
        final TaskId a = TaskId.root(3).child(1).child(200);
        final TaskId b = TaskId.root(3).child(1).child(200);
        final TaskId c = TaskId.root(3).child(200).child(1);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
        assertEquals("3.1.200", a.toString());
        assertEquals(3, a.depth());
        assertEquals(3, a.jobId());
        assertTrue(a.isDescendantOf(TaskId.root(3).child(1)));
        assertFalse(a.isDescendantOf(TaskId.root(3).child(2)));
    }

    @Test
    void encodesOneBytePerSmallComponentAndRoundTrips()
    {
        final TaskId id = TaskId.root(3).child(1).child(200).child(Integer.MAX_VALUE);
        assertEquals(1 + 1 + 2 + 5, id.encodedLength());
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        id.encode(buffer, 7);
        assertEquals(id, TaskId.decode(buffer, 7, id.encodedLength()));
    }

    @Test
    void decodeRejectsMalformedBytesWithoutThrowing()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putByte(0, (byte)0x81);
        assertNull(TaskId.decode(buffer, 0, 1), "truncated varint");
        assertNull(TaskId.decode(buffer, 0, 0), "empty");
        for (int i = 0; i < 6; i++)
        {
            buffer.putByte(i, (byte)0xFF);
        }
        buffer.putByte(6, (byte)0x01);
        assertNull(TaskId.decode(buffer, 0, 7), "component over 31 bits");
        assertNull(TaskId.decode(buffer, 0, TaskId.MAX_ENCODED_LENGTH + 1), "too long");
    }

    @Test
    void negativeIndexIsMisuseNamingTheValue()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> TaskId.root(0).child(-2));
        assertTrue(ex.getMessage().contains("-2"));
    }
}
