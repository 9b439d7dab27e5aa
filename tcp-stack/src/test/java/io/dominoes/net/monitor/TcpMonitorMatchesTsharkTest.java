package io.dominoes.net.monitor;

import io.dominoes.net.PcapFiles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every TCP stream of every shared capture, reassembled by {@link TcpMonitor}, compared byte for byte per
 * direction with tshark's "follow,tcp,raw" as written by /work/shared/pcaps/follow2bin.py (run here when tshark
 * and python3 exist; the test says it skipped otherwise). Where the two policies differ by design the
 * difference is listed in {@link #KNOWN_DIFFERENCES} with the reason, and the test checks that it still differs
 * in exactly that way rather than skipping the stream.
 */
class TcpMonitorMatchesTsharkTest
{
    /**
     * "capture#tsharkStream" -> why our bytes differ from tshark's. Everything not listed must match exactly.
     */
    private static final Map<String, String> KNOWN_DIFFERENCES = Map.of(
        "zeek_ipv4_fragmented-4.pcap#1",
        "IPv4 fragments overlap with different bytes: the fragment at offset 48 (\".%2f../winnt/system32/cm\") " +
            "arrives before the one at offset 24 that also covers 48..72; our defragmenter keeps the first copy " +
            "(TCP payload bytes 28..52 differ), Wireshark keeps the later one. Our exact bytes are asserted in " +
            "SharedCaptureReassemblyTest.overlappingFragmentsKeepTheFirstCopy.");

    @Test
    @Timeout(300)
    void reassemblyEqualsTsharkFollowForEveryStreamOfEveryCapture(@TempDir final Path work) throws Exception
    {
        final Path dir = PcapFiles.capturesDirectory();
        if (null == dir || !TsharkGroundTruth.available())
        {
            System.out.println("SKIPPED TcpMonitorMatchesTsharkTest: needs the shared captures, tshark and python3" +
                " (scripts/install-deps.sh installs tshark)");
            Assumptions.abort("no captures or no tshark/python3");
        }
        final Path script = dir.resolve("follow2bin.py");
        final List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (final Path capture : PcapFiles.captures())
        {
            final MemorySink sink = new MemorySink();
            final TcpMonitor monitor = new TcpMonitor(new MonitorConfig().maxConnections(64), sink);
            for (final byte[] frame : PcapFiles.readFrames(capture))
            {
                monitor.onFrame(new UnsafeBuffer(frame), 0, frame.length, 0);
            }
            monitor.flush();
            final boolean[] used = new boolean[sink.streams.size()];
            for (final TsharkGroundTruth.Stream truth : TsharkGroundTruth.streams(capture, script, work))
            {
                if (truth.node0().equals(":0"))
                {
                    continue; // tshark numbered a stream it cannot follow (a TCP header inside an ICMP error)
                }
                final String key = capture.getFileName() + "#" + truth.index();
                final String n0 = truth.node0().replaceFirst(":(\\d+)$", ".$1");
                final String n1 = truth.node1().replaceFirst(":(\\d+)$", ".$1");
                int match = -1;
                boolean n0IsClient = false;
                for (int i = 0; i < sink.streams.size() && match < 0; i++)
                {
                    if (used[i])
                    {
                        continue;
                    }
                    final String name = sink.streams.get(i).name;
                    if (name.equals(n0 + "-" + n1) || name.equals(n1 + "-" + n0))
                    {
                        match = i;
                        used[i] = true;
                        n0IsClient = name.startsWith(n0 + "-");
                    }
                }
                final String verdict;
                if (match < 0)
                {
                    verdict = "no connection found for " + n0 + " <-> " + n1;
                }
                else
                {
                    final byte[] ours0 = sink.bytes(match, n0IsClient ? 0 : 1);
                    final byte[] ours1 = sink.bytes(match, n0IsClient ? 1 : 0);
                    final boolean same = Arrays.equals(ours0, truth.n0()) && Arrays.equals(ours1, truth.n1());
                    verdict = same ? null : "node0 ours=" + ours0.length + " tshark=" + truth.n0().length +
                        " firstDiff=" + Arrays.mismatch(ours0, truth.n0()) + ", node1 ours=" + ours1.length +
                        " tshark=" + truth.n1().length + " firstDiff=" + Arrays.mismatch(ours1, truth.n1()) +
                        " stats=" + sink.streams.get(match).stats;
                }
                compared++;
                System.out.println(key + " " + truth.node0() + " -> " + (null == verdict ? "MATCH" : verdict));
                if (null != verdict && !KNOWN_DIFFERENCES.containsKey(key))
                {
                    mismatches.add(key + ": " + verdict);
                }
                if (null == verdict && KNOWN_DIFFERENCES.containsKey(key))
                {
                    mismatches.add(key + ": listed as a known difference but now matches; update the list");
                }
            }
        }
        assertTrue(compared >= 10, "compared only " + compared + " streams");
        assertEquals(List.of(), mismatches);
    }
}
