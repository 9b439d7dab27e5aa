package io.dominoes.net.stack;

import io.dominoes.net.device.MemoryPair;
import io.dominoes.net.iface.Routes;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpState;
import io.dominoes.net.wire.EthernetFrame;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.MacAddress;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.dominoes.net.wire.TcpSegment.FLAG_ACK;
import static io.dominoes.net.wire.TcpSegment.FLAG_RST;
import static io.dominoes.net.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The listener of a {@link TcpLayer}, driven state by state with hand-made frames: the handshake reaches the
 * accept queue, the backlog bounds SYN queue plus accept queue together, an ACK to a listening port is reset,
 * a half-open connection that is reset gives its place back, and closing a listener resets what it still holds.
 */
@Timeout(30)
class TcpListenerTest
{
    private static final int LOCAL = Ipv4Address.parse("10.9.0.1");
    private static final int REMOTE = Ipv4Address.parse("10.9.0.2");
    private static final long LOCAL_MAC = MacAddress.parse("02:00:00:00:09:01");
    private static final long REMOTE_MAC = MacAddress.parse("02:00:00:00:09:02");
    private static final int ISS = 700;
    private static final int TCP_OFFSET = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;

    private final MemoryPair pair = new MemoryPair(1500, 64);
    private final NetworkStack server = new NetworkStack(pair.b(), LOCAL_MAC, new Routes(LOCAL, 24, 0),
        new TcpStackConfig().maxConnections(4).maxBacklog(4).reassemblyMemoryBytes(4L * 4096)
            .socketConfig(new TcpConfig().receiveBufferCapacity(4096).sendBufferCapacity(4096)
                .isnGenerator((a, b, c, d, e) -> ISS)));
    private final TcpFrames frames = new TcpFrames();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer received = new UnsafeBuffer(new byte[2048]);
    private final TcpSegment segment = new TcpSegment();
    private final long nowNs = 1_000_000_000L;
    private TcpLayer tcp;

    @BeforeEach
    void resolveRemote()
    {
        tcp = server.tcp();
        // a static neighbour entry, so replies go out at once instead of waiting for ARP
        server.iface().arpCache().update(REMOTE, REMOTE_MAC, nowNs);
    }

    private void send(final int remotePort, final int flags, final int seq, final int ack)
    {
        final int length = frames.tcp(frame, LOCAL_MAC, REMOTE_MAC, REMOTE, remotePort, LOCAL, 80, seq, ack, flags, 0);
        server.iface().onFrame(frame, 0, length, nowNs);
        server.poll(nowNs);
    }

    /**
     * @return the next segment the server sent, or null.
     */
    private TcpSegment next()
    {
        final int length = pair.a().receive(nowNs, received, 0, received.capacity());
        if (length <= 0)
        {
            return null;
        }
        segment.wrap(received, TCP_OFFSET, length - TCP_OFFSET);
        assertEquals(TcpSegment.OK, segment.checkLength());
        return segment;
    }

    @Test
    void handshakeThenAccept()
    {
        final TcpListener listener = tcp.listen(80, 2);
        send(1111, FLAG_SYN, 10, 0);
        assertEquals(1, listener.pending());
        final TcpSegment synAck = next();
        assertNotNull(synAck);
        assertEquals(FLAG_SYN | FLAG_ACK, synAck.flags() & (FLAG_SYN | FLAG_ACK | FLAG_RST));
        assertEquals(1111, synAck.dstPort());
        assertEquals(ISS, synAck.seq());
        assertEquals(11, synAck.ack());
        assertNull(tcp.accept(listener));

        send(1111, FLAG_ACK, 11, ISS + 1);
        assertEquals(1, listener.acceptable());
        final TcpConnection connection = tcp.accept(listener);
        assertNotNull(connection);
        assertEquals(TcpState.ESTABLISHED, connection.state());
        assertEquals(1111, connection.remotePort());
        assertEquals(0, listener.pending());
        assertNull(tcp.accept(listener));
    }

