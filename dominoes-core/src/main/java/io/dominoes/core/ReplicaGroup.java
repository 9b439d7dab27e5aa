package io.dominoes.core;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.os.affinity.CpuAffinity;
import org.agrona.BitUtil;
import org.agrona.concurrent.IdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * N replica threads over one broadcast channel: every replica sees every event in channel order and
 * applies it to its own {@link Domain}; partitioned work runs on one owner.
 *
 * <h2>API by example</h2>
 * <pre>{@code
 * HandlerRegistry<Counters> handlers = new HandlerRegistry<Counters>()
 *     .replicated(ADD, (c, ctx, buf, off, len) -> c.add(ctx.key(), buf.getLong(off)))
 *     .partitioned(GET, (c, ctx, buf, off, len) -> ctx.emit(VALUE, ctx.key(), c.encode(ctx.key()), 0, 8))
 *     .direct(PEEK, (c, ctx, buf, off, len) -> ctx.emit(VALUE, ctx.key(), c.encode(ctx.key()), 0, 8));
 *
 * try (ReplicaGroup<Counters> group = ReplicaGroup.builder(replica -> new Counters())
 *     .replicas(4)
 *     .channel(subscribers -> channels.create(subscribers))   // any BroadcastChannel, via the SPI
 *     .handlers(handlers)
 *     .output(replies, true)                                   // replies leave on their own channel
 *     .idleStrategy(IdleStrategies.byName("two-phase"))
 *     .digestEvery(1024)
 *     .directInput(1 << 20, Counters::applied)                 // PEEKs skip the broadcast, fenced by progress
 *     .start())
 * {
 *     EventPublisher pub = group.newPublisher();
 *     pub.publish(ADD, 7, body, 0, 8);
 *     pub.publishDirect(PEEK, 7, appliedSoFar, body, 0, 0);    // owner of key 7 only, after that many ADDs
 *     pub.publishTick(clock.nanoTime());
 *     group.close(ShutdownMode.DRAIN);   // rethrows a handler failure, naming the event
 * }
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Emit once</b>: see {@link EventContext}; output decided by replicated code leaves from the
 *       event's owner replica only.</li>
 *   <li><b>No self-deadlock</b>: handlers never offer into a channel directly. Emissions go to a
 *       per-replica outbox offered between polls; a back-pressured replica keeps polling, which moves its
 *       own cursor, so it never waits for space only it can free. Emitting into the input channel itself
 *       is therefore safe (a runaway feedback loop ends with "outbox full", not a hang). Emitting into a
 *       separate output channel ({@link Builder#output}) avoids the feedback altogether.</li>
 *   <li><b>Verdicts</b>: with verified types the group asks the factory for 2N subscribers: {@code i} is
 *       replica {@code i}'s replicated cursor, {@code N + i} its look-ahead cursor; see
 *       {@link VerdictTable} for the ordering, gate and liveness arguments.</li>
 *   <li><b>Failure</b>: a handler exception (or a digest divergence) stops every replica; {@link #close}
 *       rethrows it as a {@link ReplicaGroupException} naming the event's sequence and type, and the
 *       handler. {@link #failure()} shows it earlier.</li>
 *   <li><b>Threads</b>: named {@code <name>-replica-<i>}; {@link #close} joins them all.</li>
 * </ul>
 *
 * @param <D> the domain type.
 */
public final class ReplicaGroup<D extends Domain> implements AutoCloseable
{
    private final String name;
    private final BroadcastChannel channel;
    private final PublishGuard inputGuard;
    private final DirectInputs direct;
    private final GroupState state;
    private final List<Replica<D>> replicas;
    private final Thread[] threads;
    private final long shutdownTimeoutMs;
    private boolean closed;

    private ReplicaGroup(final Builder<D> b, final BroadcastChannel channel, final boolean lookAhead)
    {
        this.name = b.name;
        this.channel = channel;
        this.shutdownTimeoutMs = b.shutdownTimeoutMs;
        this.state = new GroupState(b.replicas);
        this.inputGuard = b.multiPublisher ? PublishGuard.replicaTurns() : PublishGuard.lock();
        final boolean outputIsInput = null == b.output;
        final BroadcastChannel out = outputIsInput ? channel : b.output;
        final PublishGuard outputGuard = outputIsInput ? inputGuard : (b.outputMultiPublisher ? PublishGuard.replicaTurns() : PublishGuard.lock());
        final int maxEmitLength = out.maxMessageLength() - EventDescriptor.HEADER_LENGTH;
        if (b.outboxCapacity < 8 + out.maxMessageLength())
        {
            throw new IllegalArgumentException("outboxCapacity=" + b.outboxCapacity + " must hold one largest message: >= " +
                (8 + out.maxMessageLength()));
        }
        final Supplier<IdleStrategy> idleSupplier = null != b.idleStrategy ? b.idleStrategy :
            IdleStrategies.defaultFor(b.replicas, Runtime.getRuntime().availableProcessors());
        final VerdictTable verdicts = lookAhead ? new VerdictTable(b.verdictCapacity) : null;
        final ClaimTable claims = b.handlers.hasClaimedTypes() ? new ClaimTable(b.claimCapacity) : null;
        final DigestTable digests = b.digestEvery > 0 ? new DigestTable(b.replicas, b.digestHistory) : null;
        this.direct = b.handlers.hasDirectTypes() ? new DirectInputs(b.replicas, b.directCapacity, b.handlers) : null;
        final CountDownLatch started = new CountDownLatch(b.replicas);
        replicas = new ArrayList<>(b.replicas);
        threads = new Thread[b.replicas];
        for (int i = 0; i < b.replicas; i++)
        {
            final D domain = b.domainFactory.apply(i);
            if (null == domain)
            {
                throw new IllegalArgumentException("domain factory returned null for replica " + i);
            }
            if (b.digestEvery > 0)
            {
                domain.stateDigest(); // fail fast here, not at the first checkpoint
            }
            replicas.add(new Replica<>(
                i, b.replicas, domain, b.handlers, channel.subscriber(i), lookAhead ? channel.subscriber(b.replicas + i) : null,
                out.publisher(), outputGuard, outputIsInput, b.outboxCapacity, maxEmitLength, idleSupplier.get(), state,
                verdicts, claims, digests, b.digestEvery, b.pollLimit, null == b.pinCpus ? -1 : b.pinCpus[i], started,
                null == direct ? null : direct.ring(i), b.progress));
        }
        for (int i = 0; i < b.replicas; i++)
        {
            threads[i] = new Thread(replicas.get(i), name + "-replica-" + i);
        }
        for (final Thread t : threads)
        {
            t.start();
        }
        try
        {
            if (!started.await(shutdownTimeoutMs, TimeUnit.MILLISECONDS))
            {
                throw new IllegalStateException("replicas did not start within " + shutdownTimeoutMs + " ms");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting replicas", ex);
        }
    }

    /**
     * @param domainFactory builds replica {@code i}'s domain; called once per replica on the caller's thread.
     * @param <D>           the domain type.
     * @return a builder.
     */
    /**
     * How many subscribers a group asks of its input channel factory: one replicated cursor per replica, plus one
     * look-ahead cursor per replica when some type is verified and there is more than one replica. A single
     * replica owns every event and computes each verdict inline when it reaches it, so a second cursor over every
     * record (and the verdict table's release/acquire per event) would only cost. For callers that pre-build the
     * channel.
     *
     * @param replicas          replicas in the group.
     * @param hasVerifiedTypes  whether the handlers register a verified type.
     * @return subscribers of the input channel.
     */
    public static int inputSubscribers(final int replicas, final boolean hasVerifiedTypes)
    {
        return hasVerifiedTypes && replicas > 1 ? 2 * replicas : replicas;
    }

    public static <D extends Domain> Builder<D> builder(final IntFunction<D> domainFactory)
    {
        return new Builder<>(domainFactory);
    }

    /**
     * @return a new publisher handle for the input channel, for one thread.
     */
    public EventPublisher newPublisher()
    {
        final EventPublisher p = new EventPublisher(channel.publisher(), inputGuard, state, channel.maxMessageLength(), direct);
        state.publishers.add(p);
        return p;
    }

    /**
     * @return number of replicas.
     */
    public int replicaCount()
    {
        return replicas.size();
    }

    /**
     * @return the input channel (for extra subscribers' or publishers' set-up, not for its concrete class).
     */
    public BroadcastChannel channel()
    {
        return channel;
    }

    /**
     * @return true until every replica thread has stopped.
     */
    public boolean isRunning()
    {
        for (final Thread t : threads)
        {
            if (t.isAlive())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the failure that stopped the group, or null.
     */
    public ReplicaGroupException failure()
    {
        return state.failure.get();
    }

    /**
     * @param replica index.
     * @return its counters, readable while running.
     */
    public ReplicaCounters counters(final int replica)
    {
        return replicas.get(checkReplica(replica)).counters();
    }

    /**
     * @param replica index.
     * @return the replica's domain.
     * @throws IllegalStateException while the replica thread runs (its state is private to it until then;
     *                               {@link #close} joins the thread, which makes its writes visible).
     */
    public D domain(final int replica)
    {
        checkReplica(replica);
        if (threads[replica].isAlive() || !closed)
        {
            throw new IllegalStateException("domain(" + replica + ") is readable only after close()");
        }
        return replicas.get(replica).domain();
    }

    /**
     * @param replica index.
     * @return events its replicated cursor has handled (exact after close).
     */
    public long handledEvents(final int replica)
    {
        return counters(replica).get(ReplicaCounters.EVENTS);
    }

    /**
     * @param replica index.
     * @return the CPU the replica thread last ran on (sampled at start, every 1024 loops and at exit), -1 if
     * unknown.
     */
    public int lastCpu(final int replica)
    {
        return replicas.get(checkReplica(replica)).lastCpu();
    }

    /**
     * @param replica index.
     * @return bit {@code c} set for each CPU {@code c < 64} the replica was seen running on.
     */
    public long cpuMask(final int replica)
    {
        return replicas.get(checkReplica(replica)).cpuMask();
    }

    /**
     * @return one line per replica: observed CPUs and counters.
     */
    public String report()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < replicas.size(); i++)
        {
            final long mask = cpuMask(i);
            sb.append(name).append("-replica-").append(i).append(" cpus=[");
            String sep = "";
            for (int c = 0; c < 64; c++)
            {
                if ((mask & (1L << c)) != 0)
                {
                    sb.append(sep).append(c);
                    sep = ",";
                }
            }
            sb.append("] last=").append(lastCpu(i)).append(' ').append(counters(i)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Same as {@code close(ShutdownMode.ABORT)}.
     */
    public void close()
    {
        close(ShutdownMode.ABORT);
    }

    /**
     * Stop the replicas, join their threads, close the input channel. Idempotent.
     *
     * @param mode drain or abort, see {@link ShutdownMode}.
     * @throws ReplicaGroupException the failure that stopped the group, if any (first close only).
     * @throws IllegalStateException if a replica thread does not stop within the shutdown timeout.
     */
    public void close(final ShutdownMode mode)
    {
        if (closed)
        {
            return;
        }
        closed = true;
        state.requestStop(mode == ShutdownMode.DRAIN ? GroupState.DRAIN : GroupState.ABORT);
        IllegalStateException stuck = null;
        try
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(shutdownTimeoutMs);
            for (final Thread t : threads)
            {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
            }
            if (isRunning())
            {
                state.requestStop(GroupState.ABORT);
                for (final Thread t : threads)
                {
                    t.interrupt();
                    t.join(1_000);
                }
                stuck = new IllegalStateException("replica threads did not " + (mode == ShutdownMode.DRAIN ? "drain" : "stop") +
                    " within " + shutdownTimeoutMs + " ms:\n" + report());
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            stuck = new IllegalStateException("interrupted while joining replicas", ex);
        }
        finally
        {
            channel.close();
        }
        final ReplicaGroupException failure = state.failure.get();
        if (null != failure)
        {
            throw failure;
        }
        if (null != stuck)
        {
            throw stuck;
        }
    }

    private int checkReplica(final int replica)
    {
        if (replica < 0 || replica >= replicas.size())
        {
            throw new IllegalArgumentException("replica=" + replica + " not in [0, " + replicas.size() + ")");
        }
        return replica;
    }

    /**
     * Configures and starts a group; {@link #start()} validates everything once and fails fast naming the
     * value and its limit.
     *
     * @param <D> the domain type.
     */
    public static final class Builder<D extends Domain>
    {
        private final IntFunction<D> domainFactory;
        private int replicas = Runtime.getRuntime().availableProcessors();
        private ChannelFactory channelFactory;
        private HandlerRegistry<D> handlers;
        private boolean multiPublisher;
        private BroadcastChannel output;
        private boolean outputMultiPublisher;
        private Supplier<IdleStrategy> idleStrategy;
        private int[] pinCpus;
        private int digestEvery;
        private int digestHistory = 1024;
        private int verdictCapacity = 4096;
        private int claimCapacity = 4096;
        private int outboxCapacity = 1 << 20;
        private int pollLimit = 64;
        private int directCapacity = 1 << 20;
        private ToLongFunction<D> progress;
        private long shutdownTimeoutMs = 30_000;
        private String name = "dominoes";

        private Builder(final IntFunction<D> domainFactory)
        {
            this.domainFactory = domainFactory;
        }

        /**
         * @param replicas number of replica threads, {@code > 0}; default: available processors.
         * @return this.
         */
        public Builder<D> replicas(final int replicas)
        {
            this.replicas = replicas;
            return this;
        }

        /**
         * @param factory builds the input channel for the subscriber count the group needs; the group owns it.
         * @return this.
         */
        public Builder<D> channel(final ChannelFactory factory)
        {
            this.channelFactory = factory;
            return this;
        }

        /**
         * @param multiPublisher true if the input channel allows concurrent publishers; if false (the default)
         *                       the group serialises its publisher handles and replica emissions with a lock.
         * @return this.
         */
        public Builder<D> multiPublisher(final boolean multiPublisher)
        {
            this.multiPublisher = multiPublisher;
            return this;
        }

        /**
         * @param handlers the handler registry.
         * @return this.
         */
        public Builder<D> handlers(final HandlerRegistry<D> handlers)
        {
            this.handlers = handlers;
            return this;
        }

        /**
         * Send emissions to a separate channel (not owned: the caller closes it) instead of the input.
         *
         * @param output         channel that receives emissions.
         * @param multiPublisher true if it allows concurrent publishers (replicas still take turns among
         *                       themselves, without blocking, so none waits on another's commit), else replicas
         *                       take turns via a lock.
         * @return this.
         */
        public Builder<D> output(final BroadcastChannel output, final boolean multiPublisher)
        {
            this.output = output;
            this.outputMultiPublisher = multiPublisher;
            return this;
        }

        /**
         * @param idleStrategy supplies one idle strategy per replica; default
         *                     {@link IdleStrategies#defaultFor(int, int)} (never spins when oversubscribed).
         * @return this.
         */
        public Builder<D> idleStrategy(final Supplier<IdleStrategy> idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /**
         * @param cpus one CPU per replica to pin it to ({@code cpus[i]} for replica {@code i}).
         * @return this.
         */
        public Builder<D> pinCpus(final int... cpus)
        {
            this.pinCpus = cpus.clone();
            return this;
        }

        /**
         * Pin replica {@code i} to the {@code i mod k}-th of the {@code k} CPUs the calling thread may use.
         *
         * @return this.
         */
        public Builder<D> pinToAllowedCpus()
        {
            final int[] allowed = CpuAffinity.allowedCpus();
            final int[] cpus = new int[Math.max(0, replicas)];
            for (int i = 0; i < cpus.length; i++)
            {
                cpus[i] = allowed[i % allowed.length];
            }
            this.pinCpus = cpus;
            return this;
        }

        /**
         * @param k compare replicas' {@link Domain#stateDigest()} (plus pending timers) every {@code k}
         *          events, 0 = off.
         * @return this.
         */
        public Builder<D> digestEvery(final int k)
        {
            this.digestEvery = k;
            return this;
        }

        /**
         * @param checkpoints digests kept per replica, power of two; comparisons are exact while replicas are
         *                    fewer than this many checkpoints apart (default 1024).
         * @return this.
         */
        public Builder<D> digestHistory(final int checkpoints)
        {
            this.digestHistory = checkpoints;
            return this;
        }

        /**
         * @param capacity verdict slots, power of two: how far a look-ahead may run ahead of the slowest
         *                 replicated cursor (default 4096).
         * @return this.
         */
        public Builder<D> verdictCapacity(final int capacity)
        {
            this.verdictCapacity = capacity;
            return this;
        }

        /**
         * @param capacity claim slots for claimed types, power of two (default 4096).
         * @return this.
         */
        public Builder<D> claimCapacity(final int capacity)
        {
            this.claimCapacity = capacity;
            return this;
        }

        /**
         * @param bytes per-replica outbox capacity (default 1 MiB).
         * @return this.
         */
        public Builder<D> outboxCapacity(final int bytes)
        {
            this.outboxCapacity = bytes;
            return this;
        }

        /**
         * The direct input of each replica, for the types registered with {@link HandlerRegistry#direct}: events
         * handed to their owner alone ({@link EventPublisher#offerDirect}), so the other replicas pay nothing for
         * them, which is what lets read-only work (a metadata read) scale with replicas the way partitioned work
         * inside a broadcast event does.
         *
         * <p><b>Order.</b> A direct event carries a fence. Its owner runs it only once
         * {@code progress.applyAsLong(domain) >= fence}, and looks at its direct input before each input event it
         * handles (a peek at one word while it is empty), so an event already committed when the domain reaches
         * its fence runs before any later input event: at its fence's place in channel order. One committed later
         * runs before the next input event after that: for a request concurrent with those events either order is
         * allowed. Direct events run in their ring's order; one whose fence is not reached holds back those behind
         * it. {@code progress} must not decrease and must only read the domain (it runs on the replica's thread
         * between events); a publisher that takes its fence from the same measure, after the input events it must
         * follow were published, gets read-your-writes.
         *
         * @param capacityBytes per replica, a power of two >= 1024 (default 1 MiB); a record may take 1/8 of it.
         * @param progress      the domain's progress, compared with fences (e.g. the last applied sequence).
         * @return this.
         */
        public Builder<D> directInput(final int capacityBytes, final ToLongFunction<D> progress)
        {
            this.directCapacity = capacityBytes;
            this.progress = progress;
            return this;
        }

        /**
         * @param limit events per poll, {@code > 0} (default 64).
         * @return this.
         */
        public Builder<D> pollLimit(final int limit)
        {
            this.pollLimit = limit;
            return this;
        }

        /**
         * @param timeoutMs how long start and close wait for the replica threads (default 30 s).
         * @return this.
         */
        public Builder<D> shutdownTimeoutMs(final long timeoutMs)
        {
            this.shutdownTimeoutMs = timeoutMs;
            return this;
        }

        /**
         * @param name prefix of the thread names (default "dominoes").
         * @return this.
         */
        public Builder<D> name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * Validate, build the channel, start the replica threads (pinned first, if asked).
         *
         * @return the running group.
         * @throws IllegalArgumentException naming the bad value and its limit.
         * @throws ReplicaGroupException    if a replica failed while starting (e.g. pinning).
         */
        public ReplicaGroup<D> start()
        {
            if (replicas <= 0)
            {
                throw new IllegalArgumentException("replicas=" + replicas + " must be > 0");
            }
            if (replicas > 65_535)
            {
                throw new IllegalArgumentException("replicas=" + replicas + " must be <= 65535");
            }
            requireNonNull(domainFactory, "domainFactory");
            requireNonNull(channelFactory, "channel factory");
            requireNonNull(handlers, "handlers");
            requireNonNull(name, "name");
            checkPositive(pollLimit, "pollLimit");
            checkPositive(shutdownTimeoutMs, "shutdownTimeoutMs");
            if (digestEvery < 0)
            {
                throw new IllegalArgumentException("digestEvery=" + digestEvery + " must be >= 0 (0 = off)");
            }
            checkPowerOfTwo(digestHistory, "digestHistory");
            checkPowerOfTwo(verdictCapacity, "verdictCapacity");
            checkPowerOfTwo(claimCapacity, "claimCapacity");
            if (handlers.hasDirectTypes())
            {
                if (null == progress)
                {
                    throw new IllegalArgumentException("handlers register direct types: set directInput(capacityBytes, " +
                        "progress) so their owners know when a fence is reached");
                }
                if (directCapacity < 1024 || !BitUtil.isPowerOfTwo(directCapacity))
                {
                    throw new IllegalArgumentException("directInput capacityBytes=" + directCapacity +
                        " must be a power of two >= 1024");
                }
            }
            if (null != pinCpus)
            {
                if (pinCpus.length != replicas)
                {
                    throw new IllegalArgumentException("pinCpus has " + pinCpus.length + " entries, need one per replica: " + replicas);
                }
                if (!CpuAffinity.isSupported())
                {
                    throw new IllegalArgumentException("pinCpus given but CPU affinity is not supported on this platform");
                }
            }
            final int subscribers = inputSubscribers(replicas, handlers.hasVerifiedTypes());
            final boolean lookAhead = subscribers > replicas;
            final BroadcastChannel channel = channelFactory.create(subscribers);
            if (null == channel)
            {
                throw new IllegalArgumentException("channel factory returned null for subscriberCount=" + subscribers);
            }
            final ReplicaGroup<D> group;
            try
            {
                if (channel.subscriberCount() != subscribers)
                {
                    throw new IllegalArgumentException("channel has subscriberCount=" + channel.subscriberCount() +
                        ", the group asked for " + subscribers);
                }
                group = new ReplicaGroup<>(this, channel, lookAhead);
            }
            catch (final RuntimeException ex)
            {
                channel.close();
                throw ex;
            }
            final ReplicaGroupException failure = group.failure();
            if (null != failure)
            {
                group.close(ShutdownMode.ABORT); // joins the threads, closes the channel, rethrows
            }
            return group;
        }

        private static void requireNonNull(final Object value, final String what)
        {
            if (null == value)
            {
                throw new IllegalArgumentException(what + " is null");
            }
        }

        private static void checkPositive(final long value, final String what)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(what + "=" + value + " must be > 0");
            }
        }

        private static void checkPowerOfTwo(final int value, final String what)
        {
            if (value <= 0 || !BitUtil.isPowerOfTwo(value))
            {
                throw new IllegalArgumentException(what + "=" + value + " must be a positive power of two");
            }
        }
    }
}
