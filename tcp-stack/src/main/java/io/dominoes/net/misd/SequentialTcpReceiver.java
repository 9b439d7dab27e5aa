package io.dominoes.net.misd;

import io.dominoes.channels.Publisher;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpEmitter;
import io.dominoes.net.tcp.TcpSegmentRepr;
import io.dominoes.net.tcp.TcpSocket;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The single-threaded stack: one ordinary {@link TcpSocket} on the caller's thread; per frame it verifies the
 * checksums, processes the segment (copying the payload into the socket's own buffer), and dispatches. The
 * reference the replicated path must match, and the "single" baseline of the benchmark.
 */
public final class SequentialTcpReceiver implements TcpReceivePath, TcpEmitter
{
    private static final int IP_HEADER = Ipv4Packet.MIN_HEADER_LENGTH;
    private final TcpSocket socket;
    private final TcpSegment segment = new TcpSegment();
    private final TcpSegmentRepr repr = new TcpSegmentRepr();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[IP_HEADER + 65_536]);
    private final UnsafeBuffer pending = new UnsafeBuffer(new byte[1 << 20]);
    private final boolean keepOutput;
    private int pendingLength;
    private int outLength;
    private long nowNs;
    private long sent;
    private long rejected;
    private Publisher output;
    private long outputRefused;

    /**
     * @param config     socket settings.
     * @param localAddr  address to listen on.
     * @param localPort  port to listen on.
     * @param keepOutput true to keep sent frames for {@link #flush}, false to count and drop them (benchmark).
     */
    public SequentialTcpReceiver(final TcpConfig config, final int localAddr, final int localPort, final boolean keepOutput)
    {
        this.socket = new TcpSocket(config);
        this.keepOutput = keepOutput;
        socket.listen(localAddr, localPort);
    }

    /**
     * Also offer every sent frame (type {@link ReceiveEvents#OUTPUT_FRAME}) to {@code output}, as the replicated path
     * sends its ACKs into an output channel: a benchmark then charges both paths the same hand-off to a device.
     *
     * @param output publisher used only from this receiver's thread; a refused offer is counted, not retried.
     * @return this.
     */
    public SequentialTcpReceiver sendTo(final Publisher output)
    {
        this.output = output;
        return this;
    }

    /**
     * @return frames the {@link #sendTo} publisher refused (back-pressure or closed).
     */
    public long outputRefused()
    {
        return outputRefused;
    }

    /**
     * {@inheritDoc}
     */
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (SegmentVerdict.OK != SegmentVerdict.verify(buffer, offset, length))
        {
            rejected++;
            return;
        }
        final int headerLength = SegmentVerdict.checkIp(buffer, offset, length);
        final int total = SegmentVerdict.totalLength(buffer, offset);
        segment.wrap(buffer, offset + headerLength, total - headerLength);
        if (TcpSegment.OK != repr.parse(segment,
            SegmentVerdict.sourceAddress(buffer, offset), SegmentVerdict.destinationAddress(buffer, offset)))
        {
            rejected++;
            return;
        }
        socket.process(repr, nowNs);
        socket.dispatch(this, nowNs);
    }

    /**
     * {@inheritDoc}
     */
    public void onTick(final long nowNs)
    {
        if (nowNs > this.nowNs)
        {
            this.nowNs = nowNs;
        }
        if (this.nowNs >= socket.pollAt())
        {
            socket.dispatch(this, this.nowNs);
        }
    }

    /**
     * {@inheritDoc}
     */
    public int read(final MutableDirectBuffer dst, final int offset, final int length)
    {
        final int n = socket.read(dst, offset, length);
        if (n > 0)
        {
            socket.dispatch(this, nowNs);
            return n;
        }
        return 0;
    }

    /**
     * {@inheritDoc}
     */
    public int flush(final FrameSink sink)
    {
        int frames = 0;
        int at = 0;
        while (at < pendingLength)
        {
            final int length = pending.getInt(at);
            sink.onFrame(pending, at + 4, length);
            at += 4 + length;
            frames++;
        }
        pendingLength = 0;
        return frames;
    }

    /**
     * {@inheritDoc}
     */
    public long inOrderBytes()
    {
        return socket.receivedStreamPosition();
    }

    /**
     * {@inheritDoc}
     */
    public long sentFrames()
    {
        return sent;
    }

    /**
     * {@inheritDoc}
     */
    public long rejectedFrames()
    {
        return rejected;
    }

    /**
     * @return the socket (state, digest, statistics).
     */
    public TcpSocket socket()
    {
        return socket;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        pendingLength = 0;
    }

    // ------------------------------------------------------------------------------------------- emitter

    /**
     * {@inheritDoc}
     */
    public int claim(final int srcAddr, final int dstAddr, final int tcpLength)
    {
        if (IP_HEADER + tcpLength > out.capacity())
        {
            return NO_SPACE;
        }
        Ipv4Packet.emit(out, 0, tcpLength, 0, Ipv4Packet.FLAG_DONT_FRAGMENT, 64, Ipv4Packet.PROTOCOL_TCP, srcAddr, dstAddr);
        outLength = IP_HEADER + tcpLength;
        return IP_HEADER;
    }

    /**
     * {@inheritDoc}
     */
    public MutableDirectBuffer buffer()
    {
        return out;
    }

    /**
     * {@inheritDoc}
     */
    public void commit()
    {
        sent++;
        if (null != output && output.offer(ReceiveEvents.OUTPUT_FRAME, out, 0, outLength) < 0)
        {
            outputRefused++;
        }
        if (keepOutput)
        {
            if (pendingLength + 4 + outLength > pending.capacity())
            {
                throw new IllegalStateException("unflushed output exceeds " + pending.capacity() + " bytes: call flush()");
            }
            pending.putInt(pendingLength, outLength);
            pending.putBytes(pendingLength + 4, out, 0, outLength);
            pendingLength += 4 + outLength;
        }
    }
}
