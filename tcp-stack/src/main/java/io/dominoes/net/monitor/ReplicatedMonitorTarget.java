package io.dominoes.net.monitor;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.core.HandlerRegistry;
import io.dominoes.core.ReplicaGroup;
import io.dominoes.core.ReplicaGroupException;
import io.dominoes.core.ShutdownMode;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.net.misd.SharedReceiveBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The passive receive path replicated (MISD) as a {@link ReplayTarget}: a capture's frames are the group's
 * input, every replica runs the same {@link TcpMonitor}/{@link HalfStream} bookkeeping on its own copy
 * ({@link MonitorReplica}), the TCP checksum is the owner's look-ahead verdict ({@link FrameChecksumVerdict},
 * {@link HandlerRegistry#verified}) and the delivered payload is copied by the owner into one shared arena. No
 * replies are sent and ACK numbers are only used for the monitor's hole rule, as in the single monitor.
 *
 * <h2>Input: a pre-filled log</h2>
 * As in tcp-bench's synthetic misd runs, the whole capture is written into the group's broadcast ring before
 * the clock starts ({@link #create}): {@code FRAME} events (key = frame index, body = 8-byte LE capture time then
 * the frame) and one final {@code FINISH} event. {@link #onFrame} only starts the replicas on the first call and
 * checks that the frame replayed is the pre-filled one at that index (length and time); {@link #finish} waits
 * until every replica has handled every event, stops the group and, when a report is wanted, replays replica
 * 0's recorded sink events on the caller's thread with the bytes read from the arena, i.e. the owners' copies
 * (so a dump checks the partitioned copy, not replica 0's view).
 *
 * <h2>Memory ordering</h2>
 * The arena is read only after {@link ReplicaGroup#close} has joined every replica thread (join gives
 * happens-before from each owner's copy to the reads). The timed passes never read it.
 */
public final class ReplicatedMonitorTarget implements ReplayTarget
{
    /**
     * Capture time in front of each frame in a FRAME body.
     */
    public static final int TIMESTAMP_LENGTH = 8;

    static final int FRAME = 1;
    static final int FINISH = 2;

    private static final long WAIT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final int TIMED_ARENA_BYTES = 1 << 22;

    private final Settings settings;
    private final MonitorConfig config;
    private final StreamSink sink;
    private final CapturedFrames frames;
    private final BroadcastRing ring;
    private final SharedReceiveBuffer arena;
    private final List<MonitorReplica.SinkEvent> record;
    private final long events;
    private ReplicaGroup<MonitorReplica> group;
    private int replayed;
    private long tcpSegments = -1;
    private final long[] drops = new long[MonitorDrop.COUNT];
    private long arenaBytes;

    /**
     * What the factory builds.
     */
    public static final class Settings
    {
        private int replicas = 1;
        private Supplier<IdleStrategy> idle;
        private int[] pinCpus;
        private boolean partitionedWork = true;
        private int digestEvery;

        public Settings replicas(final int replicas)
        {
            if (replicas < 1 || replicas > 256)
            {
                throw new IllegalArgumentException("replicas=" + replicas + " not in [1, 256]");
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * @param idle per-replica idle strategy, null for the group's default.
         */
        public Settings idleStrategy(final Supplier<IdleStrategy> idle)
        {
            this.idle = idle;
            return this;
        }

        /**
         * @param cpus one CPU per replica, null for no pinning.
         */
        public Settings pinCpus(final int... cpus)
        {
            this.pinCpus = cpus;
            return this;
        }

        /**
         * @param partitionedWork false for the calibration run: no checksum verdict (the config must then have
         *                        checksums OFF) and no payload copy; the replicated-only cost.
         */
        public Settings partitionedWork(final boolean partitionedWork)
        {
            this.partitionedWork = partitionedWork;
            return this;
        }

        /**
         * @param k compare replicas' digests every k events, 0 for never.
         */
        public Settings digestEvery(final int k)
        {
            this.digestEvery = k;
            return this;
        }

        public int replicas()
        {
            return replicas;
        }
    }

    /**
     * @param frames   the capture that {@link PcapReplay} will replay (the pre-filled log is built from it).
     * @param settings replicas, idle strategy, pinning.
     * @return a factory for {@link PcapReplay.Options#targetFactory}.
     */
    public static ReplayTarget.Factory factory(final CapturedFrames frames, final Settings settings)
    {
        if (null != settings.pinCpus && settings.pinCpus.length != settings.replicas)
        {
            throw new IllegalArgumentException("pinCpus has " + settings.pinCpus.length + " entries for " +
                settings.replicas + " replicas");
        }
        return (config, sink) -> new ReplicatedMonitorTarget(frames, settings, config, sink);
    }

    private ReplicatedMonitorTarget(
        final CapturedFrames frames, final Settings settings, final MonitorConfig config, final StreamSink sink)
    {
        if (!settings.partitionedWork && config.checksumMode() != ChecksumMode.OFF)
        {
            throw new IllegalArgumentException("calibration (no partitioned work) needs checksumMode OFF, not " +
                config.checksumMode());
        }
        this.settings = settings;
        this.config = config;
        this.sink = sink;
        this.frames = frames;
        this.events = frames.count() + 1L;
        final boolean report = StreamSink.NONE != sink;
        this.record = report ? new ArrayList<>() : null;
        // a report's arena holds every delivered byte unwrapped: at most the captured bytes (each delivered byte
        // is a captured payload byte, delivered once); timed passes wrap a small ring nobody reads
        this.arena = new SharedReceiveBuffer(report ?
            (int)Math.min(1 << 30, Math.max(16, Long.highestOneBit(Math.max(1, frames.totalBytes())) << 1)) :
            TIMED_ARENA_BYTES, settings.replicas);
        if (report && arena.capacity() < frames.totalBytes())
        {
            throw new IllegalArgumentException("capture of " + frames.totalBytes() + " bytes exceeds the report " +
                "arena limit of " + arena.capacity() + " bytes");
        }
        this.ring = prefill(frames, ReplicaGroup.inputSubscribers(settings.replicas, true)); // FRAME is verified
    }

    private static BroadcastRing prefill(final CapturedFrames frames, final int subscribers)
    {
        long bytes = (1 << 20) + 64L * (frames.count() + 1);
        int largest = 0;
        for (int i = 0; i < frames.count(); i++)
        {
            bytes += frames.length(i);
            largest = Math.max(largest, frames.length(i));
        }
        // a message may take at most capacity / 8 of the ring
        bytes = Math.max(bytes, 8L * (largest + 256));
        if (bytes > (1L << 30))
        {
            throw new IllegalArgumentException("capture needs a " + bytes + "-byte ring, over the 1 GiB limit");
        }
        final int capacity = (int)Long.highestOneBit(bytes - 1) << 1;
        final BroadcastRing ring = BroadcastRing.builder().capacity(capacity).subscribers(subscribers).direct().build();
        final Publisher publisher = ring.publisher();
        final BufferClaim claim = new BufferClaim();
        final UnsafeBuffer src = frames.buffer();
        for (int i = 0; i < frames.count(); i++)
        {
            final int length = frames.length(i);
            final int at = claim(publisher, claim, FRAME, EventDescriptor.HEADER_LENGTH + TIMESTAMP_LENGTH + length);
            EventDescriptor.writeHeader(claim.buffer(), at, i, 0);
            claim.buffer().putLong(at + EventDescriptor.HEADER_LENGTH, frames.timestampNs(i), ByteOrder.LITTLE_ENDIAN);
            claim.buffer().putBytes(at + EventDescriptor.HEADER_LENGTH + TIMESTAMP_LENGTH, src, frames.offset(i), length);
            claim.commit();
        }
        final int at = claim(publisher, claim, FINISH, EventDescriptor.HEADER_LENGTH);
        EventDescriptor.writeHeader(claim.buffer(), at, frames.count(), 0);
        claim.commit();
        return ring;
    }

    private static int claim(final Publisher publisher, final BufferClaim claim, final int type, final int length)
    {
        final long result = publisher.tryClaim(type, length, claim);
        if (result < 0)
        {
            throw new IllegalStateException("pre-filled ring cannot take a " + length + "-byte event: " + result);
        }
        return claim.offset();
    }

    private void start()
    {
        final HandlerRegistry<MonitorReplica> handlers = new HandlerRegistry<MonitorReplica>()
            .verified(FRAME, new FrameChecksumVerdict(settings.partitionedWork && config.checksumMode() != ChecksumMode.OFF),
                (r, ctx, buffer, offset, length) -> r.onFrame(ctx, buffer, offset, length))
            .replicated(FINISH, (r, ctx, buffer, offset, length) -> r.onFinish(ctx));
        final int n = settings.replicas;
        final ReplicaGroup.Builder<MonitorReplica> b = ReplicaGroup
            .builder(i -> new MonitorReplica(config, arena, settings.partitionedWork, 0 == i ? record : null))
            .name("misd-monitor")
            .replicas(n)
            .channel(subscribers ->
            {
                if (subscribers != ring.subscriberCount())
                {
                    throw new IllegalStateException("group wants " + subscribers + " subscribers, the pre-filled ring has " +
                        ring.subscriberCount());
                }
                return ring;
            })
            .handlers(handlers)
            .digestEvery(settings.digestEvery);
        if (null != settings.idle)
        {
            b.idleStrategy(settings.idle);
        }
        if (null != settings.pinCpus)
        {
            b.pinCpus(settings.pinCpus);
        }
        group = b.start();
    }

    /**
     * {@inheritDoc}
     * <p>
     * The frame is already in the pre-filled log; the first call starts the replicas.
     *
     * @throws IllegalStateException if the frame is not the capture's frame at this index.
     */
    public int onFrame(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        if (null == group)
        {
            start();
        }
        final int i = replayed++;
        if (i >= frames.count() || frames.length(i) != length || frames.timestampNs(i) != nowNs)
        {
            throw new IllegalStateException("frame " + i + " (" + length + " bytes at " + nowNs + " ns) is not the " +
                "pre-filled capture's frame: the factory was built for another capture");
        }
        return 0;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Waits until every replica handled every event, stops the group (rethrowing a replica failure, e.g. a
     * digest divergence), then reports through the sink.
     */
    public void finish()
    {
        if (null == group)
        {
            start();
        }
        if (replayed != frames.count())
        {
            group.close();
            throw new IllegalStateException("finish after " + replayed + " of " + frames.count() + " frames");
        }
        final long deadline = System.nanoTime() + WAIT_TIMEOUT_NS;
        try
        {
            for (int r = 0; r < group.replicaCount(); r++)
            {
                while (group.handledEvents(r) < events)
                {
                    final ReplicaGroupException failure = group.failure();
                    if (null != failure)
                    {
                        throw failure;
                    }
                    if (System.nanoTime() > deadline)
                    {
                        throw new IllegalStateException("replica " + r + " handled " + group.handledEvents(r) + " of " +
                            events + " events\n" + group.report());
                    }
                    LockSupport.parkNanos(1_000);
                }
            }
        }
        finally
        {
            group.close(ShutdownMode.ABORT);
        }
        final MonitorReplica r0 = group.domain(0);
        tcpSegments = r0.monitor().tcpSegments();
        for (int r = 0; r < drops.length; r++)
        {
            drops[r] = r0.monitor().drops(r);
        }
        arenaBytes = r0.arenaCursor();
        if (null != record)
        {
            replay();
        }
    }

    private void replay()
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
        for (final MonitorReplica.SinkEvent e : record)
        {
            switch (e.kind())
            {
                case MonitorReplica.OPEN -> sink.onOpen(e.connection());
                case MonitorReplica.GAP -> sink.onGap(e.connection(), e.direction(), e.length());
                case MonitorReplica.CLOSE -> sink.onClose(e.connection());
                default ->
                {
                    if (scratch.capacity() < e.length())
                    {
                        scratch.wrap(new byte[e.length()]);
                    }
                    arena.read(e.arenaPosition(), scratch, 0, e.length());
                    sink.onData(e.connection(), e.direction(), scratch, 0, e.length());
                }
            }
        }
        record.clear();
    }

    /**
     * {@inheritDoc}
     */
    public long drops(final int reason)
    {
        return drops[reason];
    }

    /**
     * {@inheritDoc}
     */
    public long tcpSegments()
    {
        return tcpSegments;
    }

    /**
     * @return bytes delivered into the arena (all connections, both directions), after {@link #finish}.
     */
    public long deliveredBytes()
    {
        return arenaBytes;
    }

    /**
     * @return the CPUs the replicas last ran on, space separated, after {@link #finish}.
     */
    public String cpus()
    {
        final StringBuilder sb = new StringBuilder();
        for (int r = 0; null != group && r < group.replicaCount(); r++)
        {
            sb.append(r == 0 ? "" : " ").append(group.lastCpu(r));
        }
        return sb.toString();
    }
}
