package io.dominoes.bench.jmh.net;

import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpEmitter;
import io.dominoes.net.tcp.TcpSegmentRepr;
import io.dominoes.net.tcp.TcpSocket;
import io.dominoes.net.tcp.TcpState;
import io.dominoes.net.wire.TcpOptionValues;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Single-thread receive cost per TCP segment, split into its three parts, for 64, 512, 1460 and 9000-byte
 * payloads: {@link #checksum} (RFC 1071 sum over pseudo-header and segment), {@link #headerAndState}
 * (parse + {@link TcpSocket#process} of the next in-order segment, the payload appended to the receive
 * ring; the ring is emptied in bulk every 256 KiB) and {@link #headerStateAndCopy} (the same plus copying
 * the payload out to the application: copy = headerStateAndCopy - headerAndState). A pre-built segment is replayed with its sequence number advanced
 * each time, into an ESTABLISHED socket; ACK output is drained every 16 segments like a poll loop.
 * <p>
 * Run: {@code java -cp bench/target/classes:bench/target/lib/* org.openjdk.jmh.Main TcpReceiveBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TcpReceiveBenchmark
{
    private static final int CLIENT = 0x0A000001;
    private static final int SERVER = 0x0A000002;

    @Param({"64", "512", "1460", "9000"})
    int payload;

    private final UnsafeBuffer segmentBuffer = new UnsafeBuffer(new byte[10_000]);
    private final UnsafeBuffer appBuffer = new UnsafeBuffer(new byte[10_000]);
    private final TcpSegment wire = new TcpSegment();
    private final TcpSegmentRepr repr = new TcpSegmentRepr();
    private final Sink sink = new Sink();
    private TcpSocket server;
    private int nextSeq;
    private int ack;
    private int segmentLength;
    private long processed;

    /**
     * Swallows what the server sends (ACKs, window updates).
     */
    static final class Sink implements TcpEmitter
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[70_000]);
        int lastLength;

        public int claim(final int srcAddr, final int dstAddr, final int tcpLength)
        {
            lastLength = tcpLength;
            return 0;
        }

        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        public void commit()
        {
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        final TcpConfig config = new TcpConfig().mss(9000).timestamps(false).sack(false)
            .receiveBufferCapacity(1 << 20).sendBufferCapacity(1 << 16);
        server = new TcpSocket(config);
        server.listen(SERVER, 80);
        // handshake by hand: SYN, then the ACK of the server's SYN-ACK
        final int clientIss = 1000;
        repr.addresses(CLIENT, 40000, SERVER, 80).header(clientIss, 0, TcpSegment.FLAG_SYN, 65535);
        repr.options().mss(9000).windowScale(7);
        server.process(repr, 0);
        server.dispatch(sink, 0);
        ack = server.iss() + 1;
        nextSeq = clientIss + 1;
        repr.addresses(CLIENT, 40000, SERVER, 80).header(nextSeq, ack, TcpSegment.FLAG_ACK, 65535);
        server.process(repr, 1_000);
        if (server.state() != TcpState.ESTABLISHED)
        {
            throw new IllegalStateException("handshake failed: " + server);
        }
        segmentLength = TcpSegment.MIN_HEADER_LENGTH + payload;
        wire.wrap(segmentBuffer, 0, segmentLength);
        wire.emitHeader(40000, 80, nextSeq, ack, TcpSegment.FLAG_ACK, 65535, new TcpOptionValues());
        for (int i = 0; i < payload; i++)
        {
            segmentBuffer.putByte(TcpSegment.MIN_HEADER_LENGTH + i, (byte)i);
        }
        wire.fillChecksum(CLIENT, SERVER);
    }

    @Benchmark
    public boolean checksum()
    {
        return wire.wrap(segmentBuffer, 0, segmentLength).verifyChecksum(CLIENT, SERVER);
    }

    @Benchmark
    public int headerAndState()
    {
        segmentBuffer.putInt(TcpSegment.SEQ_OFFSET, nextSeq, java.nio.ByteOrder.BIG_ENDIAN);
        repr.parse(wire.wrap(segmentBuffer, 0, segmentLength), CLIENT, SERVER);
        final int result = server.process(repr, 2_000);
        if (result != TcpSocket.ACCEPTED)
        {
            throw new IllegalStateException("segment not accepted: " + result + " " + server);
        }
        nextSeq += payload;
        discard();
        return result;
    }

    /**
     * The same as {@link #headerAndState} plus copying the payload out to the application: the copy's cost
     * is the difference between the two.
     */
    @Benchmark
    public int headerStateAndCopy()
    {
        segmentBuffer.putInt(TcpSegment.SEQ_OFFSET, nextSeq, java.nio.ByteOrder.BIG_ENDIAN);
        repr.parse(wire.wrap(segmentBuffer, 0, segmentLength), CLIENT, SERVER);
        final int result = server.process(repr, 2_000);
        if (result != TcpSocket.ACCEPTED)
        {
            throw new IllegalStateException("segment not accepted: " + result + " " + server);
        }
        nextSeq += payload;
        final int n = server.read(appBuffer, 0, payload);
        drainOutput();
        return n;
    }

    private void discard()
    {
        // the application consumes the bytes (through a 0-length read of the ring position) so the window stays open
        if (server.readableBytes() > (1 << 18))
        {
            while (server.read(appBuffer, 0, appBuffer.capacity()) > 0)
            {
                // drain
            }
        }
        drainOutput();
    }

    private void drainOutput()
    {
        // ACKs (and the window updates that move the advertised right edge) go out every 16 segments, and after
        // each of the first 64 while the window is still the unscaled one of the handshake.
        if (++processed < 64 || (processed & 15) == 0)
        {
            server.dispatch(sink, 2_000);
        }
    }

}
