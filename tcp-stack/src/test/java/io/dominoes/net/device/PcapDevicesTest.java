package io.dominoes.net.device;

import io.dominoes.net.PcapFiles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapDevicesTest
{
    private final UnsafeBuffer received = new UnsafeBuffer(new byte[65536]);

    private static Path capture(final String name)
    {
        final Path dir = PcapFiles.capturesDirectory();
        Assumptions.assumeTrue(null != dir, "shared/pcaps not found");
        return dir.resolve(name);
    }

    @Test
    @Timeout(30)
    void shouldReplayEveryFrameOfACaptureByteForByte() throws IOException
    {
        for (final String name : List.of("sv_tcp-simple-gap.pcap", "zeek_irc-dcc-send.pcapng"))
        {
            final Path file = capture(name);
            final List<byte[]> expected = PcapFiles.readFrames(file);
            try (PcapReplayDevice replay = new PcapReplayDevice(file, 1500, false, 0))
            {
                for (int i = 0; i < expected.size(); i++)
                {
                    final int n = replay.receive(0, received, 0, received.capacity());
                    final byte[] actual = new byte[n];
                    received.getBytes(0, actual);
                    assertArrayEquals(expected.get(i), actual, name + " frame " + i);
                }
                assertEquals(0, replay.receive(0, received, 0, received.capacity()));
                assertTrue(replay.isExhausted());
                assertEquals(expected.size(), replay.framesReplayed());
            }
        }
    }

    @Test
    @Timeout(30)
    void shouldPaceReplayByCaptureTimestamps()
    {
        final Path file = capture("zeek_tcp_handshake-reorder.pcap");
        try (PcapReplayDevice replay = new PcapReplayDevice(file, 1500, true, 1_000L))
        {
            assertEquals(0, replay.receive(999, received, 0, received.capacity()), "not before start");
            assertTrue(replay.receive(1_000, received, 0, received.capacity()) > 0, "first frame at start");
            // The rest come out only as the clock moves past each capture offset.
            int got = 1;
            long now = 1_000;
            while (!replay.isExhausted() && now < 1_000 + 3_600_000_000_000L)
            {
                while (replay.receive(now, received, 0, received.capacity()) > 0)
                {
                    got++;
                }
                now += 1_000_000_000L;
            }
            assertEquals(14, got);
        }
    }

    @Test
    @Timeout(60)
    void shouldWriteACaptureThatTsharkReadsAndReplayReturns(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("trace.pcap");
        final MemoryPair pair = new MemoryPair(1500, 16);
        final byte[] arp = hex("ffffffffffff0200000000010806000108000604000102000000000" +
            "10a4d00010000000000000a4d0002000000000000000000000000000000000000");
        final byte[] ping = hex("0200000000020200000000010800450000241c464000400109f70a4d00010a4d0002" +
            "08005435123400016162636465666768");
        try (PcapWriterDevice traced = new PcapWriterDevice(pair.a(), file, 1_700_000_000_000_000_000L))
        {
            assertTrue(traced.transmit(1_000, new UnsafeBuffer(arp), 0, arp.length));
            assertTrue(pair.b().transmit(2_000, new UnsafeBuffer(ping), 0, ping.length));
            assertEquals(ping.length, traced.receive(2_000, received, 0, received.capacity()));
            assertEquals(0, traced.receive(3_000, received, 0, received.capacity()));
            assertEquals(2, traced.framesWritten());
        }

        try (PcapReplayDevice replay = new PcapReplayDevice(file, 1500, false, 0))
        {
            assertEquals(arp.length, replay.receive(0, received, 0, received.capacity()));
            assertEquals(ping.length, replay.receive(0, received, 0, received.capacity()));
            final byte[] back = new byte[ping.length];
            received.getBytes(0, back);
            assertArrayEquals(ping, back);
        }

        final Path tshark = Path.of("/usr/bin/tshark");
        if (!Files.isExecutable(tshark))
        {
            System.out.println("SKIPPED tshark check: /usr/bin/tshark not installed (scripts/install-deps.sh)");
            return;
        }
        final Process process = new ProcessBuilder(
            tshark.toString(), "-r", file.toString(), "-T", "fields", "-e", "frame.protocols", "-e", "frame.time_epoch")
            .redirectErrorStream(false)
            .start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        final String[] lines = out.strip().split("\n");
        assertEquals(2, lines.length, out);
        assertTrue(lines[0].startsWith("eth:ethertype:arp\t1700000000.000001000"), lines[0]);
        assertTrue(lines[1].startsWith("eth:ethertype:ip:icmp:data\t1700000000.000002000"), lines[1]);
    }

    private static byte[] hex(final String hex)
    {
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
