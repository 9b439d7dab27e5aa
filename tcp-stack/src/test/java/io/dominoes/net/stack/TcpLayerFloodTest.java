package io.dominoes.net.stack;

import io.dominoes.net.TestSeeds;
import io.dominoes.net.device.MemoryPair;
import io.dominoes.net.iface.Routes;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpState;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.MacAddress;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Floods that must fill counters, not memory: the connection table, SYN backlog and reassembly stay
 * within their configured bounds while every dropped segment is counted.
 */
class TcpLayerFloodTest
{
    private static final int A = Ipv4Address.parse("10.8.0.1");
    private static final int B = Ipv4Address.parse("10.8.0.2");
    private static final long MAC_A = MacAddress.parse("02:00:00:00:08:01");
    private static final long MAC_B = MacAddress.parse("02:00:00:00:08:02");
    private static final long ATTACKER_MAC = MacAddress.parse("02:00:00:00:08:99");

    private final MemoryPair pair = new MemoryPair(1500, 4096);
    private final NetworkStack client = new NetworkStack(pair.a(), MAC_A, new Routes(A, 24, 0), config());
    private final NetworkStack server = new NetworkStack(pair.b(), MAC_B, new Routes(B, 24, 0), config());
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
    private final TcpFrames frames = new TcpFrames();
    private long nowNs = 1_000_000_000L;

    private static TcpStackConfig config()
    {
        return new TcpStackConfig().maxConnections(16).maxBacklog(8).reassemblyMemoryBytes(16L * 64 * 1024)
            .socketConfig(new TcpConfig().receiveBufferCapacity(64 * 1024).sendBufferCapacity(64 * 1024));
    }

    private void pumpUntil(final BooleanSupplier done, final long maxNs)
    {
        final long limit = nowNs + maxNs;
        while (!done.getAsBoolean())
        {
            if (nowNs > limit)
            {
                throw new AssertionError("not done by " + nowNs + ": server " + server.tcp().describeDrops());
            }
            if (client.poll(nowNs) + server.poll(nowNs) == 0)
            {
                final long next = Math.min(client.pollAtNs(nowNs), server.pollAtNs(nowNs));
                nowNs = next > nowNs && next != Long.MAX_VALUE ? Math.min(next, limit + 1) : nowNs + 1_000_000L;
            }
        }
    }

    @Test
    @Timeout(60)
    void synFloodIsBoundedByTheBacklogAndEmbryonicConnectionsExpire()
    {
        final long seed = TestSeeds.seed("synFloodIsBoundedByTheBacklogAndEmbryonicConnectionsExpire");
        final SplittableRandom random = new SplittableRandom(seed);
        final TcpListener listener = server.tcp().listen(80, 8);
        final int synCount = 100_000;
        for (int i = 0; i < synCount; i++)
        {
            // spoofed sources on the link: SYN-ACKs wait for ARP answers that never come
            final int source = (A & 0xFFFFFF00) | (3 + random.nextInt(250));
            final int length = frames.tcp(frame, MAC_B, ATTACKER_MAC, source, 1024 + random.nextInt(60000), B, 80,
                random.nextInt(), 0, TcpSegment.FLAG_SYN, 0);
            server.iface().onFrame(frame, 0, length, nowNs);
            if (i % 64 == 0)
            {
                server.poll(nowNs);
            }
            assertTrue(server.tcp().connectionCount() <= 8, "seed=" + seed + " table " + server.tcp().connectionCount());
        }
        final TcpLayer tcp = server.tcp();
        assertEquals(synCount, tcp.segmentsReceived());
        assertEquals(synCount, tcp.segmentsAccepted() + tcp.totalDrops(), tcp.describeDrops());
        // A spoofed SYN may repeat the 4-tuple of one of the 8 embryonic connections (250 sources x 60000 ports:
        // a few percent of seeds do): it then goes to that socket, which refuses it (SOCKET_UNACCEPTABLE), as it
        // should; every other SYN beyond the backlog is a BACKLOG_FULL drop.
        assertTrue(tcp.drops(TcpDropReason.BACKLOG_FULL) + tcp.drops(TcpDropReason.SOCKET_UNACCEPTABLE) >= synCount - 8,
            "seed=" + seed + " " + tcp.describeDrops());
        assertTrue(tcp.socketsCreated() <= 8, "sockets " + tcp.socketsCreated());
        assertEquals(8, listener.pending());

        // RFC 9293 3.8.3: the SYN-ACKs are retransmitted until maxSynRetransmissions, then the slots come back.
        pumpUntil(() -> tcp.connectionCount() == 0, 600_000_000_000L);
        assertEquals(0, listener.pending());
        assertTrue(tcp.connectionsReclaimed() >= 8);

        // a real client still gets through afterwards
        final TcpConnection connection = client.tcp().connect(B, 80, nowNs);
        pumpUntil(() -> listener.acceptable() > 0, 10_000_000_000L);
        assertNotNull(server.tcp().accept(listener));
        assertEquals(TcpState.ESTABLISHED, connection.state());
    }

