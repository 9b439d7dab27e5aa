package io.dominoes.net.wire;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqNumberTest
{
    @Test
    void comparesAcrossTheWrap()
    {
        assertTrue(SeqNumber.lt(0xFFFF_FFF0, 0x10));
        assertTrue(SeqNumber.gt(0x10, 0xFFFF_FFF0));
        assertTrue(SeqNumber.le(5, 5));
        assertTrue(SeqNumber.ge(5, 5));
        assertFalse(SeqNumber.lt(5, 5));
        assertEquals(0x20, SeqNumber.diff(0x10, 0xFFFF_FFF0));
        assertEquals(0x10, SeqNumber.max(0x10, 0xFFFF_FFF0));
        assertEquals(0xFFFF_FFF0, SeqNumber.min(0x10, 0xFFFF_FFF0));
    }

    @Test
    void rangeIsHalfOpenAndWraps()
    {
        assertTrue(SeqNumber.inRange(0xFFFF_FFFF, 0xFFFF_FFF0, 0x10));
        assertTrue(SeqNumber.inRange(0, 0xFFFF_FFF0, 0x10));
        assertFalse(SeqNumber.inRange(0x10, 0xFFFF_FFF0, 0x10));
        assertTrue(SeqNumber.inRange(0xFFFF_FFF0, 0xFFFF_FFF0, 0x10));
    }

    @Test
    void unsignedForLogs()
    {
        assertEquals(4294967295L, SeqNumber.toUnsigned(-1));
    }
}
