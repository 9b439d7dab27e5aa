package io.dominoes.net.monitor;

import io.dominoes.net.PcapFiles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expectations on the shared captures that need no tshark: the suites' own expected outputs and the
 * policy-driven cases, asserted exactly.
 */
@Timeout(60)
class SharedCaptureReassemblyTest
{
    private static MemorySink replay(final String name, final MonitorConfig config, final TcpMonitor[] out)
        throws Exception
    {
        final Path dir = PcapFiles.capturesDirectory();
        if (null == dir || !Files.exists(dir.resolve(name)))
        {
            System.out.println("SKIPPED: capture " + name + " not found (shared/pcaps)");
            Assumptions.abort("no capture " + name);
        }
        final MemorySink sink = new MemorySink();
        final TcpMonitor monitor = new TcpMonitor(config, sink);
        for (final byte[] frame : PcapFiles.readFrames(dir.resolve(name)))
        {
            monitor.onFrame(new UnsafeBuffer(frame), 0, frame.length, 0);
        }
        monitor.flush();
        if (null != out)
        {
            out[0] = monitor;
        }
        return sink;
    }

    private static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void pcapPlusPlusExpectedOutputEqualsBothDirectionsInDeliveryOrder() throws Exception
    {
        final MemorySink sink = replay("ppp_one_tcp_stream.pcap", new MonitorConfig(), null);
        final byte[] expected = Files.readAllBytes(PcapFiles.capturesDirectory().resolve("ppp_one_tcp_stream_output.txt"));
        assertEquals(1, sink.streams.size());
        assertArrayEquals(expected, sink.interleaved.toByteArray());
        final ConnectionStats stats = sink.streams.get(0).stats;
        // the capture's overlapping retransmission at a shifted offset, and its 1-byte keep-alive probe
        assertTrue(stats.c2s().duplicateBytes() + stats.s2c().duplicateBytes() > 0, stats.toString());
        assertEquals(1, stats.c2s().keepAlives() + stats.s2c().keepAlives(), stats.toString());
    }

    @Test
    void suricataOverlapCapturesGiveGoodWithFirstCopyWins() throws Exception
    {
        // "GOOD" at seq 1, then "EVIL" at seq 1 (exact) or "XXX" at seq 2 (partial): already delivered, so duplicates
        final String[] names = {"sv_tcp-overlap-exact.pcap", "sv_tcp-overlap-partial.pcap"};
        final long[] duplicates = {4, 3};
        for (int i = 0; i < names.length; i++)
        {
            final String name = names[i];
            final TcpMonitor[] monitor = new TcpMonitor[1];
            final MemorySink sink = replay(name, new MonitorConfig(), monitor);
            assertEquals(1, sink.streams.size(), name);
            assertEquals("GOOD", text(sink.bytes(0, TcpConnection.CLIENT_TO_SERVER)), name);
            assertEquals(duplicates[i], sink.streams.get(0).stats.c2s().duplicateBytes(), name);
            assertEquals(0, sink.streams.get(0).stats.c2s().gaps(), name);
        }
    }

    @Test
    void acknowledgedHolesAreSkippedAsZerosWhereTsharkSkipsThem() throws Exception
    {
        final MemorySink simple = replay("sv_tcp-simple-gap.pcap", new MonitorConfig(), null);
        final byte[] s = simple.bytes(0, TcpConnection.CLIENT_TO_SERVER);
        assertEquals(12, s.length);
        assertArrayEquals(new byte[4], java.util.Arrays.copyOfRange(s, 4, 8));
        assertEquals(1, simple.streams.get(0).stats.c2s().gaps());
        assertEquals(4, simple.streams.get(0).stats.c2s().gapBytes());

        final MemorySink leading = replay("sv_tcp-leading-gap.pcap", new MonitorConfig(), null);
        final byte[] l = leading.bytes(0, TcpConnection.CLIENT_TO_SERVER);
        assertEquals(12, l.length);
        assertArrayEquals(new byte[4], java.util.Arrays.copyOfRange(l, 0, 4));
    }