    @Test
    @Timeout(60)
    void segmentsToClosedPortsAreAnsweredWithResetAndCounted()
    {
        final int length = frames.tcp(frame, MAC_B, MAC_A, A, 40000, B, 9, 1000, 0, TcpSegment.FLAG_SYN, 0);
        server.iface().onFrame(frame, 0, length, nowNs);
        assertEquals(1, server.tcp().drops(TcpDropReason.NO_CONNECTION));
        assertEquals(1, server.tcp().resetsSent());
        // a RST is never answered with a RST
        final int rst = frames.tcp(frame, MAC_B, MAC_A, A, 40000, B, 9, 1000, 0, TcpSegment.FLAG_RST, 0);
        server.iface().onFrame(frame, 0, rst, nowNs);
        assertEquals(2, server.tcp().drops(TcpDropReason.NO_CONNECTION));
        assertEquals(1, server.tcp().resetsSent());
        // the client side had no connection either: the RST it receives is dropped and counted
        // (after ARP resolves the client's MAC, the queued RST goes out)
        pumpUntil(() -> client.tcp().drops(TcpDropReason.NO_CONNECTION) > 0, 5_000_000_000L);
        assertEquals(1, client.tcp().drops(TcpDropReason.NO_CONNECTION));
        assertEquals(0, client.tcp().resetsSent());
    }

    @Test
    @Timeout(60)
    void outOfWindowFloodOnAnEstablishedConnectionIsCountedAndTheConnectionStillWorks()
    {
        final long seed = TestSeeds.seed("outOfWindowFloodOnAnEstablishedConnectionIsCountedAndTheConnectionStillWorks");
        final SplittableRandom random = new SplittableRandom(seed);
        final TcpListener listener = server.tcp().listen(80, 4);
        final TcpConnection clientSide = client.tcp().connect(B, 80, nowNs);
        pumpUntil(() -> listener.acceptable() > 0, 10_000_000_000L);
        final TcpConnection serverSide = server.tcp().accept(listener);
        assertNotNull(serverSide);
        assertNull(server.tcp().accept(listener));

        final int rcvNxt = serverSide.socket().rcvNxt();
        final int floodCount = 100_000;
        for (int i = 0; i < floodCount; i++)
        {
            // sequence numbers at least 1 GiB away from RCV.NXT: never in a 64 KiB window
            final int seq = rcvNxt + (1 << 30) + random.nextInt(1 << 30);
            final int length = frames.tcp(frame, MAC_B, MAC_A, A, clientSide.localPort(), B, 80, seq,
                serverSide.socket().sndNxt(), TcpSegment.FLAG_ACK, 1 + random.nextInt(1400));
            server.iface().onFrame(frame, 0, length, nowNs);
            if (i % 256 == 0)
            {
                server.poll(nowNs);
                assertTrue(serverSide.socket().assembler().rangeCount() == 0, "nothing reassembled");
                assertEquals(0, serverSide.readableBytes());
            }
            pair.a().receive(nowNs, frame, 0, frame.capacity()); // drain the challenge ACKs
        }
        final TcpLayer tcp = server.tcp();
        assertEquals(floodCount, tcp.drops(TcpDropReason.SOCKET_UNACCEPTABLE), tcp.describeDrops());
        assertEquals(tcp.segmentsReceived(), tcp.segmentsAccepted() + tcp.totalDrops());
        assertEquals(1, tcp.connectionCount());
        assertEquals(2, tcp.socketsCreated() + client.tcp().socketsCreated());

        // the real connection is unharmed: 1 MiB flows client to server
        final UnsafeBuffer data = new UnsafeBuffer(new byte[1 << 20]);
        final UnsafeBuffer sink = new UnsafeBuffer(new byte[65536]);
        final long[] moved = new long[2];
        pumpUntil(() ->
        {
            if (moved[0] < data.capacity())
            {
                moved[0] += Math.max(0, clientSide.write(data, (int)moved[0], data.capacity() - (int)moved[0]));
            }
            moved[1] += Math.max(0, serverSide.read(sink, 0, sink.capacity()));
            return moved[1] == data.capacity();
        }, 60_000_000_000L);
    }

    @Test
    void apiMisuseFailsFastNamingTheValueAndLimit()
    {
        final IllegalArgumentException backlog =
            assertThrows(IllegalArgumentException.class, () -> server.tcp().listen(80, 9));
        assertTrue(backlog.getMessage().contains("backlog=9") && backlog.getMessage().contains("maxBacklog=8"));
        server.tcp().listen(80, 1);
        assertThrows(IllegalStateException.class, () -> server.tcp().listen(80, 1));
        final IllegalArgumentException memory = assertThrows(IllegalArgumentException.class,
            () -> new TcpStackConfig().maxConnections(100).maxBacklog(8).reassemblyMemoryBytes(1 << 20).conclude());
        assertTrue(memory.getMessage().contains("reassemblyMemoryBytes=1048576"), memory.getMessage());
        for (int i = 0; i < 16; i++)
        {
            client.tcp().connect(B, 81, nowNs);
        }
        final IllegalStateException full = assertThrows(IllegalStateException.class, () -> client.tcp().connect(B, 81, nowNs));
        assertTrue(full.getMessage().contains("maxConnections=16"), full.getMessage());
    }
}
