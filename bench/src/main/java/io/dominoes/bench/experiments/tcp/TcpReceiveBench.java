package io.dominoes.bench.experiments.tcp;

import io.dominoes.bench.harness.BenchmarkFailure;
import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.core.idle.ContextSwitchCalibrator;
import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.net.misd.MisdTcpReceiver;
import io.dominoes.net.misd.PayloadCopySplit;
import io.dominoes.net.misd.ReceiveEvents;
import io.dominoes.net.misd.ReceiveSimulation;
import io.dominoes.net.misd.ReceiveTrace;
import io.dominoes.net.misd.SegmentVerdict;
import io.dominoes.net.misd.SequentialTcpReceiver;
import io.dominoes.net.misd.SharedReceiveBuffer;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpEmitter;
import io.dominoes.net.tcp.TcpReceiveSink;
import io.dominoes.net.tcp.TcpSegmentRepr;
import io.dominoes.net.tcp.TcpSocket;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpSegment;
import io.dominoes.os.affinity.CpuAffinity;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One connection's receive path, three ways, over the same recorded {@link TcpReceiveWorkload}; each run is timed
 * from the start of processing to the last byte being deliverable, and then verified (the delivered stream's
 * digest must equal the generated stream's), so a run that measured nothing fails.
 * <ul>
 *   <li><b>single</b>: a plain {@link TcpSocket} on the calling thread, no channel: verify checksum, process
 *       (copying into the socket's buffer), dispatch.</li>
 *   <li><b>misd</b>: {@link MisdTcpReceiver} with N replicas reading a {@link BroadcastRing} filled with the whole
 *       trace before the replicas start (the source takes no core while the clock runs); the clock starts at the
 *       first event a replica takes ({@link FirstPollClock}) and stops when the minimum completion mark reaches the
 *       end of the stream (the main thread blocks until the replica that completes it wakes it).</li>
 *   <li><b>mimd</b>: the conventional parallelisation: N workers take packets from the same pre-filled trace
 *       (a shared atomic index), verify the checksum and parse outside the lock, process and dispatch on one
 *       shared socket under a lock, and copy the accepted ranges into the shared buffer outside the lock.</li>
 *   <li><b>calibration</b>: misd with the partitioned work removed (no checksum, no copy): the replicated-only
 *       cost, for the serial fraction {@code f = T_calibration / T_misd(1)}.</li>
 * </ul>
 */
public final class TcpReceiveBench
{
    public static final String SINGLE = "single";
    public static final String MISD = "misd";
    public static final String MIMD = "mimd";
    public static final String CALIBRATION = "calibration";

    private static final long FAILURE_CHECK_NS = 100_000_000;
    private static final long END_PARK_NS = 1_000_000;

    private TcpReceiveBench()
    {
    }

    /**
     * @param elapsedNs  processing time.
     * @param cpus       CPUs the threads were seen on (misd) or -1.
     * @param sentFrames ACK-type frames the receive path decided to send.
     * @param copies     misd: per replica, bytes copied into the shared buffer and split segments it copied a share
     *                   of ({@link SharedReceiveBuffer#copyReport}); empty otherwise.
     */
    public record Run(long elapsedNs, String cpus, long sentFrames, String copies)
    {
    }

    /**
     * @param mode     {@link #SINGLE}, {@link #MISD}, {@link #MIMD} or {@link #CALIBRATION}.
     * @param replicas threads (ignored for single).
     * @param idle     misd idle strategy name, or "auto".
     * @param pin      pin thread i to CPU {@code i mod cores}.
     * @return the timed, verified run.
     * @throws BenchmarkFailure if the delivered bytes differ from the generated stream.
     */
    public static Run run(final TcpReceiveWorkload workload, final String mode, final int replicas, final String idle, final boolean pin)
    {
        return run(workload, mode, replicas, idle, pin, PayloadCopySplit.NEVER);
    }

    /**
     * As {@link #run(TcpReceiveWorkload, String, int, String, boolean)}, with how misd replicas divide the copy of
     * large segments.
     */
    public static Run run(final TcpReceiveWorkload workload, final String mode, final int replicas, final String idle,
        final boolean pin, final PayloadCopySplit split)
    {
        switch (mode)
        {
            case SINGLE:
                return single(workload);
            case MISD:
                return misd(workload, replicas, idle, pin, true, split);
            case CALIBRATION:
                return misd(workload, replicas, idle, pin, false, split);
            case MIMD:
                return mimd(workload, replicas, pin);
            default:
                throw new IllegalArgumentException("mode '" + mode + "' is not one of single, misd, mimd, calibration");
        }
    }

    // ------------------------------------------------------------------------------------------- single

    static Run single(final TcpReceiveWorkload workload)
    {
        final ReceiveTrace trace = workload.trace();
        // ACKs go into an output ring as misd's do (sized for all of them, no reader): same hand-off in every mode
        final BroadcastRing output = outputRing(trace, false);
        final SequentialTcpReceiver receiver = new SequentialTcpReceiver(
            workload.receiverConfig(), ReceiveSimulation.SERVER_ADDR, ReceiveSimulation.SERVER_PORT, false)
            .sendTo(output.publisher());
        final ReceiveTrace.Visitor visitor = new ReceiveTrace.Visitor()
        {
            public void onTick(final long nowNs)
            {
                receiver.onTick(nowNs);
            }

            public void onFrame(final DirectBuffer buffer, final int offset, final int length)
            {
                receiver.onFrame(buffer, offset, length);
            }
        };
        final long start = System.nanoTime();
        trace.replay(visitor);
        final long elapsed = System.nanoTime() - start;
        final TcpSocket socket = receiver.socket();
        if (socket.receivedStreamPosition() != trace.streamBytes())
        {
            throw new BenchmarkFailure("single: received " + socket.receivedStreamPosition() + " of " + trace.streamBytes() + " bytes");
        }
        output.close();
        if (receiver.outputRefused() > 0)
        {
            throw new BenchmarkFailure("single: output ring refused " + receiver.outputRefused() + " frames");
        }
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[1 << 20]);
        long h = ReceiveSimulation.digestSeed();
        int n;
        while ((n = socket.read(chunk, 0, chunk.capacity())) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                h = (h ^ chunk.getByte(i)) * 0x100000001B3L;
            }
        }
        verify("single", h, trace);
        return new Run(elapsed, "", receiver.sentFrames(), "");
    }

    // ------------------------------------------------------------------------------------------- misd

    static Run misd(final TcpReceiveWorkload workload, final int replicas, final String idle, final boolean pin,
        final boolean partitionedWork, final PayloadCopySplit split)
    {
        final ReceiveTrace trace = workload.trace();
        final TcpConfig config = workload.receiverConfig();
        final SharedReceiveBuffer shared = new SharedReceiveBuffer(config.receiveBufferCapacity(), replicas, split);
        final long events = trace.frames() + trace.ticks();
        final int inputCapacity = ringCapacity(trace.length() + events * 32L + (1 << 20));
        final BroadcastRing output = outputRing(trace, true);
        final Supplier<IdleStrategy> idleStrategy = "auto".equals(idle) ? null : IdleStrategies.byName(idle);
        // The source's work is not timed: the ring is allocated and filled here, before the clock, for the
        // subscribers the group will ask for (replicated and, from 2 replicas, look-ahead cursor per replica). A
        // factory that filled it on demand would run inside builder.start(), i.e. inside the timed region
        // (that was 75% of the misd time at 1 replica).
        final FirstPollClock input = new FirstPollClock(prefilled(trace, inputCapacity, MisdTcpReceiver.inputSubscribers(replicas)));
        // Once per JVM the default idle strategy measures a context switch (thread ping-pong, milliseconds on a
        // loaded machine); that is start-up of the runtime, not receive processing.
        ContextSwitchCalibrator.contextSwitchNs();
        final MisdTcpReceiver.Builder builder = MisdTcpReceiver.builder(config)
            .replicas(replicas)
            .listen(ReceiveSimulation.SERVER_ADDR, ReceiveSimulation.SERVER_PORT)
            .input(subscribers -> prefilledFor(input, subscribers))
            .output(output, true)
            .sharedBuffer(shared)
            .partitionedWork(partitionedWork)
            .name(partitionedWork ? "misd" : "misd-calibration")
            .idleStrategy(idleStrategy);
        if (pin)
        {
            builder.pinCpus(cpus(replicas));
        }
        // The clock starts just before the first poll that takes an event (FirstPollClock), so the group's
        // start-up (domains, outboxes, thread creation and scheduling: 1-20 ms on the loaded 2-core machine) is
        // not timed, as the mimd workers' start is not.
        final MisdTcpReceiver receiver;
        try
        {
            receiver = builder.start();
        }
        catch (final RuntimeException ex)
        {
            input.close(); // the group closes its channel once it exists; idempotent
            throw ex;
        }
        final long end;
        final String cpus;
        final long sent;
        try
        {
            // The main thread blocks until the replicas' marks reach the end: the replica whose mark completes it
            // unparks it (no polling thread waking every 20 us to take a core from a replica). A wake-up missed in
            // the store-load window costs at most END_PARK_NS; the loop also notices a failed group.
            while (shared.awaitMinMark(trace.streamBytes(), FAILURE_CHECK_NS, END_PARK_NS) < trace.streamBytes())
            {
                if (null != receiver.group().failure())
                {
                    throw receiver.group().failure();
                }
            }
            end = System.nanoTime();
            cpus = cpuReport(receiver, replicas);
            sent = receiver.sentFrames();
        }
        finally
        {
            receiver.close();
        }
        if (partitionedWork)
        {
            verify(MISD, shared.digest(ReceiveSimulation.digestSeed(), 0, trace.streamBytes()), trace);
        }
        return new Run(end - input.firstPollNs(), cpus, sent, partitionedWork ? shared.copyReport() : "");
    }

    private static String cpuReport(final MisdTcpReceiver receiver, final int replicas)
    {
        final StringBuilder sb = new StringBuilder();
        for (int r = 0; r < replicas; r++)
        {
            sb.append(r == 0 ? "" : " ").append(receiver.group().lastCpu(r));
        }
        return sb.toString();
    }

    private static BroadcastChannel prefilledFor(final BroadcastChannel ring, final int subscribers)
    {
        if (subscribers != ring.subscriberCount())
        {
            ring.close();
            throw new IllegalStateException("pre-filled ring has " + ring.subscriberCount() + " subscribers, the group asked for " +
                subscribers);
        }
        return ring;
    }

    /**
     * A ring holding the whole trace as events, written before the replicas start: the "pre-filled log".
     */
    private static BroadcastRing prefilled(final ReceiveTrace trace, final int capacity, final int subscribers)
    {
        final BroadcastRing ring = BroadcastRing.builder().capacity(capacity).subscribers(subscribers).direct().build();
        final Publisher publisher = ring.publisher();
        final BufferClaim claim = new BufferClaim();
        final long[] frameIndex = { 0 };
        trace.replay(new ReceiveTrace.Visitor()
        {
            public void onTick(final long nowNs)
            {
                final int at = claim(EventDescriptor.TICK_TYPE, EventDescriptor.TICK_LENGTH);
                EventDescriptor.writeHeader(claim.buffer(), at, 0, 0);
                claim.buffer().putLong(at + EventDescriptor.HEADER_LENGTH, nowNs, ByteOrder.LITTLE_ENDIAN);
                claim.commit();
            }

            public void onFrame(final DirectBuffer buffer, final int offset, final int length)
            {
                final int at = claim(ReceiveEvents.SEGMENT, EventDescriptor.HEADER_LENGTH + length);
                EventDescriptor.writeHeader(claim.buffer(), at, frameIndex[0]++, 0);
                claim.buffer().putBytes(at + EventDescriptor.HEADER_LENGTH, buffer, offset, length);
                claim.commit();
            }

            private int claim(final int type, final int length)
            {
                final long result = publisher.tryClaim(type, length, claim);
                if (result < 0)
                {
                    throw new IllegalStateException("pre-filled ring of " + capacity + " bytes cannot hold the trace: " + result);
                }
                return claim.offset();
            }
        });
        return ring;
    }

    // ------------------------------------------------------------------------------------------- mimd

    static Run mimd(final TcpReceiveWorkload workload, final int workers, final boolean pin)
    {
        final ReceiveTrace trace = workload.trace();
        final TcpConfig config = workload.receiverConfig();
        final SharedReceiveBuffer shared = new SharedReceiveBuffer(config.receiveBufferCapacity(), 1);
        final DirectBuffer log = trace.buffer();
        final int count = (int)(trace.frames() + trace.ticks());
        final int[] offsets = new int[count];
        final int[] lengths = new int[count];
        final boolean[] ticks = new boolean[count];
        index(log, trace.length(), offsets, lengths, ticks);
        final BroadcastRing output = outputRing(trace, false); // one publisher at a time: only under the lock
        final LockedConnection connection = new LockedConnection(config, output.publisher());
        final AtomicInteger next = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[workers];
        final int[] cpus = cpus(workers);
        final CountDownLatch go = new CountDownLatch(1);
        for (int w = 0; w < workers; w++)
        {
            final int cpu = cpus[w];
            final MimdWorker worker = new MimdWorker(connection, shared, log, offsets, lengths, ticks, next);
            threads[w] = new Thread(() ->
            {
                try
                {
                    if (pin)
                    {
                        CpuAffinity.pinCurrentThread(cpu);
                    }
                    go.await();
                    worker.run();
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }, "mimd-worker-" + w);
        }
        // The workers' threads start before the clock and wait for the go (as misd's start-up is not timed).
        for (final Thread t : threads)
        {
            t.start();
        }
        final long start = System.nanoTime();
        // Connection set-up is not what is parallelised: run the handshake in order on this thread, so that no
        // worker races a data segment ahead of the SYN. Then the workers take the rest.
        final MimdWorker opener = new MimdWorker(connection, shared, log, offsets, lengths, ticks, next);
        int first = 0;
        try
        {
            while (first < count && connection.socket.state() != io.dominoes.net.tcp.TcpState.ESTABLISHED)
            {
                opener.processOne(first++);
            }
        }
        finally
        {
            next.set(first);
            go.countDown(); // next.set happens-before countDown happens-before the workers' await returning
        }
        try
        {
            for (final Thread t : threads)
            {
                t.join();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailure("mimd: interrupted");
        }
        final long elapsed = System.nanoTime() - start;
        if (null != failure.get())
        {
            throw new BenchmarkFailure("mimd worker failed: " + failure.get());
        }
        output.close();
        if (connection.refused > 0)
        {
            throw new BenchmarkFailure("mimd: output ring refused " + connection.refused + " frames");
        }
        final long received = connection.socket.receivedStreamPosition();
        if (received != trace.streamBytes())
        {
            throw new BenchmarkFailure("mimd: received " + received + " of " + trace.streamBytes() + " bytes in order (" +
                connection.socket + "); the shared socket dropped " + drops(connection.dropped) + ": segments that one " +
                "worker overtook arrived late at the shared socket (a newer timestamp already seen, or outside the " +
                "window), and the recorded trace cannot retransmit them as a live sender would");
        }
        verify(MIMD, shared.digest(ReceiveSimulation.digestSeed(), 0, trace.streamBytes()), trace);
        return new Run(elapsed, "", connection.sent, "");
    }

    private static void index(final DirectBuffer log, final int length, final int[] offsets, final int[] lengths, final boolean[] ticks)
    {
        int at = 0;
        int i = 0;
        while (at < length)
        {
            final int kind = log.getInt(at);
            final int recordLength = log.getInt(at + 4);
            offsets[i] = at + 8;
            lengths[i] = recordLength;
            ticks[i] = kind == ReceiveTrace.TICK;
            i++;
            at += 8 + ((recordLength + 7) & ~7);
        }
    }

    /**
     * The one socket all workers share, and what may only be touched under its lock.
     */
    static final class LockedConnection implements TcpEmitter, TcpReceiveSink
    {
        private static final int IP_HEADER = Ipv4Packet.MIN_HEADER_LENGTH;
        final TcpSocket socket;
        final UnsafeBuffer out = new UnsafeBuffer(new byte[70_000]);
        final Publisher output;
        long nowNs;
        long sent;
        long refused;
        int outLength;
        /**
         * Segments the shared socket dropped, by {@code -result} of {@link TcpSocket#process}.
         */
        final long[] dropped = new long[16];
        MimdWorker holder;

        LockedConnection(final TcpConfig config, final Publisher output)
        {
            this.output = output;
            socket = new TcpSocket(config, this);
            socket.listen(ReceiveSimulation.SERVER_ADDR, ReceiveSimulation.SERVER_PORT);
        }

        public void onData(final long streamPosition, final DirectBuffer buffer, final int offset, final int length)
        {
            holder.addRange(streamPosition, offset, length); // copied by the worker after it releases the lock
        }

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

        public MutableDirectBuffer buffer()
        {
            return out;
        }

        public void commit()
        {
            sent++; // under the lock: the ring's single-publisher state is handed from holder to holder by it
            if (output.offer(ReceiveEvents.OUTPUT_FRAME, out, 0, outLength) < 0)
            {
                refused++;
            }
        }
    }

    static final class MimdWorker
    {
        private final LockedConnection connection;
        private final SharedReceiveBuffer shared;
        private final DirectBuffer log;
        private final int[] offsets;
        private final int[] lengths;
        private final boolean[] ticks;
        private final AtomicInteger next;
        private final TcpSegment segment = new TcpSegment();
        private final TcpSegmentRepr repr = new TcpSegmentRepr();
        private final long[] rangePositions = new long[16];
        private final int[] rangeOffsets = new int[16];
        private final int[] rangeLengths = new int[16];
        private int ranges;

        MimdWorker(final LockedConnection connection, final SharedReceiveBuffer shared, final DirectBuffer log,
            final int[] offsets, final int[] lengths, final boolean[] ticks, final AtomicInteger next)
        {
            this.connection = connection;
            this.shared = shared;
            this.log = log;
            this.offsets = offsets;
            this.lengths = lengths;
            this.ticks = ticks;
            this.next = next;
        }

        void addRange(final long position, final int offset, final int length)
        {
            rangePositions[ranges] = position;
            rangeOffsets[ranges] = offset;
            rangeLengths[ranges] = length;
            ranges++;
        }

        void run()
        {
            final int count = offsets.length;
            int i;
            while ((i = next.getAndIncrement()) < count)
            {
                processOne(i);
            }
        }

        void processOne(final int i)
        {
            {
                final int offset = offsets[i];
                final int length = lengths[i];
                if (ticks[i])
                {
                    final long t = log.getLong(offset);
                    synchronized (connection)
                    {
                        connection.nowNs = Math.max(connection.nowNs, t);
                        if (connection.nowNs >= connection.socket.pollAt())
                        {
                            connection.socket.dispatch(connection, connection.nowNs);
                        }
                    }
                    return;
                }
                // outside the lock: checksums and parsing (as the literature's parallel stacks do)
                if (SegmentVerdict.OK != SegmentVerdict.verify(log, offset, length))
                {
                    return;
                }
                final int headerLength = SegmentVerdict.checkIp(log, offset, length);
                segment.wrap(log, offset + headerLength, SegmentVerdict.totalLength(log, offset) - headerLength);
                if (TcpSegment.OK != repr.parse(segment, SegmentVerdict.sourceAddress(log, offset),
                    SegmentVerdict.destinationAddress(log, offset)))
                {
                    return;
                }
                ranges = 0;
                synchronized (connection)
                {
                    connection.holder = this;
                    final int result = connection.socket.process(repr, connection.nowNs);
                    if (result < 0)
                    {
                        connection.dropped[-result]++;
                    }
                    connection.socket.dispatch(connection, connection.nowNs);
                }
                // outside the lock: the payload copy into the shared buffer
                for (int r = 0; r < ranges; r++)
                {
                    shared.write(rangePositions[r], repr.payloadBuffer(), rangeOffsets[r], rangeLengths[r]);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static void verify(final String mode, final long digest, final ReceiveTrace trace)
    {
        if (digest != trace.streamDigest())
        {
            throw new BenchmarkFailure(mode + ": delivered stream digest 0x" + Long.toHexString(digest) +
                " differs from the generated stream's 0x" + Long.toHexString(trace.streamDigest()));
        }
    }

    static int[] cpus(final int threads)
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        final int[] cpus = new int[threads];
        for (int i = 0; i < threads; i++)
        {
            cpus[i] = i % cores;
        }
        return cpus;
    }

    private static String drops(final long[] dropped)
    {
        final String[] names = { "", "not-mine", "state", "unacceptable", "paws", "bad-ack", "rst-challenged" };
        final StringBuilder sb = new StringBuilder();
        for (int i = 1; i < dropped.length; i++)
        {
            if (dropped[i] > 0)
            {
                sb.append(sb.length() == 0 ? "" : ", ").append(i < names.length ? names[i] : "code -" + i).append('=')
                    .append(dropped[i]);
            }
        }
        return sb.length() == 0 ? "nothing" : sb.toString();
    }

    /**
     * The ring every mode sends its ACK frames into: room for one 128-byte record per input frame, no reader.
     */
    private static BroadcastRing outputRing(final ReceiveTrace trace, final boolean multiPublisher)
    {
        final int capacity = ringCapacity(trace.frames() * 128L + (1 << 20));
        return BroadcastRing.builder().capacity(capacity).subscribers(1).multiPublisher(multiPublisher).build();
    }

    private static int ringCapacity(final long bytes)
    {
        if (bytes > (1 << 30))
        {
            throw new IllegalArgumentException("trace needs a ring of " + bytes + " bytes, more than 1 GiB: fewer --segments");
        }
        return Math.max(1 << 16, Integer.highestOneBit((int)bytes - 1) << 1);
    }
}
