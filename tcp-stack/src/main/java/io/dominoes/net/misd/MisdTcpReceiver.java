package io.dominoes.net.misd;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Subscriber;
import io.dominoes.core.ChannelFactory;
import io.dominoes.core.EventPublisher;
import io.dominoes.core.HandlerRegistry;
import io.dominoes.core.ReplicaGroup;
import io.dominoes.core.ReplicaGroupException;
import io.dominoes.core.ShutdownMode;
import io.dominoes.core.VerdictHandler;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpSocket;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The receive path of one TCP connection, replicated (MISD): every received packet is published once into a
 * broadcast channel and every replica runs the connection's state machine on its own private copy, in channel
 * order, with no lock on the connection state. The per-packet work that parallelises is partitioned by the
 * packet's index, in blocks of 64 consecutive packets ({@code (key / 64) mod N}, {@link #SEGMENT_OWNER}):
 * <ol>
 *   <li><b>Verdict</b> (look-ahead, {@link HandlerRegistry#verified}): the owner checks both checksums ahead of
 *       the replicated cursors; every replica reads the verdict before the socket sees the segment, so a corrupt
 *       segment is dropped on all replicas alike: never acknowledged, never delivered.</li>
 *   <li><b>Copy</b>: the socket runs in data-sink mode; after the replicated accept decision the owner alone
 *       copies the accepted range into the {@link SharedReceiveBuffer} at its stream position; a range of at
 *       least the {@link PayloadCopySplit} threshold (a TSO-sized segment) is copied in chunks, each by the
 *       chunk's owner, so one large segment's copy is spread over the replicas.</li>
 *   <li><b>Completion marks</b>: each replica publishes its socket's in-order position after each event; the
 *       application may read below the minimum (argument in {@link SharedReceiveBuffer}).</li>
 *   <li><b>ACKs</b>: every replica decides every ACK; only the event's owner (for timers, the timer's owner)
 *       sends it (emit once), keyed by the replicated emission count.</li>
 *   <li><b>Application reads</b> enter the channel as APP_READ events, so every replica frees the same window
 *       at the same point of the order and advertises what the application has really consumed.</li>
 * </ol>
 * Time enters as the runtime's tick events; the socket's timers are replicated timers.
 * <p>
 * The inputs ({@link #onFrame}, {@link #onTick}, {@link #read}) are for one thread. Replicas' digests are
 * compared every {@code digestEvery} events when asked, so any divergence of the copies fails the group.
 */
public final class MisdTcpReceiver implements TcpReceivePath
{
    private static final long WAIT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    /**
     * log2 of the consecutive segments one replica owns: segments are owned in blocks of
     * 2^{@value #SEGMENT_BLOCK_SHIFT} = 64, not one by one ({@code key mod N}).
     */
    static final int SEGMENT_BLOCK_SHIFT = 6;

    /**
     * Owner of a segment: {@code (key / 64) mod N}. The owner's partitioned work reads the whole packet
     * (checksum) and writes its payload into the shared buffer; with packets interleaved one by one between
     * owners, two cores read alternate 1.5 KB packets of one memory stream (each core's prefetcher fetches its
     * neighbour's packets too) and write adjacent payload ranges (the boundary cache lines bounce between them).
     * Measured on the 2-core test machine: checksumming alternate packets on 2 threads cost 3-4x the CPU of one
     * thread doing all of them, contiguous halves cost the same as one thread. 64 packets (about 96 KB) make each
     * owner's work a run of contiguous memory, while a replica still owns work every 64 * N packets.
     */
    static final io.dominoes.core.Partitioner SEGMENT_OWNER =
        (key, replicaCount) -> io.dominoes.core.Partitioner.modulo(key >> SEGMENT_BLOCK_SHIFT, replicaCount);

    private final ReplicaGroup<ReceiverReplica> group;
    private final SharedReceiveBuffer shared;
    private final EventPublisher publisher;
    private final Subscriber output;
    private final UnsafeBuffer readBody = new UnsafeBuffer(new byte[ReceiveEvents.APP_READ_LENGTH]);
    private final List<long[]> pendingKeys = new ArrayList<>();
    private final List<byte[]> pendingFrames = new ArrayList<>();
    private final MessageHandler outputHandler = this::onOutput;
    private long frames;
    private long reads;
    private long readPosition;
    private long flushedFrames;

    private MisdTcpReceiver(final Builder b)
    {
        final int n = b.replicas;
        this.shared = null != b.shared ? b.shared : new SharedReceiveBuffer(b.config.receiveBufferCapacity(), n, b.copySplit);
        final boolean work = b.partitionedWork;
        // the partitioned half: pure function of the packet, no domain (runs on the owner's look-ahead cursor)
        final VerdictHandler verdict = work ?
            (type, key, buffer, offset, length) -> SegmentVerdict.verify(buffer, offset, length) :
            (type, key, buffer, offset, length) -> SegmentVerdict.OK;
        final HandlerRegistry<ReceiverReplica> handlers = new HandlerRegistry<ReceiverReplica>()
            .verified(ReceiveEvents.SEGMENT, verdict, (r, ctx, buffer, offset, length) -> r.onSegment(ctx, buffer, offset, length))
            .partitioner(ReceiveEvents.SEGMENT, SEGMENT_OWNER)
            .replicated(ReceiveEvents.APP_READ, (r, ctx, buffer, offset, length) -> r.onAppRead(ctx, buffer, offset, length))
            .timers((r, ctx, timerId, deadlineNs, correlation) -> r.onTimer(ctx, timerId));
        final ReplicaGroup.Builder<ReceiverReplica> gb = ReplicaGroup
            .builder(i -> new ReceiverReplica(i, b.config, b.localAddr, b.localPort, shared, work))
            .name(b.name)
            .replicas(n)
            .channel(b.input)
            .output(b.output, b.outputMultiPublisher)
            .handlers(handlers)
            .verdictCapacity(b.verdictCapacity)
            .outboxCapacity(Math.max(1 << 20, 8 + b.output.maxMessageLength())) // must hold one largest message
            .digestEvery(b.digestEvery);
        if (null != b.idle)
        {
            gb.idleStrategy(b.idle);
        }
        if (null != b.pinCpus)
        {
            gb.pinCpus(b.pinCpus);
        }
        this.group = gb.start();
        this.publisher = group.newPublisher();
        this.output = b.output.subscriber(0);
    }

    /**
     * @param replicas of the receiver.
     * @return subscribers its input channel factory will be asked for (SEGMENT is a verified type), for callers that
     *         fill the input channel before the group starts.
     */
    public static int inputSubscribers(final int replicas)
    {
        return ReplicaGroup.inputSubscribers(replicas, true);
    }

    /**
     * @param config socket settings of every replica; its receive buffer capacity is the shared buffer's.
     * @return a builder.
     */
    public static Builder builder(final TcpConfig config)
    {
        return new Builder(config);
    }

    /**
     * {@inheritDoc}
     */
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        publisher.publish(ReceiveEvents.SEGMENT, frames++, buffer, offset, length);
    }

    /**
     * {@inheritDoc}
     */
    public void onTick(final long nowNs)
    {
        publisher.publishTick(nowNs);
    }

    /**
     * @return bytes every replica has completed and the application has not read.
     */
    public long readableBytes()
    {
        return shared.minMark() - readPosition;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Copies from the shared buffer below the minimum completion mark, then publishes an APP_READ event (after
     * the copy: the channel's release orders it before any replica may overwrite those bytes).
     */
    public int read(final MutableDirectBuffer dst, final int offset, final int length)
    {
        final int n = (int)Math.min(length, readableBytes());
        if (n <= 0)
        {
            return 0;
        }
        shared.read(readPosition, dst, offset, n);
        readPosition += n;
        readBody.putLong(0, n, ByteOrder.LITTLE_ENDIAN);
        publisher.publish(ReceiveEvents.APP_READ, reads++, readBody, 0, ReceiveEvents.APP_READ_LENGTH);
        return n;
    }

    /**
     * Wait until every replica has handled {@code events} events (test and benchmark use).
     *
     * @throws ReplicaGroupException if the group failed (e.g. a digest divergence).
     * @throws IllegalStateException after a minute.
     */
    public void awaitHandled(final long events)
    {
        final long deadline = System.nanoTime() + WAIT_TIMEOUT_NS;
        for (int r = 0; r < group.replicaCount(); r++)
        {
            while (group.handledEvents(r) < events)
            {
                checkAlive(deadline, "replica " + r + " handled " + group.handledEvents(r) + " of " + events + " events");
                LockSupport.parkNanos(1_000);
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public int flush(final FrameSink sink)
    {
        awaitHandled(publisher.publishedCount());
        // every replica is past every input, so each one's emission count is final and equal
        final long expected = shared.emitted(0);
        final long deadline = System.nanoTime() + WAIT_TIMEOUT_NS;
        while (flushedFrames + pendingFrames.size() < expected)
        {
            if (0 == output.poll(outputHandler, 64))
            {
                checkAlive(deadline, "output holds " + (flushedFrames + pendingFrames.size()) + " of " + expected + " frames");
                LockSupport.parkNanos(1_000);
            }
        }
        // emissions of different owners interleave in the output: restore the replicated order by key
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pendingFrames.size(); i++)
        {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> pendingKeys.get(i)[0]));
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        for (final int i : order)
        {
            final long key = pendingKeys.get(i)[0];
            if (key != flushedFrames)
            {
                throw new IllegalStateException("emission " + key + " where " + flushedFrames + " was due: an ACK " +
                    "decision was sent twice or not at all");
            }
            final byte[] frame = pendingFrames.get(i);
            view.wrap(frame);
            sink.onFrame(view, 0, frame.length);
            flushedFrames++;
        }
        final int n = pendingFrames.size();
        pendingFrames.clear();
        pendingKeys.clear();
        return n;
    }

    private void onOutput(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        if (type != ReceiveEvents.OUTPUT_FRAME || length < EventDescriptor.HEADER_LENGTH)
        {
            return;
        }
        final byte[] frame = new byte[length - EventDescriptor.HEADER_LENGTH];
        buffer.getBytes(offset + EventDescriptor.HEADER_LENGTH, frame);
        pendingKeys.add(new long[]{ EventDescriptor.key(buffer, offset) });
        pendingFrames.add(frame);
    }

    private void checkAlive(final long deadlineNs, final String what)
    {
        final ReplicaGroupException failure = group.failure();
        if (null != failure)
        {
            throw failure;
        }
        if (System.nanoTime() > deadlineNs)
        {
            throw new IllegalStateException("timed out: " + what + "\n" + group.report());
        }
    }

    /**
     * {@inheritDoc}
     */
    public long inOrderBytes()
    {
        return shared.minMark();
    }

    /**
     * {@inheritDoc}
     */
    public long sentFrames()
    {
        return shared.emitted(0);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Exact after {@link #awaitHandled} or {@link #close}; read from replica 0's domain after close only.
     */
    public long rejectedFrames()
    {
        return group.isRunning() ? -1 : group.domain(0).rejected() + group.domain(0).malformed();
    }

    /**
     * @return the shared buffer and marks.
     */
    public SharedReceiveBuffer sharedBuffer()
    {
        return shared;
    }

    /**
     * @return events published so far (segments, ticks, reads).
     */
    public long publishedEvents()
    {
        return publisher.publishedCount();
    }

    /**
     * @return the group (counters, placement report, failure).
     */
    public ReplicaGroup<?> group()
    {
        return group;
    }

    /**
     * @param replica index.
     * @return its socket, after {@link #close} only.
     */
    public TcpSocket socket(final int replica)
    {
        return group.domain(replica).socket();
    }

    /**
     * Stop the replicas (abort: nothing is pending in a closed loop). Rethrows a replica failure.
     */
    public void close()
    {
        group.close(ShutdownMode.ABORT);
    }

    /**
     * Configuration; {@link #start()} validates once.
     */
    public static final class Builder
    {
        private final TcpConfig config;
        private int replicas = 1;
        private int localAddr;
        private int localPort = 80;
        private ChannelFactory input;
        private BroadcastChannel output;
        private boolean outputMultiPublisher;
        private Supplier<IdleStrategy> idle;
        private int[] pinCpus;
        private int digestEvery;
        private int verdictCapacity = 4096;
        private boolean partitionedWork = true;
        private String name = "misd-tcp";
        private SharedReceiveBuffer shared;
        private PayloadCopySplit copySplit = PayloadCopySplit.DEFAULT;

        private Builder(final TcpConfig config)
        {
            this.config = config;
        }

        public Builder replicas(final int replicas)
        {
            this.replicas = replicas;
            return this;
        }

        public Builder listen(final int localAddr, final int localPort)
        {
            this.localAddr = localAddr;
            this.localPort = localPort;
            return this;
        }

        /**
         * @param input builds the input channel (2 subscribers per replica: replicated and look-ahead cursor).
         * @return this.
         */
        public Builder input(final ChannelFactory input)
        {
            this.input = input;
            return this;
        }

        /**
         * @param output         channel with one subscriber that receives the frames the connection sends.
         * @param multiPublisher true if it takes concurrent publishers (owners emit concurrently); else the
         *                       replicas take turns through a lock.
         * @return this.
         */
        public Builder output(final BroadcastChannel output, final boolean multiPublisher)
        {
            this.output = output;
            this.outputMultiPublisher = multiPublisher;
            return this;
        }

        public Builder idleStrategy(final Supplier<IdleStrategy> idle)
        {
            this.idle = idle;
            return this;
        }

        public Builder pinCpus(final int... cpus)
        {
            this.pinCpus = cpus;
            return this;
        }

        /**
         * @param k compare replicas' socket digests every {@code k} events, 0 for never.
         * @return this.
         */
        public Builder digestEvery(final int k)
        {
            this.digestEvery = k;
            return this;
        }

        public Builder verdictCapacity(final int capacity)
        {
            this.verdictCapacity = capacity;
            return this;
        }

        /**
         * @param partitionedWork false for the calibration run that measures the replicated-only cost: no
         *                        checksum (every verdict OK) and no payload copy. Only for inputs known to be
         *                        good; the delivered bytes are then not meaningful.
         * @return this.
         */
        public Builder partitionedWork(final boolean partitionedWork)
        {
            this.partitionedWork = partitionedWork;
            return this;
        }

        /**
         * @param shared a fresh buffer allocated by the caller (e.g. before a benchmark's clock starts); its
         *               capacity must be the receive buffer capacity and it must have a mark per replica.
         * @return this.
         */
        public Builder sharedBuffer(final SharedReceiveBuffer shared)
        {
            this.shared = shared;
            return this;
        }

        /**
         * @param copySplit how replicas divide the copy of large ranges (default {@link PayloadCopySplit#DEFAULT});
         *                  ignored when a {@link #sharedBuffer} is given, which carries its own.
         * @return this.
         */
        public Builder copySplit(final PayloadCopySplit copySplit)
        {
            this.copySplit = copySplit;
            return this;
        }

        public Builder name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * @return a started receiver.
         * @throws IllegalArgumentException naming the missing or bad value.
         */
        public MisdTcpReceiver start()
        {
            if (replicas < 1)
            {
                throw new IllegalArgumentException("replicas=" + replicas + " must be >= 1");
            }
            if (null == copySplit)
            {
                throw new IllegalArgumentException("copySplit must not be null");
            }
            if (null == input)
            {
                throw new IllegalArgumentException("input channel factory not set");
            }
            if (null == output || output.subscriberCount() < 1)
            {
                throw new IllegalArgumentException("output channel not set or without a subscriber: " + output);
            }
            if (null != pinCpus && pinCpus.length != replicas)
            {
                throw new IllegalArgumentException("pinCpus has " + pinCpus.length + " entries for " + replicas + " replicas");
            }
            config.conclude();
            if (null != shared && (shared.capacity() != config.receiveBufferCapacity() || shared.replicas() != replicas))
            {
                throw new IllegalArgumentException("shared buffer capacity=" + shared.capacity() + " replicas=" +
                    shared.replicas() + " must match receiveBufferCapacity=" + config.receiveBufferCapacity() +
                    " replicas=" + replicas);
            }
            return new MisdTcpReceiver(this);
        }
    }
}