    @Test
    void unacknowledgedHoleStopsTheStreamAndCountsWhatWasHeld() throws Exception
    {
        final TcpMonitor[] monitor = new TcpMonitor[1];
        final MemorySink sink = replay("ppp_unidirectional_tcp_stream_with_missing_packet.pcap", new MonitorConfig(), monitor);
        assertEquals(1, sink.streams.size());
        final ConnectionStats stats = sink.streams.get(0).stats;
        assertEquals(1420, stats.c2s().deliveredBytes());
        assertEquals(0, stats.c2s().gaps());
        assertTrue(stats.c2s().droppedBytes() > 0, stats.toString());
        assertEquals(stats.c2s().droppedBytes(), monitor[0].drops(MonitorDrop.UNACKED_HOLE_BYTES));
    }

    @Test
    void reorderedHandshakeStillMakesTheSynSenderTheClient() throws Exception
    {
        final MemorySink sink = replay("zeek_tcp_handshake-reorder.pcap", new MonitorConfig(), null);
        assertEquals(1, sink.streams.size());
        assertEquals("141.142.228.5.59856-192.150.187.43.80", sink.streams.get(0).name);
        assertTrue(text(sink.bytes(0, TcpConnection.CLIENT_TO_SERVER)).startsWith("GET /download/CHANGES.bro-aux.txt"));
        assertTrue(text(sink.bytes(0, TcpConnection.SERVER_TO_CLIENT)).startsWith("HTTP/1.1 200 OK"));
        assertTrue(sink.streams.get(0).stats.rolesFromSyn());
    }

    @Test
    void overlappingFragmentsKeepTheFirstCopy() throws Exception
    {
        final MemorySink sink = replay("zeek_ipv4_fragmented-4.pcap", new MonitorConfig(), null);
        final MemorySink.Stream stream = sink.streams.stream()
            .filter((x) -> x.name.equals("128.32.46.142.7790-10.0.0.1.80")).findFirst().orElseThrow();
        assertEquals("GET /msadc/..%2f../..%2f../..%2f../winnt/system32/cmd.exe?/c+dir+c:\\\n",
            text(stream.bytes[TcpConnection.CLIENT_TO_SERVER].toByteArray()));
    }

    @Test
    void fragmentsAreDroppedAndCountedWhenDefragmentationIsOff() throws Exception
    {
        final TcpMonitor[] monitor = new TcpMonitor[1];
        final MemorySink sink = replay("zeek_ipv4_fragmented-4.pcap", new MonitorConfig().defragment(false), monitor);
        assertEquals(4, monitor[0].drops(MonitorDrop.FRAGMENT_NOT_REASSEMBLED));
        assertFalse(sink.streams.stream().anyMatch((x) -> x.bytes[0].size() > 0));
    }

    @Test
    void incompleteFragmentedDatagramExpiresAtEndOfInput() throws Exception
    {
        final TcpMonitor[] monitor = new TcpMonitor[1];
        replay("zeek_ipv4_fragmented-3.pcap", new MonitorConfig(), monitor);
        assertEquals(0, monitor[0].tcpSegments());
        assertEquals(1, monitor[0].drops(MonitorDrop.FRAGMENT_DATAGRAM_EXPIRED));
    }

    @Test
    void pcapngCaptureIsReadByPcap4jAndReplayed(@org.junit.jupiter.api.io.TempDir final Path dumps) throws Exception
    {
        final Path dir = PcapFiles.capturesDirectory();
        Assumptions.assumeTrue(null != dir, "no shared captures");
        final Path file = dir.resolve("zeek_irc-dcc-send.pcapng");
        final PcapReplay.Report report = PcapReplay.run(file, new PcapReplay.Options().dumpDirectory(dumps).timedRuns(1));
        assertEquals(3, report.connections().size());
        assertEquals(1, report.runNs().length);
        assertTrue(report.nsPerSegment() > 0);
        assertEquals(6, report.dumpFiles().size());
        assertEquals(report.deliveredBytes(), report.dumpFiles().stream().mapToLong((p) -> p.toFile().length()).sum());
        final MemorySink sink = replay("zeek_irc-dcc-send.pcapng", new MonitorConfig(), null);
        for (int i = 0; i < 3; i++)
        {
            final String stem = sink.streams.get(i).name;
            assertArrayEquals(sink.bytes(i, 0), Files.readAllBytes(dumps.resolve(stem + ".c2s.bin")), stem);
            assertArrayEquals(sink.bytes(i, 1), Files.readAllBytes(dumps.resolve(stem + ".s2c.bin")), stem);
        }
        assertTrue(report.toJson().contains("\"connections\":["));
    }
}