    @Test
    void backlogBoundsHalfOpenAndUnacceptedConnectionsTogether()
    {
        final TcpListener listener = tcp.listen(80, 2);
        send(1, FLAG_SYN, 10, 0);
        send(1, FLAG_ACK, 11, ISS + 1); // established, waiting in the accept queue
        send(2, FLAG_SYN, 10, 0);      // half-open
        assertEquals(2, listener.pending());
        assertEquals(1, listener.acceptable());
        send(3, FLAG_SYN, 10, 0);
        assertEquals(1, tcp.drops(TcpDropReason.BACKLOG_FULL), tcp.describeDrops());
        assertEquals(2, tcp.connectionCount());

        // accepting makes room for one more SYN
        assertEquals(1, tcp.accept(listener).remotePort());
        assertEquals(1, listener.pending());
        send(3, FLAG_SYN, 10, 0);
        assertEquals(2, listener.pending());
        assertEquals(1, tcp.drops(TcpDropReason.BACKLOG_FULL));
        send(2, FLAG_ACK, 11, ISS + 1);
        send(3, FLAG_ACK, 11, ISS + 1);
        assertEquals(2, tcp.accept(listener).remotePort());
        assertEquals(3, tcp.accept(listener).remotePort());
    }

    @Test
    void ackToTheListeningPortIsReset()
    {
        tcp.listen(80, 2);
        send(9, FLAG_ACK, 10, 5555);
        assertEquals(1, tcp.drops(TcpDropReason.LISTEN_NOT_SYN));
        final TcpSegment rst = next();
        assertNotNull(rst);
        // RFC 9293 3.10.7.2: "<SEQ=SEG.ACK><CTL=RST>"
        assertEquals(FLAG_RST, rst.flags());
        assertEquals(5555, rst.seq());
        assertEquals(9, rst.dstPort());
        assertEquals(0, tcp.connectionCount());
    }

    @Test
    void resetHalfOpenConnectionGivesItsPlaceBackAndItsSocketIsReused()
    {
        final TcpListener listener = tcp.listen(80, 1);
        send(1, FLAG_SYN, 10, 0);
        send(1, FLAG_RST, 11, 0);
        assertEquals(0, listener.pending());
        assertEquals(0, tcp.connectionCount());

        send(2, FLAG_SYN, 10, 0);
        send(2, FLAG_ACK, 11, ISS + 1);
        final TcpConnection first = tcp.accept(listener);
        assertEquals(2, first.remotePort());
        first.abort();
        server.poll(nowNs);
        assertEquals(0, tcp.connectionCount());

        send(3, FLAG_SYN, 10, 0);
        send(3, FLAG_ACK, 11, ISS + 1);
        final TcpConnection again = tcp.accept(listener);
        assertEquals(3, again.remotePort());
        assertSame(TcpState.ESTABLISHED, again.state());
        assertEquals(1, tcp.socketsCreated(), "the socket of the first connection is reused");
    }

    @Test
    void portWithoutListenerIsReset()
    {
        tcp.listen(81, 1);
        send(5, FLAG_SYN, 1, 0);
        assertEquals(1, tcp.drops(TcpDropReason.NO_CONNECTION));
        final TcpSegment rst = next();
        assertNotNull(rst);
        // RFC 9293 3.10.7.1: "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
        assertEquals(FLAG_RST | FLAG_ACK, rst.flags());
        assertEquals(2, rst.ack());
    }

    @Test
    void closingTheListenerResetsWhatItHolds()
    {
        final TcpListener listener = tcp.listen(80, 2);
        send(1, FLAG_SYN, 10, 0);
        send(1, FLAG_ACK, 11, ISS + 1);
        send(2, FLAG_SYN, 10, 0);
        while (null != next())
        {
            // the SYN-ACKs
        }
        tcp.close(listener);
        server.poll(nowNs);
        assertEquals(0, listener.pending());
        int resets = 0;
        for (TcpSegment s = next(); null != s; s = next())
        {
            resets += (s.flags() & FLAG_RST) != 0 ? 1 : 0;
        }
        assertEquals(2, resets, "the established and the half-open connection are reset");
        assertEquals(0, tcp.connectionCount());
        send(3, FLAG_SYN, 10, 0);
        assertEquals(1, tcp.drops(TcpDropReason.NO_CONNECTION), "the port no longer listens: " + tcp.describeDrops());
    }
}
