package io.dominoes.net.tcp;

import org.junit.jupiter.api.Test;

import static io.dominoes.net.wire.TcpSegment.FLAG_ACK;
import static io.dominoes.net.wire.TcpSegment.FLAG_RST;
import static io.dominoes.net.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class TcpListenerTest
{
    static final int LOCAL_ADDR = 0x0A000001;
    static final int REMOTE_ADDR = 0x0A000002;
    static final int ISS = 700;

    final TcpListener listener = new TcpListener(
        new TcpConfig().receiveBufferCapacity(4096).sendBufferCapacity(4096).isnGenerator((a, b, c, d, e) -> ISS),
        LOCAL_ADDR, 80, 2, 1, 4);
    final CapturingEmitter out = new CapturingEmitter();
    final TcpSegmentRepr in = new TcpSegmentRepr();

    int send(final int remotePort, final int flags, final int seq, final int ack)
    {
        in.addresses(REMOTE_ADDR, remotePort, LOCAL_ADDR, 80).header(seq, ack, flags, 4096);
        final int result = listener.process(in, 0);
        listener.dispatch(out, 0);
        return result;
    }

    TcpSegmentRepr next()
    {
        return CapturingEmitter.parse(out.poll(), new TcpSegmentRepr());
    }

    @Test
    void handshakeThenAccept()
    {
        assertEquals(TcpSocket.ACCEPTED, send(1111, FLAG_SYN, 10, 0));
        assertEquals(1, listener.halfOpen());
        final TcpSegmentRepr synAck = next();
        assertEquals(FLAG_SYN | FLAG_ACK, synAck.flags());
        assertEquals(1111, synAck.dstPort());
        assertNull(listener.accept());
        send(1111, FLAG_ACK, 11, ISS + 1);
        final TcpSocket socket = listener.accept();
        assertNotNull(socket);
        assertEquals(TcpState.ESTABLISHED, socket.state());
        assertEquals(1111, socket.remotePort());
    }

    @Test
    void synQueueIsBounded()
    {
        send(1, FLAG_SYN, 10, 0);
        send(2, FLAG_SYN, 10, 0);
        assertEquals(TcpListener.DROPPED_QUEUE_FULL, send(3, FLAG_SYN, 10, 0));
        assertEquals(2, listener.halfOpen());
        assertEquals(1, listener.droppedSyns());
    }

    @Test
    void backlogIsBoundedAndTheHandshakeWaitsUntilAccepted()
    {
        send(1, FLAG_SYN, 10, 0);
        send(2, FLAG_SYN, 10, 0);
        send(1, FLAG_ACK, 11, ISS + 1);
        assertEquals(1, listener.acceptQueueLength());
        assertEquals(TcpListener.DROPPED_QUEUE_FULL, send(2, FLAG_ACK, 11, ISS + 1), "backlog of 1 is full");
        final TcpSocket first = listener.accept();
        assertEquals(1, first.remotePort());
        assertEquals(TcpSocket.ACCEPTED, send(2, FLAG_ACK, 11, ISS + 1));
        assertEquals(2, listener.accept().remotePort());
    }

    @Test
    void ackToTheListeningPortIsReset()
    {
        assertEquals(TcpSocket.DROPPED_STATE, send(9, FLAG_ACK, 10, 5555));
        listener.dispatch(out, 0);
        final TcpSegmentRepr rst = next();
        assertEquals(FLAG_RST, rst.flags());
        assertEquals(5555, rst.seq());
        assertEquals(9, rst.dstPort());
    }

    @Test
    void resetHalfOpenConnectionFreesItsSlotAndReleasedSocketIsReused()
    {
        send(1, FLAG_SYN, 10, 0);
        send(1, FLAG_RST, 11, 0);
        assertEquals(0, listener.halfOpen());
        send(2, FLAG_SYN, 10, 0);
        send(2, FLAG_ACK, 11, ISS + 1);
        final TcpSocket socket = listener.accept();
        socket.abort();
        listener.release(socket);
        listener.dispatch(out, 0);
        send(3, FLAG_SYN, 10, 0);
        send(3, FLAG_ACK, 11, ISS + 1);
        final TcpSocket again = listener.accept();
        assertEquals(3, again.remotePort());
        assertSame(TcpState.ESTABLISHED, again.state());
    }

    @Test
    void otherPortIsNotMine()
    {
        in.addresses(REMOTE_ADDR, 5, LOCAL_ADDR, 81).header(1, 0, FLAG_SYN, 100);
        assertEquals(TcpListener.NOT_MINE, listener.process(in, 0));
    }
}
