package io.dominoes.bench.harness;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchMessageTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @Test
    void encodedMessageVerifiesAtItsOwnSequenceOnly()
    {
        BenchMessage.encode(buffer, 8, 64, 42);
        assertEquals(BenchMessage.OK, BenchMessage.verify(buffer, 8, 64, 64, 42));
        assertEquals(BenchMessage.BAD_SEQUENCE, BenchMessage.verify(buffer, 8, 64, 64, 43));
        assertEquals(BenchMessage.BAD_LENGTH, BenchMessage.verify(buffer, 8, 56, 64, 42));
    }

    @Test
    void everyFlippedBitIsDetected()
    {
        for (int bit = 64; bit < 64 * 8; bit++)
        {
            BenchMessage.encode(buffer, 0, 64, 7);
            final int index = bit / 8;
            buffer.putByte(index, (byte)(buffer.getByte(index) ^ (1 << (bit % 8))));
            final int code = BenchMessage.verify(buffer, 0, 64, 64, 7);
            assertTrue(code == BenchMessage.BAD_PAYLOAD || code == BenchMessage.BAD_CHECKSUM, "bit " + bit + " gave " + code);
        }
    }

    @Test
    void messageFromAnotherSequenceWithMatchingSequenceWordFailsPayloadCheck()
    {
        BenchMessage.encode(buffer, 0, 64, 9);
        buffer.putLong(0, 10);
        assertEquals(BenchMessage.BAD_PAYLOAD, BenchMessage.verify(buffer, 0, 64, 64, 10));
    }

    @Test
    void lengthMustBeMultipleOfEightWithinLimits()
    {
        assertEquals(16, BenchMessage.checkLength(16));
        assertEquals(4096, BenchMessage.checkLength(4096));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> BenchMessage.checkLength(20));
        assertTrue(ex.getMessage().contains("20") && ex.getMessage().contains("[16, 4096]"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchMessage.checkLength(8));
        assertThrows(IllegalArgumentException.class, () -> BenchMessage.checkLength(4104));
    }
}
