package io.dominoes.net.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class TcpOptionsTest
{
    private final TcpOptionValues values = new TcpOptionValues();

    private int parse(final int... bytes)
    {
        final byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            raw[i] = (byte)bytes[i];
        }
        return TcpOptions.parse(new UnsafeBuffer(raw), 0, raw.length, values);
    }

    @Test
    void sackBlocksParse()
    {
        assertEquals(TcpOptions.OK, parse(1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 0, 0x10));
        assertEquals(2, values.sackBlockCount());
        assertEquals(1, values.sackLeft(0));
        assertEquals(2, values.sackRight(0));
        assertEquals(0xFFFF_FFF0, values.sackLeft(1));
        assertEquals(0x10, values.sackRight(1));
    }

    @Test
    void unknownOptionIsSkippedByItsLength()
    {
        assertEquals(TcpOptions.OK, parse(30, 4, 9, 9, 2, 4, 0x05, 0xB4));
        assertEquals(1460, values.mss());
    }

    @Test
    void endOfListStopsParsing()
    {
        assertEquals(TcpOptions.OK, parse(0, 2, 4, 0x05, 0xB4));
        assertEquals(0, values.mss());
    }

    @Test
    void windowScaleAboveFourteenIsClamped()
    {
        assertEquals(TcpOptions.OK, parse(3, 3, 20, 0));
        assertEquals(14, values.windowScale());
    }

    @Test
    void lengthZeroOrOneIsMalformed()
    {
        assertEquals(TcpOptions.ERR_LENGTH_TOO_SMALL, parse(2, 0, 0, 0));
        assertEquals(TcpOptions.ERR_LENGTH_TOO_SMALL, parse(30, 1, 0, 0));
    }

    @Test
    void missingLengthIsMalformed()
    {
        assertEquals(TcpOptions.ERR_MISSING_LENGTH, parse(1, 1, 1, 2));
    }

    @Test
    void overrunIsMalformed()
    {
        assertEquals(TcpOptions.ERR_OVERRUN, parse(8, 10, 0, 0, 0, 0));
        assertEquals(TcpOptions.ERR_OVERRUN, parse(30, 8, 0, 0));
    }

    @Test
    void wrongFixedLengthIsMalformed()
    {
        assertEquals(TcpOptions.ERR_WRONG_FIXED_LENGTH, parse(2, 3, 5, 0));
        assertEquals(TcpOptions.ERR_WRONG_FIXED_LENGTH, parse(3, 4, 7, 0));
        assertEquals(TcpOptions.ERR_WRONG_FIXED_LENGTH, parse(4, 3, 0, 0));
        assertEquals(TcpOptions.ERR_WRONG_FIXED_LENGTH, parse(8, 8, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void sackLengthMustBeTwoPlusEightN()
    {
        assertEquals(TcpOptions.ERR_SACK_LENGTH, parse(5, 2, 0, 0));
        assertEquals(TcpOptions.ERR_SACK_LENGTH, parse(5, 9, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void emitThenParseRoundTripsEveryCombination()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[40]);
        for (int mask = 0; mask < 16; mask++)
        {
            final TcpOptionValues out = new TcpOptionValues();
            if (0 != (mask & 1))
            {
                out.mss(1234);
            }
            if (0 != (mask & 2))
            {
                out.windowScale(9);
            }
            if (0 != (mask & 4))
            {
                out.sackPermitted(true);
            }
            if (0 != (mask & 8))
            {
                out.timestamps(-5, 77);
            }
            final int blocks = 0 != (mask & 8) ? 1 : 2;
            for (int b = 0; b < blocks; b++)
            {
                out.addSackBlock(100 * b, 100 * b + 50);
            }
            final int length = TcpOptions.emit(buffer, 0, out);
            assertEquals(0, length % 4, "aligned, mask " + mask);
            assertEquals(TcpOptions.OK, TcpOptions.parse(buffer, 0, length, values), "mask " + mask);
            assertEquals(out.toString(), values.toString(), "mask " + mask);
        }
    }

    @Test
    void resetForgetsEverything()
    {
        parse(2, 4, 0x05, 0xB4, 4, 2);
        values.reset();
        assertEquals(0, values.mss());
        assertFalse(values.sackPermitted());
        assertEquals(-1, values.windowScale());
    }
}
