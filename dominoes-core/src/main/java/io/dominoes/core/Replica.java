package io.dominoes.core;

import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.core.time.ReplicatedTimerQueue;
import io.dominoes.os.affinity.CpuAffinity;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToLongFunction;

/**
 * One replica: a thread that owns one {@link Domain}, reads the input channel with its replicated cursor
 * (and, when verified types exist, a look-ahead cursor), and offers its outbox between polls.
 *
 * <p>Loop: offer outbox, pump look-ahead (gated), poll replicated cursor, idle with the work count.
 */
final class Replica<D extends Domain> implements Runnable
{
    private static final String KIND_REPLICATED = "replicated";
    private static final String KIND_PARTITIONED = "partitioned";
    private static final String KIND_CLAIMED = "claimed";
    private static final String KIND_VERDICT = "verdict";
    private static final String KIND_TIMER = "timer";
    private static final String KIND_DIGEST = "digest";
    private static final String KIND_DIRECT = "direct";

    /** {@link #directFence} when the direct ring was empty at the last look: nothing to run before input. */
    private static final long NO_DIRECT = Long.MAX_VALUE;

    /** {@link #directFence} when a read stopped at its limit: look again before the next input event. */
    private static final long DIRECT_UNKNOWN = Long.MIN_VALUE;

