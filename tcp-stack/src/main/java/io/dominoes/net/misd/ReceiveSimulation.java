package io.dominoes.net.misd;

import io.dominoes.net.device.Device;
import io.dominoes.net.device.FaultConfig;
import io.dominoes.net.device.FaultInjectingDevice;
import io.dominoes.net.device.MemoryPair;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpEmitter;
import io.dominoes.net.tcp.TcpSegmentRepr;
import io.dominoes.net.tcp.TcpSocket;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * A closed-loop transfer on a virtual clock: a sender {@link TcpSocket} streams a seeded byte pattern through a
 * {@link FaultInjectingDevice} (loss, duplication, reordering, corruption, delay, seeded) to a
 * {@link TcpReceivePath}, whose ACKs travel back the same way. Each step: a tick, the sender's output, every
 * packet due at the receiver, a flush (the receiver finishes everything given so far and hands over what it
 * sent, in send order), the application reads and checks the bytes, a second flush (window updates), then the
 * sender takes the ACKs. The run is therefore a deterministic function of the seed and the receiver's decisions:
 * two receivers that decide alike see identical inputs, which is what the equivalence tests compare.
 * Optionally records the receiver's input as a {@link ReceiveTrace}.
 */
public final class ReceiveSimulation
{
    public static final int CLIENT_ADDR = 0x0A000001;
    public static final int SERVER_ADDR = 0x0A000002;
    public static final int CLIENT_PORT = 40_000;
    public static final int SERVER_PORT = 80;
    private static final int PATTERN_LENGTH = 1_000_003;
    private static final long FNV_SEED = 0xCBF29CE484222325L;

    private final long seed;
    private final byte[] pattern = new byte[PATTERN_LENGTH];
    private final UnsafeBuffer patternBuffer;
    private FaultConfig faults = FaultConfig.NONE;
    private long stepNs = 20_000;
    private long maxStepNs = 1_000_000;
    private long maxSimulatedNs = 600_000_000_000L;
    private boolean appReads = true;
    private ReceiveTrace trace;

    /**
     * @param seed of the pattern and the faults (print it when a run fails).
     */
    public ReceiveSimulation(final long seed)
    {
        this.seed = seed;
        new SplittableRandom(seed ^ 0x5EED).nextBytes(pattern);
        patternBuffer = new UnsafeBuffer(pattern);
    }

    public ReceiveSimulation faults(final FaultConfig faults)
    {
        this.faults = faults;
        return this;
    }

    /**
     * @param stepNs smallest clock advance per step.
     * @return this.
     */
    public ReceiveSimulation stepNs(final long stepNs)
    {
        this.stepNs = stepNs;
        return this;
    }

    /**
     * @param appReads false: the application never reads (the receive buffer must hold the whole stream); the run
     *                 ends when the receiver holds it all in order.
     * @return this.
     */
    public ReceiveSimulation appReads(final boolean appReads)
    {
        this.appReads = appReads;
        return this;
    }

    /**
     * @param trace to record the receiver's input into, or null.
     * @return this.
     */
    public ReceiveSimulation record(final ReceiveTrace trace)
    {
        this.trace = trace;
        return this;
    }

    /**
     * @return digest of the first {@code bytes} bytes of this simulation's stream.
     */
    public long digest(final long bytes)
    {
        long h = FNV_SEED;
        for (long i = 0; i < bytes; i++)
        {
            h = (h ^ pattern[(int)(i % PATTERN_LENGTH)]) * 0x100000001B3L;
        }
        return h;
    }

    /**
     * @return the digest seed, for digests over delivered bytes.
     */
    public static long digestSeed()
    {
        return FNV_SEED;
    }

    /**
     * What a run produced.
     *
     * @param delivered        bytes the application read (or the receiver held, without reads), checked against
     *                         the pattern as they arrived.
     * @param sentFrames       frames the receiver sent (ACK decisions).
     * @param sentTranscript   digest of every sent frame in order.
     * @param rejectedAtSender corrupt ACKs the sender dropped.
     * @param steps            loop iterations.
     * @param simulatedNs      virtual time at the end.
     * @param corrupted        frames the fault device corrupted (both directions).
     * @param lost             frames it lost.
     * @param reordered        frames it held back.
     * @param duplicated       frames it duplicated.
     */
    public record Result(
        long delivered, long sentFrames, long sentTranscript, long rejectedAtSender, long steps, long simulatedNs,
        long corrupted, long lost, long reordered, long duplicated)
    {
    }

    /**
     * Run a transfer of {@code bytes} to completion.
     *
     * @throws AssertionError naming the seed if a delivered byte differs or the transfer does not finish.
     */
    public Result run(final TcpReceivePath receiver, final TcpConfig senderConfig, final long bytes)
    {
        final TcpSocket sender = new TcpSocket(senderConfig);
        final MemoryPair pair = new MemoryPair(senderConfig.mss() + 100, framesInFlight(senderConfig.mss()));
        final FaultInjectingDevice link = new FaultInjectingDevice(pair.a(), faults, seed);
        final Device receiverEnd = pair.b();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[receiverEnd.maxFrameLength()]);
        final UnsafeBuffer readBuffer = new UnsafeBuffer(new byte[256 * 1024]);
        final TcpSegment wire = new TcpSegment();
        final TcpSegmentRepr repr = new TcpSegmentRepr();
        final long[] now = { 0 };
        final long[] transcript = { FNV_SEED };
        final TcpEmitter toReceiver = new PacketEmitter(link, now);
        final TcpReceivePath.FrameSink backToSender = (buffer, offset, length) ->
        {
            for (int i = 0; i < length; i++)
            {
                transcript[0] = (transcript[0] ^ buffer.getByte(offset + i)) * 0x100000001B3L;
            }
            if (!receiverEnd.transmit(now[0], buffer, offset, length))
            {
                throw new AssertionError("seed=" + seed + " link back to the sender is full");
            }
        };

