package io.dominoes.net.monitor;

import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.net.PcapFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replicated passive monitor ({@link ReplicatedMonitorTarget}: replicated bookkeeping, checksum as the
 * owner's look-ahead verdict, payload copied by the owner) writes the same stream dumps and reports the same
 * per-connection figures and drop counters as the single {@link TcpMonitor}, for 1, 2 and 4 replicas, on shared
 * captures chosen for what they exercise (retransmissions/out-of-order/SACK, VLAN tags with conflicting
 * overlaps, IPv4 fragments carrying TCP) and on a capture with corrupted TCP checksums; and its dumps equal
 * tshark's "follow" where tshark is installed.
 */
class ReplicatedMonitorTargetTest
{
    private static final List<String> CAPTURES = List.of(
        "zeek_http_206_example_a.pcap", "ppp_tcp-reassembly.pcap", "sv_tcp-overlap-partial.pcap",
        "zeek_ipv4_fragmented-4.pcap");
    private static final int[] REPLICAS = { 1, 2, 4 };

    @Test
    @Timeout(240)
    void replicatedDumpsAndReportEqualTheSingleMonitorsFor1To4Replicas(@TempDir final Path work) throws Exception
    {
        final Path dir = capturesOrSkip();
        for (final String name : CAPTURES)
        {
            compareWithSingle(dir.resolve(name), work.resolve(name));
        }
    }

    @Test
    @Timeout(120)
    void corruptedTcpChecksumsAreDroppedByTheVerdictExactlyAsTheMonitorDropsThem(@TempDir final Path work)
        throws Exception
    {
        final Path dir = capturesOrSkip();
        final List<byte[]> frames = PcapFiles.readFrames(dir.resolve("zeek_http_206_example_a.pcap"));
        int corrupted = 0;
        for (int i = 0; i < frames.size(); i += 7)
        {
            final byte[] f = frames.get(i);
            if (f.length > 60)
            {
                f[f.length - 1] ^= 0x5A; // last payload byte: the TCP checksum no longer matches
                corrupted++;
            }
        }
        assertTrue(corrupted > 10, "corrupted " + corrupted);
        final Path pcap = writePcap(work.resolve("corrupted.pcap"), frames);
        final PcapReplay.Report single = compareWithSingle(pcap, work.resolve("out"));
        assertTrue(single.drops()[MonitorDrop.TCP_BAD_CHECKSUM] > 10,
            "bad checksum drops " + single.drops()[MonitorDrop.TCP_BAD_CHECKSUM]);
    }

    @Test
    @Timeout(240)
    void replicatedDumpsEqualTsharkFollow(@TempDir final Path work) throws Exception
    {
        final Path dir = capturesOrSkip();
        if (!TsharkGroundTruth.available())
        {
            System.out.println("SKIPPED ReplicatedMonitorTargetTest.replicatedDumpsEqualTsharkFollow: needs tshark and " +
                "python3 (scripts/install-deps.sh)");
            Assumptions.abort("no tshark/python3");
        }
        int compared = 0;
        for (final String name : List.of("zeek_http_206_example_a.pcap", "ppp_tcp-reassembly.pcap"))
        {
            final Path capture = dir.resolve(name);
            final CapturedFrames frames = CapturedFrames.load(capture);
            for (final int n : REPLICAS)
            {
                final Path out = work.resolve(name + ".misd" + n);
                replicated(capture, frames, n, out);
                for (final TsharkGroundTruth.Stream truth : TsharkGroundTruth.streams(capture,
                    dir.resolve("follow2bin.py"), work))
                {
                    if (truth.node0().equals(":0"))
                    {
                        continue; // tshark numbered a stream it cannot follow (as in TcpMonitorMatchesTsharkTest)
                    }
                    final String n0 = truth.node0().replaceFirst(":(\\d+)$", ".$1");
                    final String n1 = truth.node1().replaceFirst(":(\\d+)$", ".$1");
                    final boolean n0IsClient = Files.exists(out.resolve(n0 + "-" + n1 + ".c2s.bin"));
                    final String stem = n0IsClient ? n0 + "-" + n1 : n1 + "-" + n0;
                    final byte[] c2s = Files.readAllBytes(out.resolve(stem + ".c2s.bin"));
                    final byte[] s2c = Files.readAllBytes(out.resolve(stem + ".s2c.bin"));
                    assertArrayEquals(truth.n0(), n0IsClient ? c2s : s2c, name + " " + n + " replicas node0 " + stem);
                    assertArrayEquals(truth.n1(), n0IsClient ? s2c : c2s, name + " " + n + " replicas node1 " + stem);
                    compared++;
                }
            }
        }
        assertTrue(compared >= 6, "compared " + compared);
    }

    private static PcapReplay.Report compareWithSingle(final Path capture, final Path out) throws Exception
    {
        final CapturedFrames frames = CapturedFrames.load(capture);
        final PcapReplay.Report single = PcapReplay.run(capture, frames,
            new PcapReplay.Options().dumpDirectory(out.resolve("single")).timedRuns(0));
        final TreeMap<String, byte[]> expected = readDir(out.resolve("single"));
        assertFalse(expected.isEmpty(), capture + ": no stream written");
        assertTrue(single.deliveredBytes() > 0, capture + ": nothing delivered");
        for (final int n : REPLICAS)
        {
            final Path dir = out.resolve("misd" + n);
            final PcapReplay.Report misd = replicated(capture, frames, n, dir);
            final TreeMap<String, byte[]> actual = readDir(dir);
            assertEquals(expected.keySet(), actual.keySet(), capture + " " + n + " replicas: files");
            for (final String file : expected.keySet())
            {
                assertArrayEquals(expected.get(file), actual.get(file), capture + " " + n + " replicas: " + file);
            }
            assertEquals(single.connections(), misd.connections(), capture + " " + n + " replicas: connection figures");
            assertArrayEquals(single.drops(), misd.drops(), capture + " " + n + " replicas: drops");
            assertEquals(single.tcpSegments(), misd.tcpSegments(), capture + " " + n + " replicas: segments");
        }
        return single;
    }

    private static PcapReplay.Report replicated(
        final Path capture, final CapturedFrames frames, final int replicas, final Path dir) throws IOException
    {
        // park, never spin: 4 replicas on a 2-core CI machine; digests every 64 events catch any divergence
        final ReplicatedMonitorTarget.Settings settings = new ReplicatedMonitorTarget.Settings()
            .replicas(replicas).idleStrategy(IdleStrategies.byName("park")).digestEvery(64);
        return PcapReplay.run(capture, frames, new PcapReplay.Options()
            .dumpDirectory(dir).timedRuns(1).targetFactory(ReplicatedMonitorTarget.factory(frames, settings)));
    }

    private static TreeMap<String, byte[]> readDir(final Path dir) throws IOException
    {
        final TreeMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir))
        {
            for (final Path p : (Iterable<Path>)s::iterator)
            {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static Path capturesOrSkip()
    {
        final Path dir = PcapFiles.capturesDirectory();
        if (null == dir)
        {
            System.out.println("SKIPPED ReplicatedMonitorTargetTest: the shared captures are not present");
            Assumptions.abort("no shared captures");
        }
        return dir;
    }

    private static Path writePcap(final Path file, final List<byte[]> frames) throws IOException
    {
        int size = 24;
        for (final byte[] f : frames)
        {
            size += 16 + f.length;
        }
        final ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1);
        int t = 0;
        for (final byte[] f : frames)
        {
            b.putInt(1_000 + t++).putInt(0).putInt(f.length).putInt(f.length).put(f);
        }
        Files.write(file, Arrays.copyOf(b.array(), b.position()));
        return file;
    }

}