    /**
     * Unwinds a poll when the group aborts while this replica waits for a verdict. Preallocated, no stack.
     */
    static final class StopSignal extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        StopSignal()
        {
            super("replica group stopping", null, false, false);
        }
    }

    private static final StopSignal STOP = new StopSignal();

    /**
     * Busy checks of a verdict wait before it yields (a few microseconds: the owner's look-ahead is usually a
     * packet or two behind).
     */
    private static final int VERDICT_SPINS = 256;

    /**
     * Yields of a verdict wait before the idle strategy takes over.
     */
    private static final int VERDICT_YIELDS = 64;

    private final int index;
    private final int replicaCount;
    private final D domain;
    private final HandlerRegistry<D> registry;
    private final TimerHandler<D> timerHandler;
    private final Subscriber main;
    private final Subscriber lookAhead;
    private final Publisher output;
    private final PublishGuard outputGuard;
    private final boolean outputIsInput;
    private final Outbox outbox;
    private final IdleStrategy idle;
    private final ReplicaCounters counters;
    private final GroupState state;
    private final VerdictTable verdicts;
    private final ClaimTable claims;
    private final DigestTable digests;
    private final int digestEvery;
    private final int pollLimit;
    private final int pinCpu;
    private final CountDownLatch started;
    private final ReplicatedTimerQueue timers;
    private final EventContext ctx;
    private final MessageHandler mainHandler = this::onMain;
    private final MessageHandler lookAheadHandler = this::onLookAhead;
    private final ReplicatedTimerQueue.Expiry expiry = this::onTimer;
    private final ManyToOneRingBuffer direct;
    private final ToLongFunction<D> progress;
    private final int directHeadIndex;
    private final ControlledMessageHandler directHandler = this::onDirect;

    /**
     * Fence of the record at the head of the direct ring as of the last look ({@link #NO_DIRECT} if the ring was
     * empty: then each input event first peeks at the head, {@link #DIRECT_UNKNOWN} if the look stopped at its
     * limit). Only this thread consumes the ring, so a head record stays the head until this thread consumes it:
     * the cached fence is exact until then.
     */
    private long directFence = NO_DIRECT;
    private boolean directBlocked;

    private long sequence;
    private long lookAheadSequence;
    private long cachedMinPosition;
    private Object currentHandler;
    private String currentKind;
    private volatile int lastCpu = -1;
    private volatile long cpuMask;

    Replica(
        final int index,
        final int replicaCount,
        final D domain,
        final HandlerRegistry<D> registry,
        final Subscriber main,
        final Subscriber lookAhead,
        final Publisher output,
        final PublishGuard outputGuard,
        final boolean outputIsInput,
        final int outboxCapacity,
        final int maxEmitLength,
        final IdleStrategy idle,
        final GroupState state,
        final VerdictTable verdicts,
        final ClaimTable claims,
        final DigestTable digests,
        final int digestEvery,
        final int pollLimit,
        final int pinCpu,
        final CountDownLatch started,
        final ManyToOneRingBuffer direct,
        final ToLongFunction<D> progress)
    {
        this.direct = direct;
        this.progress = progress;
        this.directHeadIndex = null == direct ? 0 : direct.capacity() + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        this.index = index;
        this.replicaCount = replicaCount;
        this.domain = domain;
        this.registry = registry;
        this.timerHandler = registry.timerHandler();
        this.main = main;
        this.lookAhead = lookAhead;
        this.output = output;
        this.outputGuard = outputGuard;
        this.outputIsInput = outputIsInput;
        this.outbox = new Outbox(outboxCapacity);
        this.idle = idle;
        this.counters = new ReplicaCounters();
        this.state = state;
        this.verdicts = verdicts;
        this.claims = claims;
        this.digests = digests;
        this.digestEvery = digestEvery;
        this.pollLimit = pollLimit;
        this.pinCpu = pinCpu;
        this.started = started;
        this.timers = new ReplicatedTimerQueue(64);
        this.ctx = new EventContext(index, replicaCount, outbox, maxEmitLength, timers, counters);
    }

    D domain()
    {
        return domain;
    }

    ReplicaCounters counters()
    {
        return counters;
    }

    int lastCpu()
    {
        return lastCpu;
    }

    long cpuMask()
    {
        return cpuMask;
    }

    long sequence()
    {
        return sequence;
    }

    public void run()
    {
        try
        {
            if (pinCpu >= 0)
            {
                CpuAffinity.pinCurrentThread(pinCpu);
            }
            sampleCpu();
            started.countDown();
            runLoop();
        }
        catch (final StopSignal ignore)
        {
            // aborting: someone else recorded why
        }
        catch (final ReplicaGroupException ex)
        {
            state.fail(ex);
        }
        catch (final Throwable t)
        {
            state.fail(new ReplicaGroupException("replica " + index + " failed outside a handler (" + t + ")" +
                " after event seq=" + (sequence - 1), sequence - 1, 0, index, "replica loop", t));
        }
        finally
        {
            try
            {
                sampleCpu();
            }
            catch (final RuntimeException ignore)
            {
                // best effort
            }
            started.countDown();
        }
    }

    private void runLoop()
    {
        long loops = 0;
        while (true)
        {
            final int mode = state.stopMode;
            if (mode == GroupState.ABORT)
            {
                return;
            }
            int work = drainOutbox();
            work += pumpLookAhead();
            work += pollDirect();
            work += main.poll(mainHandler, pollLimit);
            if ((++loops & 1023) == 0)
            {
                sampleCpu();
            }
            if (mode == GroupState.DRAIN && work == 0 && (null == direct || direct.size() == 0) &&
                state.quiescent(index, sequence, outbox.isEmpty()))
            {
                return;
            }
            idle.idle(work);
        }
    }

    private int drainOutbox()
    {
        final int sent = outbox.drain(output, outputGuard, counters);
        if (sent > 0 && outputIsInput)
        {
            state.emittedToInput(index, outbox.sent());
        }
        return sent;
    }

    private int pumpLookAhead()
    {
        if (null == lookAhead)
        {
            return 0;
        }
        long room = cachedMinPosition + verdicts.capacity() - lookAheadSequence;
        if (room <= 0)
        {
            cachedMinPosition = state.minPosition();
            room = cachedMinPosition + verdicts.capacity() - lookAheadSequence;
            if (room <= 0)
            {
                return 0;
            }
        }
        return lookAhead.poll(lookAheadHandler, (int)Math.min(room, pollLimit));
    }

    private void onLookAhead(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        final long s = lookAheadSequence;
        try
        {
            if (length >= EventDescriptor.HEADER_LENGTH && !EventDescriptor.isReserved(type))
            {
                final HandlerRegistry.TypeBinding<D> b = registry.get(type);
                if (null != b && null != b.verifier)
                {
                    final long key = EventDescriptor.key(buffer, offset);
                    if (b.owner(key, replicaCount) == index)
                    {
                        final int verdict = b.verifier.verify(
                            type, key, buffer, offset + EventDescriptor.HEADER_LENGTH, length - EventDescriptor.HEADER_LENGTH);
                        verdicts.write(s, verdict);
                        counters.increment(ReplicaCounters.VERDICTS_COMPUTED);
                    }
                }
            }
        }
        catch (final Throwable t)
        {
            throw failure(s, type, KIND_VERDICT, registry.get(type).verifier, t);
        }
        finally
        {
            lookAheadSequence = s + 1;
        }
    }

    /**
     * Run the direct events whose fence the domain has reached, in ring order, up to the poll limit; stop at the
     * first whose fence it has not (it stays at the head).
     */
    private int pollDirect()
    {
        if (null == direct)
        {
            return 0;
        }
        directBlocked = false;
        int n = 0;
        do
        {
            // One read stops at the end of the ring's buffer (Agrona reads one contiguous block): read on past
            // the wrap, or "fewer than the limit" would be taken for "the ring is empty".
            n += direct.controlledRead(directHandler, pollLimit - n);
        }
        while (!directBlocked && n < pollLimit && directWaiting());
        if (!directBlocked)
        {
            directFence = n == pollLimit ? DIRECT_UNKNOWN : NO_DIRECT;
        }
        return n;
    }

    /**
     * Whether a committed record is at the head of the direct ring: a peek at its length word, which a publisher
     * stores last with a release (negative while only claimed). The head position is this thread's own.
     */
    private boolean directWaiting()
    {
        final AtomicBuffer b = direct.buffer();
        final long head = b.getLong(directHeadIndex);
        return b.getIntVolatile((int)head & (direct.capacity() - 1)) > 0;
    }

    private ControlledMessageHandler.Action onDirect(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long fence = buffer.getLong(index + DirectInputs.FENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (progress.applyAsLong(domain) < fence)
        {
            directFence = fence;
            directBlocked = true;
            return ControlledMessageHandler.Action.ABORT;
        }
        final int type = buffer.getInt(index + DirectInputs.TYPE_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final HandlerRegistry.TypeBinding<D> b = registry.get(type);
        try
        {
            if (null == b || null == b.direct || length < DirectInputs.HEADER_LENGTH)
            {
                counters.increment(ReplicaCounters.UNHANDLED); // offerDirect checks both: not reached
            }
            else
            {
                ctx.sequence = sequence;
                ctx.type = type;
                ctx.key = buffer.getLong(index + DirectInputs.KEY_OFFSET, ByteOrder.LITTLE_ENDIAN);
                ctx.kind = EventContext.KIND_PARTITIONED;
                ctx.owner = true;
                counters.increment(ReplicaCounters.DIRECT_RUNS);
                b.direct.onEvent(domain, ctx, buffer, index + DirectInputs.HEADER_LENGTH,
                    length - DirectInputs.HEADER_LENGTH);
            }
        }
        catch (final StopSignal | ReplicaGroupException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw failure(sequence, type, KIND_DIRECT, b.direct, t);
        }
        finally
        {
            ctx.kind = EventContext.KIND_NONE;
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }

    private void onMain(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        // Direct events whose fence is reached run before this input event (their place in channel order).
        if (null != direct)
        {
            final long fence = directFence;
            if (fence == NO_DIRECT ? directWaiting() : fence == DIRECT_UNKNOWN || progress.applyAsLong(domain) >= fence)
            {
                do
                {
                    pollDirect();
                }
                while (directFence == DIRECT_UNKNOWN); // stopped at the poll limit: all of them go before this event
            }
        }
        final long s = sequence;
        currentHandler = null;
        currentKind = null;
        try
        {
            if (length < EventDescriptor.HEADER_LENGTH)
            {
                counters.increment(ReplicaCounters.INVALID_INPUT);
            }
            else if (type == EventDescriptor.TICK_TYPE)
            {
                onTick(s, buffer, offset, length);
            }
            else
            {
                final HandlerRegistry.TypeBinding<D> b = EventDescriptor.isReserved(type) ? null : registry.get(type);
                if (null == b || (null == b.replicated && null == b.partitioned))
                {
                    counters.increment(ReplicaCounters.UNHANDLED);
                }
                else
                {
                    dispatch(s, type, b, buffer, offset, length);
                }
            }
        }
        catch (final StopSignal | ReplicaGroupException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw failure(s, type, currentKind, currentHandler, t);
        }
        finally
        {
            ctx.kind = EventContext.KIND_NONE;
            ctx.hasVerdict = false;
            sequence = s + 1;
            counters.increment(ReplicaCounters.EVENTS);
            if (null != lookAhead)
            {
                state.publishPosition(index, s + 1);
            }
        }
        if (digestEvery > 0 && (s + 1) % digestEvery == 0)
        {
            checkpoint(s, type);
        }
    }

    private void dispatch(
        final long s,
        final int type,
        final HandlerRegistry.TypeBinding<D> b,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final long key = EventDescriptor.key(buffer, offset);
        final int owner = b.owner(key, replicaCount);
        final int bodyOffset = offset + EventDescriptor.HEADER_LENGTH;
        final int bodyLength = length - EventDescriptor.HEADER_LENGTH;
        ctx.sequence = s;
        ctx.type = type;
        ctx.key = key;
        if (null != b.replicated)
        {
            if (null != b.verifier)
            {
                ctx.verdict = null == verdicts ? verifyInline(s, type, key, b, buffer, bodyOffset, bodyLength) : awaitVerdict(s);
                ctx.hasVerdict = true;
            }
            ctx.kind = EventContext.KIND_REPLICATED;
            ctx.owner = owner == index;
            currentKind = KIND_REPLICATED;
            currentHandler = b.replicated;
            b.replicated.onEvent(domain, ctx, buffer, bodyOffset, bodyLength);
            ctx.hasVerdict = false;
        }
        if (null != b.partitioned)
        {
            final boolean mine = b.claimed ? claims.tryClaim(s, index) : owner == index;
            if (mine)
            {
                ctx.kind = EventContext.KIND_PARTITIONED;
                ctx.owner = true;
                currentKind = b.claimed ? KIND_CLAIMED : KIND_PARTITIONED;
                currentHandler = b.partitioned;
                counters.increment(ReplicaCounters.PARTITIONED_RUNS);
                b.partitioned.onEvent(domain, ctx, buffer, bodyOffset, bodyLength);
            }
        }
    }

    /**
     * The verdict of event {@code s} in a group of one replica (no look-ahead cursor, no verdict table): this replica
     * owns every event, so it verifies the body itself just before the replicated handler reads it.
     */
    private int verifyInline(
        final long s,
        final int type,
        final long key,
        final HandlerRegistry.TypeBinding<D> b,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        currentKind = KIND_VERDICT;
        currentHandler = b.verifier;
        final int verdict = b.verifier.verify(type, key, buffer, bodyOffset, bodyLength);
        counters.increment(ReplicaCounters.VERDICTS_COMPUTED);
        return verdict;
    }

    /**
     * Wait for the owner's verdict of event {@code s}, pumping this replica's own look-ahead meanwhile so
     * that a replica waiting on us is never waiting on a replica that waits (see {@link VerdictTable}).
     * <p>
     * A verdict wait is a wait on another replica that has work to do, not on input that may never come, so it
     * spins briefly, then yields, and only then hands over to the idle strategy (which parks). Yielding first
     * matters when the replicas outnumber the cores that are free: the scheduler often runs the owner on this very
     * core (both replicas of misd TCP were seen on one of the 2 shared cores), and a yield hands it the core at
     * once, where a park would wait for a timer (50-100 us on the test machine) before this replica runs again.
     */
    private int awaitVerdict(final long s)
    {
        if (!verdicts.isReady(s))
        {
            counters.increment(ReplicaCounters.VERDICT_WAITS);
            idle.reset();
            int unproductive = 0;
            boolean idled = false;
            while (!verdicts.isReady(s))
            {
                if (state.stopMode == GroupState.ABORT)
                {
                    throw STOP;
                }
                if (pumpLookAhead() > 0)
                {
                    unproductive = 0;
                    idle.reset();
                }
                else if (++unproductive <= VERDICT_SPINS)
                {
                    Thread.onSpinWait();
                }
                else if (unproductive <= VERDICT_SPINS + VERDICT_YIELDS)
                {
                    Thread.yield();
                }
                else
                {
                    if (!idled)
                    {
                        idled = true;
                        counters.increment(ReplicaCounters.VERDICT_IDLES);
                    }
                    idle.idle(0);
                }
            }
            idle.reset();
        }
        return verdicts.verdict(s);
    }

    private void onTick(final long s, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < EventDescriptor.TICK_LENGTH)
        {
            counters.increment(ReplicaCounters.INVALID_INPUT);
            return;
        }
        final long t = buffer.getLong(offset + EventDescriptor.HEADER_LENGTH, ByteOrder.LITTLE_ENDIAN);
        if (t > ctx.timeNs)
        {
            ctx.timeNs = t;
        }
        ctx.sequence = s;
        ctx.type = EventDescriptor.TICK_TYPE;
        if (null != timerHandler)
        {
            currentKind = KIND_TIMER;
            currentHandler = timerHandler;
            final int fired = timers.poll(ctx.timeNs, expiry);
            for (int i = 0; i < fired; i++)
            {
                counters.increment(ReplicaCounters.TIMERS_FIRED);
            }
        }
    }

    private void onTimer(final long timerId, final long deadlineNs, final long correlation)
    {
        ctx.kind = EventContext.KIND_TIMER;
        ctx.key = timerId;
        ctx.owner = Math.floorMod(timerId, (long)replicaCount) == index;
        timerHandler.onTimer(domain, ctx, timerId, deadlineNs, correlation);
    }

    private void checkpoint(final long s, final int type)
    {
        final long checkpoint = (s + 1) / digestEvery - 1;
        final long digest;
        try
        {
            digest = domain.stateDigest() * 0x9E3779B97F4A7C15L + timers.digest();
        }
        catch (final Throwable t)
        {
            throw failure(s, type, KIND_DIGEST, domain, t);
        }
        digests.store(index, checkpoint, digest);
        for (int r = 0; r < replicaCount; r++)
        {
            if (r == index)
            {
                continue;
            }
            final long other = digests.load(r, checkpoint);
            if (other != DigestTable.ABSENT)
            {
                counters.increment(ReplicaCounters.DIGESTS_COMPARED);
                if (other != digest)
                {
                    final String handler = describe(currentKind, currentHandler);
                    throw new DivergenceException("replica " + index + " state digest 0x" + Long.toHexString(digest) +
                        " differs from replica " + r + " digest 0x" + Long.toHexString(other) +
                        " at checkpoint after event seq=" + s + " type=" + type + " (" + handler +
                        "); the states diverged in events seq " + (s + 1 - digestEvery) + ".." + s,
                        s, type, index, handler);
                }
            }
            else if (digests.state(r, checkpoint) > 0)
            {
                counters.increment(ReplicaCounters.DIGESTS_SKIPPED);
            }
        }
    }

    private ReplicaGroupException failure(
        final long s, final int type, final String kind, final Object handler, final Throwable t)
    {
        final String name = describe(kind, handler);
        return new ReplicaGroupException("replica " + index + ": " + name + " threw " + t + " at event seq=" + s +
            " type=" + type, s, type, index, name, t);
    }

    private static String describe(final String kind, final Object handler)
    {
        return null == kind ? "no handler" : kind + " handler " + handler;
    }

    private void sampleCpu()
    {
        if (CpuAffinity.isSupported())
        {
            final int cpu = CpuAffinity.currentCpu();
            lastCpu = cpu;
            if (cpu < 64)
            {
                cpuMask |= 1L << cpu;
            }
        }
    }
}