        sender.connect(CLIENT_ADDR, CLIENT_PORT, SERVER_ADDR, SERVER_PORT, 0);
        long written = 0;
        long delivered = 0;
        long rejectedAtSender = 0;
        long steps = 0;
        while (delivered < bytes)
        {
            if (now[0] > maxSimulatedNs)
            {
                throw new AssertionError("seed=" + seed + " not done after " + now[0] / 1e9 + " simulated s: delivered " +
                    delivered + " of " + bytes + " sender=" + sender);
            }
            receiver.onTick(now[0]);
            if (null != trace)
            {
                trace.tick(now[0]);
            }
            while (written < bytes && sender.writableBytes() > 0)
            {
                final int at = (int)(written % PATTERN_LENGTH);
                final int n = sender.write(patternBuffer, at, (int)Math.min(bytes - written, PATTERN_LENGTH - at));
                if (n <= 0)
                {
                    break;
                }
                written += n;
            }
            sender.dispatch(toReceiver, now[0]);
            int n;
            while ((n = receiverEnd.receive(now[0], frame, 0, frame.capacity())) > 0)
            {
                receiver.onFrame(frame, 0, n);
                if (null != trace)
                {
                    trace.frame(frame, 0, n);
                }
            }
            receiver.flush(backToSender);
            if (appReads)
            {
                while ((n = receiver.read(readBuffer, 0, readBuffer.capacity())) > 0)
                {
                    check(readBuffer, n, delivered, bytes);
                    delivered += n;
                }
                receiver.flush(backToSender);
            }
            else
            {
                delivered = receiver.inOrderBytes();
            }
            while ((n = link.receive(now[0], frame, 0, frame.capacity())) > 0)
            {
                if (SegmentVerdict.OK != SegmentVerdict.verify(frame, 0, n))
                {
                    rejectedAtSender++;
                    continue;
                }
                final int headerLength = SegmentVerdict.checkIp(frame, 0, n);
                wire.wrap(frame, headerLength, SegmentVerdict.totalLength(frame, 0) - headerLength);
                if (TcpSegment.OK == repr.parse(wire, SegmentVerdict.sourceAddress(frame, 0),
                    SegmentVerdict.destinationAddress(frame, 0)))
                {
                    sender.process(repr, now[0]);
                }
            }
            steps++;
            final long next = Math.min(sender.pollAt(), link.nextDueNs());
            now[0] = Math.max(now[0] + stepNs, Math.min(next, now[0] + maxStepNs));
        }
        if (null != trace)
        {
            trace.stream(bytes, digest(bytes));
        }
        return new Result(delivered, receiver.sentFrames(), transcript[0], rejectedAtSender, steps, now[0],
            link.corrupted(), link.lost(), link.reordered(), link.duplicated());
    }

    /**
     * Frames the in-memory link holds per direction: 4096, fewer for segments beyond 16 KB so that each direction
     * stays near 64 MiB (its slots are preallocated at the MTU; a 64 KB-segment sender has far fewer in flight).
     */
    static int framesInFlight(final int mss)
    {
        return Math.max(256, Math.min(4096, (64 << 20) / (mss + 118)));
    }

    private void check(final UnsafeBuffer readBuffer, final int n, final long delivered, final long bytes)
    {
        if (delivered + n > bytes)
        {
            throw new AssertionError("seed=" + seed + " delivered " + (delivered + n) + " > " + bytes + " bytes");
        }
        for (int i = 0; i < n; i++)
        {
            if (readBuffer.getByte(i) != pattern[(int)((delivered + i) % PATTERN_LENGTH)])
            {
                throw new AssertionError("seed=" + seed + " delivered byte " + (delivered + i) + " differs");
            }
        }
    }

    /**
     * Wraps the sender's segments in IPv4 and transmits them over the faulty link.
     */
    private static final class PacketEmitter implements TcpEmitter
    {
        private final Device link;
        private final long[] now;
        private final UnsafeBuffer out = new UnsafeBuffer(new byte[70_000]);
        private int length;

        PacketEmitter(final Device link, final long[] now)
        {
            this.link = link;
            this.now = now;
        }

        public int claim(final int srcAddr, final int dstAddr, final int tcpLength)
        {
            Ipv4Packet.emit(out, 0, tcpLength, 0, Ipv4Packet.FLAG_DONT_FRAGMENT, 64, Ipv4Packet.PROTOCOL_TCP,
                srcAddr, dstAddr);
            length = Ipv4Packet.MIN_HEADER_LENGTH + tcpLength;
            return Ipv4Packet.MIN_HEADER_LENGTH;
        }

        public MutableDirectBuffer buffer()
        {
            return out;
        }

        public void commit()
        {
            link.transmit(now[0], out, 0, length);
        }
    }
}
