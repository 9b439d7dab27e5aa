package io.dominoes.net.device;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryPairTest
{
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1518]);
    private final UnsafeBuffer received = new UnsafeBuffer(new byte[1518]);

    @Test
    void shouldDeliverFramesToTheOtherEndInOrder()
    {
        final MemoryPair pair = new MemoryPair(1500, 8);
        for (int i = 1; i <= 5; i++)
        {
            frame.setMemory(0, i * 10, (byte)i);
            assertTrue(pair.a().transmit(0, frame, 0, i * 10));
        }
        assertEquals(0, pair.a().receive(0, received, 0, received.capacity()), "nothing loops back");
        for (int i = 1; i <= 5; i++)
        {
            assertEquals(i * 10, pair.b().receive(0, received, 0, received.capacity()));
            assertEquals(i, received.getByte(i * 10 - 1));
        }
        assertEquals(0, pair.b().receive(0, received, 0, received.capacity()));
    }

    @Test
    void shouldBackPressureWhenADirectionIsFullAndLoseNothing()
    {
        final MemoryPair pair = new MemoryPair(1500, 2);
        assertTrue(pair.b().transmit(0, frame, 0, 60));
        assertTrue(pair.b().transmit(0, frame, 0, 61));
        assertFalse(pair.b().transmit(0, frame, 0, 62));
        assertTrue(pair.a().transmit(0, frame, 0, 63), "other direction independent");
        assertEquals(60, pair.a().receive(0, received, 0, received.capacity()));
        assertTrue(pair.b().transmit(0, frame, 0, 62));
        assertEquals(61, pair.a().receive(0, received, 0, received.capacity()));
        assertEquals(62, pair.a().receive(0, received, 0, received.capacity()));
    }

    @Test
    void shouldRejectFrameAboveMaxFrameLength()
    {
        final MemoryPair pair = new MemoryPair(100, 2);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> pair.a().transmit(0, frame, 0, 119));
        assertEquals("frame length=119 exceeds maxFrameLength=118", ex.getMessage());
    }
}
