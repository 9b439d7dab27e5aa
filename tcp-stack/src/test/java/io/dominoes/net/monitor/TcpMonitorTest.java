package io.dominoes.net.monitor;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.dominoes.net.monitor.Frames.c2s;
import static io.dominoes.net.monitor.Frames.feed;
import static io.dominoes.net.monitor.Frames.s2c;
import static io.dominoes.net.wire.TcpSegment.FLAG_ACK;
import static io.dominoes.net.wire.TcpSegment.FLAG_FIN;
import static io.dominoes.net.wire.TcpSegment.FLAG_RST;
import static io.dominoes.net.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class TcpMonitorTest
{
    private static final int C = 1000;
    private static final int S = 5000;

    private final MemorySink sink = new MemorySink();
    private final TcpMonitor monitor = new TcpMonitor(new MonitorConfig().maxConnections(4).reassemblyBufferBytes(1024)
        .maxHoles(4), sink);

    private void handshake()
    {
        feed(monitor, c2s(C, 0, FLAG_SYN, ""));
        feed(monitor, s2c(S, C + 1, FLAG_SYN | FLAG_ACK, ""));
        feed(monitor, c2s(C + 1, S + 1, FLAG_ACK, ""));
    }

    private String c2sText()
    {
        return new String(sink.bytes(0, TcpConnection.CLIENT_TO_SERVER), StandardCharsets.ISO_8859_1);
    }

    @Test
    void outOfOrderSegmentsAreDeliveredInSequenceOrder()
    {
        handshake();
        feed(monitor, c2s(C + 7, S + 1, FLAG_ACK, "world"));
        feed(monitor, c2s(C + 1, S + 1, FLAG_ACK, "hello "));
        assertEquals("hello world", c2sText());
        monitor.flush();
        assertEquals(1, sink.streams.get(0).stats.c2s().outOfOrderSegments());
    }

    @Test
    void heldBytesAreNotReplacedByALaterConflictingCopy()
    {
        handshake();
        feed(monitor, c2s(C + 4, S + 1, FLAG_ACK, "DEF"));
        feed(monitor, c2s(C + 4, S + 1, FLAG_ACK, "xyz"));
        feed(monitor, c2s(C + 1, S + 1, FLAG_ACK, "abcdeXY"));
        assertEquals("abcDEFY", c2sText());
        monitor.flush();
        final ConnectionStats.Direction d = sink.streams.get(0).stats.c2s();
        // "xyz" against held "DEF": 3; "deX" against held "DEF": 3
        assertEquals(6, d.conflictBytes());
        assertEquals(6, d.duplicateBytes());
    }

    @Test
    void retransmissionOfDeliveredBytesCountsAsDuplicateAndKeepAliveIsRecognised()
    {
        handshake();
        feed(monitor, c2s(C + 1, S + 1, FLAG_ACK, "abcd"));
        feed(monitor, c2s(C + 1, S + 1, FLAG_ACK, "abcdef"));
        feed(monitor, c2s(C + 6, S + 1, FLAG_ACK, "f"));
        assertEquals("abcdef", c2sText());
        monitor.flush();
        final ConnectionStats.Direction d = sink.streams.get(0).stats.c2s();
        assertEquals(4, d.duplicateBytes());
        assertEquals(1, d.keepAlives());
    }

    @Test
    void holeAcknowledgedByThePeerIsSkippedAsAGap()
    {
        handshake();
        feed(monitor, c2s(C + 1, S + 1, FLAG_ACK, "ab"));
        feed(monitor, c2s(C + 5, S + 1, FLAG_ACK, "ef"));
        assertEquals("ab", c2sText());
        feed(monitor, s2c(S + 1, C + 7, FLAG_ACK, ""));
        assertEquals("ab\0\0ef", c2sText());
        monitor.flush();
        assertEquals(1, sink.streams.get(0).stats.c2s().gaps());
        assertEquals(2, sink.streams.get(0).stats.c2s().gapBytes());
    }

    @Test
    void holeNeverAcknowledgedStopsTheStreamAndCountsHeldBytes()
    {
        handshake();
        feed(monitor, c2s(C + 1, S + 1, FLAG_ACK, "ab"));
        feed(monitor, c2s(C + 5, S + 1, FLAG_ACK, "efg"));
        feed(monitor, s2c(S + 1, C + 3, FLAG_ACK, ""));
        monitor.flush();
        assertEquals("ab", c2sText());
        assertEquals(3, monitor.drops(MonitorDrop.UNACKED_HOLE_BYTES));
    }

    @Test
    void dataBeyondTheReassemblyBufferIsDroppedAndCountedWhateverTheWindow()
    {
        handshake();
        feed(monitor, c2s(C + 1 + 1024, S + 1, FLAG_ACK, "far"));
        feed(monitor, c2s(C + 1 + 1022, S + 1, FLAG_ACK, "near"));
        assertEquals(3 + 2, monitor.drops(MonitorDrop.OUT_OF_WINDOW_BYTES));
    }

    @Test
    void moreHolesThanTrackedAreDroppedAndCounted()
    {
        handshake();
        for (int i = 0; i < 5; i++)
        {
            feed(monitor, c2s(C + 10 + 10 * i, S + 1, FLAG_ACK, "x"));
        }
        assertEquals(1, monitor.drops(MonitorDrop.TOO_MANY_HOLES_BYTES));
    }

    @Test
    void finBothWaysClosesAndLaterSegmentsAreCountedAfterClose()
    {
        handshake();
        feed(monitor, c2s(C + 1, S + 1, FLAG_ACK | FLAG_FIN, "bye"));
        feed(monitor, s2c(S + 1, C + 5, FLAG_ACK | FLAG_FIN, "ok"));
        assertTrue(sink.streams.get(0).stats != null, "closed");
        assertEquals(TcpMonitor.SEGMENT - 1 - MonitorDrop.AFTER_CLOSE, feed(monitor, c2s(C + 5, S + 4, FLAG_ACK, "")));
        // a new SYN on the same 4-tuple starts a new connection
        feed(monitor, c2s(C + 100000, 0, FLAG_SYN, ""));
        assertEquals(2, sink.streams.size());
    }

    @Test
    void rstEndsTheConnection()
    {
        handshake();
        feed(monitor, s2c(S + 1, C + 1, FLAG_RST | FLAG_ACK, ""));
        assertTrue(sink.streams.get(0).stats.reset());
    }

    @Test
    void withoutHandshakeTheFirstSenderIsClientAndItsFirstSequenceStartsTheStream()
    {
        feed(monitor, s2c(S + 1, C + 1, FLAG_ACK, "HTTP"));
        feed(monitor, s2c(S + 5, C + 1, FLAG_ACK, "/1.1"));
        monitor.flush();
        assertEquals("10.0.0.2.80-10.0.0.1.40000", sink.streams.get(0).name);
        assertEquals("HTTP/1.1", c2sText());
        assertFalse(sink.streams.get(0).stats.rolesFromSyn());
    }

    @Test
    void lateSynBeforeAnyPayloadFixesTheRoles()
    {
        feed(monitor, s2c(S, C + 1, FLAG_SYN | FLAG_ACK, ""));
        feed(monitor, c2s(C, 0, FLAG_SYN, ""));
        feed(monitor, c2s(C + 1, S + 1, FLAG_ACK, "GET"));
        assertEquals("10.0.0.1.40000-10.0.0.2.80", sink.streams.get(0).name);
        assertEquals("GET", c2sText());
    }

    @Test
    void badChecksumsAreDroppedCountedOrIgnoredByMode()
    {
        final UnsafeBuffer frame = c2s(C, 0, FLAG_SYN, "");
        frame.putByte(frame.capacity() - 1, (byte)(frame.getByte(frame.capacity() - 1) ^ 1));
        assertEquals(-(MonitorDrop.TCP_BAD_CHECKSUM + 1), feed(monitor, frame));
        assertEquals(1, monitor.tcpBadChecksums());

        final TcpMonitor counting = new TcpMonitor(new MonitorConfig().checksumMode(ChecksumMode.COUNT), sink);
        assertEquals(TcpMonitor.SEGMENT, feed(counting, frame));
        assertEquals(1, counting.tcpBadChecksums());

        final TcpMonitor off = new TcpMonitor(new MonitorConfig().checksumMode(ChecksumMode.OFF), sink);
        assertEquals(TcpMonitor.SEGMENT, feed(off, frame));
        assertEquals(0, off.tcpBadChecksums());
    }

    @Test
    void fullTableDropsNewConnectionsUntilAClosedOneCanBeReused()
    {
        for (int i = 0; i < 4; i++)
        {
            feed(monitor, Frames.tcp(Frames.CLIENT, 1000 + i, Frames.SERVER, 80, C, 0, FLAG_SYN, ""));
        }
        final UnsafeBuffer fifth = Frames.tcp(Frames.CLIENT, 2000, Frames.SERVER, 80, C, 0, FLAG_SYN, "");
        assertEquals(-(MonitorDrop.CONNECTION_TABLE_FULL + 1), feed(monitor, fifth));
        feed(monitor, Frames.tcp(Frames.SERVER, 80, Frames.CLIENT, 1001, S, C + 1, FLAG_RST | FLAG_ACK, ""));
        assertEquals(TcpMonitor.SEGMENT, feed(monitor, fifth));
        assertEquals(1, monitor.connectionsEvicted());
    }

    @Test
    void noInputThrowsAndEveryFrameIsTakenOrCounted()
    {
        final Random random = new Random(42);
        final UnsafeBuffer[] seeds = {c2s(C, 0, FLAG_SYN, ""), c2s(C + 1, S + 1, FLAG_ACK, "payload bytes"),
            s2c(S + 1, C + 1, FLAG_ACK | FLAG_FIN, "x")};
        long taken = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final UnsafeBuffer seed = seeds[random.nextInt(seeds.length)];
            final byte[] bytes = new byte[seed.capacity()];
            seed.getBytes(0, bytes);
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++)
            {
                bytes[random.nextInt(bytes.length)] ^= (byte)(1 << random.nextInt(8));
            }
            final int length = random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
            final int result = monitor.onFrame(new UnsafeBuffer(bytes), 0, length, i);
            taken += result >= 0 ? 1 : 0;
        }
        monitor.flush();
        long frameDrops = 0;
        for (int r = 0; r < MonitorDrop.COUNT; r++)
        {
            if (r < MonitorDrop.OUT_OF_WINDOW_BYTES || r == MonitorDrop.AFTER_CLOSE)
            {
                frameDrops += r == MonitorDrop.FRAGMENT_DATAGRAM_EXPIRED ? 0 : monitor.drops(r);
            }
        }
        assertEquals(20_000, taken + frameDrops);
    }
}
