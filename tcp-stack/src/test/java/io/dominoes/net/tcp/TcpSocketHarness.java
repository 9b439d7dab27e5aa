package io.dominoes.net.tcp;

import io.dominoes.net.wire.TcpSegment;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.dominoes.net.wire.TcpSegment.FLAG_ACK;
import static io.dominoes.net.wire.TcpSegment.FLAG_FIN;
import static io.dominoes.net.wire.TcpSegment.FLAG_PSH;
import static io.dominoes.net.wire.TcpSegment.FLAG_RST;
import static io.dominoes.net.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives one {@link TcpSocket} by hand (smoltcp socket/tcp.rs style: send a segment, expect a reply); time is the
 * field {@code now}. Subclasses choose the configuration.
 */
abstract class TcpSocketHarness
{
    static final int LOCAL_ADDR = 0x0A000001;
    static final int REMOTE_ADDR = 0x0A000002;
    static final int LOCAL_PORT = 80;
    static final int REMOTE_PORT = 4000;
    static final int LOCAL_ISS = 1000;
    static final int REMOTE_ISS = 5000;
    static final long MS = 1_000_000L;

    TcpSocket socket;
    final CapturingEmitter out = new CapturingEmitter();
    final TcpSegmentRepr in = new TcpSegmentRepr();
    final UnsafeBuffer payloadBuffer = new UnsafeBuffer(new byte[70_000]);
    final UnsafeBuffer readBuffer = new UnsafeBuffer(new byte[70_000]);
    long now = 0;
    int localIss = LOCAL_ISS;

    TcpConfig config()
    {
        return new TcpConfig().mss(1000).receiveBufferCapacity(8192).sendBufferCapacity(8192)
            .windowScaling(false).timestamps(false).sack(false)
            .isnGenerator((la, lp, ra, rp, t) -> localIss);
    }

    @BeforeEach
    void setUp()
    {
        socket = new TcpSocket(config());
    }

    // ---------------------------------------------------------------------------------------- harness

    TcpSegmentRepr segment(final int flags, final int seq, final int ack, final int window)
    {
        return in.addresses(REMOTE_ADDR, REMOTE_PORT, LOCAL_ADDR, LOCAL_PORT).header(seq, ack, flags, window);
    }

    TcpSegmentRepr segment(final int flags, final int seq, final int ack, final int window, final String data)
    {
        final byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
        payloadBuffer.putBytes(0, bytes);
        return segment(flags, seq, ack, window).payload(payloadBuffer, 0, bytes.length);
    }

    int send(final TcpSegmentRepr segment)
    {
        return socket.process(segment, now);
    }

    List<TcpSegmentRepr> recv()
    {
        socket.dispatch(out, now);
        final List<TcpSegmentRepr> segments = new ArrayList<>();
        while (!out.isEmpty())
        {
            segments.add(CapturingEmitter.parse(out.poll(), new TcpSegmentRepr()));
        }
        return segments;
    }

    TcpSegmentRepr recvOne()
    {
        final List<TcpSegmentRepr> segments = recv();
        assertEquals(1, segments.size(), "segments " + segments);
        return segments.get(0);
    }

    void recvNothing()
    {
        final List<TcpSegmentRepr> segments = recv();
        assertTrue(segments.isEmpty(), "expected nothing, got " + segments);
    }

    static String text(final TcpSegmentRepr segment)
    {
        final byte[] bytes = new byte[segment.payloadLength()];
        segment.payloadBuffer().getBytes(segment.payloadOffset(), bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    static void assertSegment(
        final TcpSegmentRepr segment, final int flags, final int seq, final int ack, final String data)
    {
        assertEquals(flags, segment.flags(), "flags of " + segment);
        assertEquals(seq, segment.seq(), "seq of " + segment);
        if (0 != (flags & FLAG_ACK))
        {
            assertEquals(ack, segment.ack(), "ack of " + segment);
        }
        assertEquals(data, text(segment), "payload of " + segment);
    }

    String read()
    {
        final int n = socket.read(readBuffer, 0, readBuffer.capacity());
        if (n <= 0)
        {
            return n == 0 ? "" : "<" + n + ">";
        }
        final byte[] bytes = new byte[n];
        readBuffer.getBytes(0, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    int write(final String data)
    {
        final byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer src = new UnsafeBuffer(bytes);
        return socket.write(src, 0, bytes.length);
    }

    static String repeat(final char c, final int n)
    {
        return String.valueOf(c).repeat(n);
    }

    /**
     * Passive open to ESTABLISHED: local ISS 1000 (SND.NXT 1001), remote ISS 5000 (RCV.NXT 5001).
     */
    void established()
    {
        socket.listen(LOCAL_ADDR, LOCAL_PORT);
        final TcpSegmentRepr syn = segment(FLAG_SYN, REMOTE_ISS, 0, 8192);
        syn.options().mss(1000);
        send(syn);
        recvOne();
        now += 100 * MS;
        assertEquals(TcpSocket.ACCEPTED, send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192)));
        assertEquals(TcpState.ESTABLISHED, socket.state());
        // one RTT sample of 100 ms: SRTT 100 ms, RTTVAR 50 ms, RTO = 100 + 4 * 50 = 300 ms (RFC 6298 2.2)
        assertEquals(300 * MS, socket.rttEstimator().rtoNs());
    }
}
