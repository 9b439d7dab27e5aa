package io.dominoes.net.stack;

import io.dominoes.net.TestSeeds;
import io.dominoes.net.device.FaultConfig;
import io.dominoes.net.device.MemoryPair;
import io.dominoes.net.iface.Interface;
import io.dominoes.net.iface.Routes;
import io.dominoes.net.tcp.TcpConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A million frames into Interface + TCP: random bytes and mutations of real frames recorded from a
 * two-stack simulation (bit flips, byte overwrites, truncation, extension, field splices), half of the
 * mutants with their IPv4 and TCP checksums recomputed so they reach the TCP state machines. Nothing
 * may throw, and every frame must be accounted for: processed (ARP, ICMP echo, a TCP segment accepted)
 * or dropped with a reason. Frame count: {@code -Ddominoes.fuzz.frames=N} (default 1,000,000).
 */
class StackFuzzTest
{
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyFrameIsProcessedOrDroppedWithAReasonAndNothingThrows()
    {
        final long seed = TestSeeds.seed("everyFrameIsProcessedOrDroppedWithAReasonAndNothingThrows");
        final long frameCount = Long.getLong("dominoes.fuzz.frames", 1_000_000L);

        final StackSim sim = new StackSim(seed, StackSimulationTest.ISSUE_FAULTS);
        sim.recordLimit = 10_000;
        sim.run(1 << 20, 3600_000_000_000L);
        // frames the client sent to the server (and ARP): addressed to the target below
        final List<byte[]> corpus = new java.util.ArrayList<>();
        for (final byte[] recorded : sim.recorded)
        {
            final UnsafeBuffer view = new UnsafeBuffer(recorded);
            if (recorded.length < 34 || view.getShort(12) != (short)0x0008 ||
                view.getInt(30, java.nio.ByteOrder.BIG_ENDIAN) == StackSim.SERVER_ADDR)
            {
                corpus.add(recorded);
            }
        }
        assertTrue(corpus.size() > 500, "corpus " + corpus.size());

        final MemoryPair pair = new MemoryPair(1500, 64);
        final NetworkStack target = new NetworkStack(pair.b(), StackSim.SERVER_MAC,
            new Routes(StackSim.SERVER_ADDR, 24, 0),
            new TcpStackConfig().maxConnections(32).maxBacklog(16).reassemblyMemoryBytes(32L * 64 * 1024)
                .socketConfig(new TcpConfig().receiveBufferCapacity(64 * 1024).sendBufferCapacity(64 * 1024)));
        target.tcp().listen(StackSim.SERVER_PORT, 16);
        // the client's side too, so recorded server-to-client frames also find a listener or RST path
        target.tcp().listen(80, 4);

        final SplittableRandom random = new SplittableRandom(seed);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
        final UnsafeBuffer drain = new UnsafeBuffer(new byte[2048]);
        final TcpFrames frames = new TcpFrames();
        final Interface iface = target.iface();
        long nowNs = 1_000_000_000L;
        long framesIn = 0;
        final long started = System.nanoTime();
        try
        {
            for (long i = 0; i < frameCount; i++)
            {
                final int length = nextFrame(random, corpus, frame, frames);
                framesIn++;
                iface.onFrame(frame, 0, length, nowNs);
                if ((i & 63) == 0)
                {
                    nowNs += 1 + random.nextLong(50_000_000L);
                    target.poll(nowNs);
                    while (pair.a().receive(nowNs, drain, 0, drain.capacity()) > 0)
                    {
                        // discard what the target sent
                    }
                }
            }
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError("seed=" + seed + " after " + framesIn + " frames", ex);
        }
        final long realMs = (System.nanoTime() - started) / 1_000_000;

        final TcpLayer tcp = target.tcp();
        final String summary = "seed=" + seed + " frames=" + framesIn + " real=" + realMs + "ms iface drops: " +
            iface.describeDrops() + " arp=" + iface.arpPacketsProcessed() + " echo=" + iface.echoRequestsReceived() +
            " tcp accepted=" + tcp.segmentsAccepted() + " tcp drops: " + tcp.describeDrops() +
            " connections=" + tcp.connectionCount() + " sockets=" + tcp.socketsCreated();
        System.out.println(summary);
        assertEquals(framesIn, iface.receiveDrops() + iface.arpPacketsProcessed() + iface.echoRequestsReceived() +
            iface.ipv4Delivered(), summary);
        assertEquals(iface.ipv4Delivered(), tcp.segmentsReceived(), summary);
        assertEquals(tcp.segmentsReceived(), tcp.segmentsAccepted() + tcp.totalDrops(), summary);
        // replays and mutants reach the connection state machines, not only the parsers
        assertTrue(tcp.segmentsAccepted() > 0 && tcp.drops(TcpDropReason.SOCKET_UNACCEPTABLE) > 1000 &&
            tcp.drops(TcpDropReason.SOCKET_BAD_ACK) > 0, "mutants reached the sockets: " + summary);
        assertTrue(tcp.socketsCreated() <= 32, summary);
    }

    private static int nextFrame(
        final SplittableRandom random, final List<byte[]> corpus, final UnsafeBuffer frame, final TcpFrames frames)
    {
        final int kind = random.nextInt(16);
        if (kind == 0)
        {
            final int length = random.nextInt(1600);
            for (int i = 0; i < length; i++)
            {
                frame.putByte(i, (byte)random.nextInt());
            }
            return length;
        }
        final byte[] original = corpus.get(random.nextInt(corpus.size()));
        int length = original.length;
        frame.putBytes(0, original);
        // deliver everything to the target's MAC (frames recorded in both directions)
        frame.putBytes(0, new byte[] {2, 0, 0, 0, 9, 2});
        if (kind <= 4)
        {
            return length; // a replay: duplicates and old segments for the state machines
        }
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && length > 14; m++)
        {
            switch (random.nextInt(5))
            {
                case 0:
                    final int bit = random.nextInt(length * 8);
                    frame.putByte(bit >> 3, (byte)(frame.getByte(bit >> 3) ^ (1 << (bit & 7))));
                    break;
                case 1:
                    frame.putByte(14 + random.nextInt(Math.min(60, length - 14)), (byte)random.nextInt());
                    break;
                case 2:
                    length = random.nextInt(length + 1);
                    break;
                case 3:
                    final int extra = random.nextInt(Math.max(1, 1514 - length));
                    for (int i = 0; i < extra; i++)
                    {
                        frame.putByte(length + i, (byte)random.nextInt());
                    }
                    length += extra;
                    break;
                default:
                    // splice a header field from another real frame (seq/ack/flags/options pairs that never met)
                    final byte[] other = corpus.get(random.nextInt(corpus.size()));
                    final int at = 34 + random.nextInt(20);
                    final int n = Math.min(1 + random.nextInt(8), Math.min(other.length, length) - at);
                    if (n > 0)
                    {
                        frame.putBytes(at, other, at, n);
                    }
                    break;
            }
        }
        if (random.nextBoolean())
        {
            frames.fixChecksums(frame, length);
        }
        return length;
    }
}
