package io.dominoes.net.wire;

import io.dominoes.net.PcapFiles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every frame of every shared capture parses, and what the flyweights find agrees with tshark.
 */
class CaptureParsingTest
{
    /**
     * Per capture: frames, 802.1Q-tagged frames, IPv4 fragments, IPv4 packets whose header parses.
     * Taken from tshark 4.0: {@code -Y vlan}, {@code -Y 'ip.flags.mf==1 || ip.frag_offset>0'},
     * {@code -o ip.check_checksum:TRUE -Y ip} (no capture has a bad IPv4 header checksum).
     */
    private static final Map<String, int[]> TSHARK = Map.ofEntries(
        Map.entry("ppp_ip4_fragments.pcap", new int[]{ 53, 0, 50, 53 }),
        Map.entry("ppp_one_tcp_stream.pcap", new int[]{ 36, 0, 0, 36 }),
        Map.entry("ppp_tcp-reassembly.pcap", new int[]{ 66, 0, 0, 66 }),
        Map.entry("ppp_unidirectional_tcp_stream_with_missing_packet.pcap", new int[]{ 14, 0, 0, 14 }),
        Map.entry("sv_tcp-leading-gap.pcap", new int[]{ 7, 7, 0, 7 }),
        Map.entry("sv_tcp-overlap-exact.pcap", new int[]{ 7, 7, 0, 7 }),
        Map.entry("sv_tcp-overlap-partial.pcap", new int[]{ 7, 7, 0, 7 }),
        Map.entry("sv_tcp-simple-gap.pcap", new int[]{ 7, 7, 0, 7 }),
        Map.entry("zeek_http_206_example_a.pcap", new int[]{ 672, 0, 0, 672 }),
        Map.entry("zeek_ipv4_fragmented-1.pcap", new int[]{ 3, 0, 3, 3 }),
        Map.entry("zeek_ipv4_fragmented-2.pcap", new int[]{ 3, 0, 3, 3 }),
        Map.entry("zeek_ipv4_fragmented-3.pcap", new int[]{ 5, 0, 5, 5 }),
        Map.entry("zeek_ipv4_fragmented-4.pcap", new int[]{ 6, 0, 4, 6 }),
        Map.entry("zeek_irc-dcc-send.pcapng", new int[]{ 1184, 0, 0, 1184 }),
        Map.entry("zeek_tcp_handshake-reorder.pcap", new int[]{ 14, 0, 0, 14 }));

    @Test
    void shouldParseEveryFrameOfEveryCaptureAsTsharkDoes() throws Exception
    {
        final List<Path> captures = PcapFiles.captures();
        Assumptions.assumeFalse(captures.isEmpty(), "shared/pcaps not found");
        int checked = 0;
        for (final Path capture : captures)
        {
            final FrameWalker walker = new FrameWalker();
            for (final byte[] frame : PcapFiles.readFrames(capture))
            {
                walker.walk(new UnsafeBuffer(frame), 0, frame.length);
            }
            final int[] expected = TSHARK.get(capture.getFileName().toString());
            if (null == expected)
            {
                System.out.println("CaptureParsingTest: no tshark counts for " + capture + ", parsed without error only");
                continue;
            }
            final String name = capture.getFileName().toString();
            assertEquals(expected[0], walker.frames, name + " frames");
            assertEquals(expected[1], walker.vlanTagged, name + " VLAN-tagged");
            assertEquals(expected[2], walker.fragments, name + " fragments");
            assertEquals(expected[3], walker.ipv4Ok, name + " IPv4 parsed OK");
            checked++;
        }
        assertTrue(checked >= TSHARK.size(), "captures checked: " + checked);
    }
}
