package io.dominoes.core;

import io.dominoes.core.time.ReplicatedTimerQueue;
import org.agrona.DirectBuffer;

/**
 * What a handler knows about the event it handles, and the replica's services: emitting events and
 * replicated timers. One instance per replica, reused for every event (no allocation); valid only during
 * the handler call; used only by the replica's thread.
 *
 * <h2>Emit once</h2>
 * Replicated code runs on every replica, but its output must leave once. The rule:
 * <ul>
 *   <li>In a <b>replicated</b> (or verified) handler for event {@code e}, {@link #emit} sends only on the
 *       <b>owner</b> of {@code e} (the type's partitioner applied to {@code e}'s key; for claimed types
 *       too, the partitioner, not the claimer, since replicated code must decide deterministically). On the
 *       other replicas it returns false and copies nothing. {@link #isOwner()} tells which.</li>
 *   <li>In a <b>timer</b> callback, the owner is replica {@code timerId mod N}.</li>
 *   <li>In a <b>partitioned</b> or claimed handler, only one replica runs, and it sends.</li>
 * </ul>
 * Because replicated handlers make the same emit calls on every replica, exactly one copy of each
 * emission enters the output. Emissions are appended to the replica's outbox and offered to the output
 * channel between polls (see {@link ReplicaGroup}); emissions of one handler call keep their order,
 * emissions of different owners interleave in the output in any order (the output channel then fixes
 * one order that every subscriber sees).
 */
public final class EventContext
{
    static final int KIND_NONE = 0;
    static final int KIND_REPLICATED = 1;
    static final int KIND_PARTITIONED = 2;
    static final int KIND_TIMER = 3;

    private final int replicaIndex;
    private final int replicaCount;
    private final Outbox outbox;
    private final int maxEmitLength;
    private final ReplicatedTimerQueue timers;
    private final ReplicaCounters counters;
    long sequence;
    int type;
    long key;
    long timeNs;
    int verdict;
    boolean hasVerdict;
    boolean owner;
    int kind;

    EventContext(
        final int replicaIndex,
        final int replicaCount,
        final Outbox outbox,
        final int maxEmitLength,
        final ReplicatedTimerQueue timers,
        final ReplicaCounters counters)
    {
        this.replicaIndex = replicaIndex;
        this.replicaCount = replicaCount;
        this.outbox = outbox;
        this.maxEmitLength = maxEmitLength;
        this.timers = timers;
        this.counters = counters;
    }

    /**
     * @return the event's position in channel order, 0-based, identical on every replica.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return the event's type (for timers: the type of the tick, {@code EventDescriptor.TICK_TYPE}).
     */
    public int type()
    {
        return type;
    }

    /**
     * @return the event's partition key (for timers: the timer id).
     */
    public long key()
    {
        return key;
    }

    /**
     * @return this replica's index.
     */
    public int replicaIndex()
    {
        return replicaIndex;
    }

    /**
     * @return the number of replicas.
     */
    public int replicaCount()
    {
        return replicaCount;
    }

    /**
     * @return true if this replica is the one whose {@link #emit} calls are sent (see class javadoc).
     */
    public boolean isOwner()
    {
        return owner;
    }

    /**
     * @return replicated time: the time carried by the latest tick event (never decreasing), 0 before the
     * first tick. The same at the same event on every replica.
     */
    public long timeNs()
    {
        return timeNs;
    }

    /**
     * @return the verdict the owner's {@link VerdictHandler} computed for this event.
     * @throws IllegalStateException outside a verified type's replicated handler.
     */
    public int verdict()
    {
        if (!hasVerdict)
        {
            throw new IllegalStateException("no verdict: event seq=" + sequence + " type=" + type +
                " is not being handled by a verified handler");
        }
        return verdict;
    }

    /**
     * Emit an event to the group's output channel, following the emit-once rule (class javadoc).
     * Never blocks: the event is copied into the replica's outbox and offered between polls.
     *
     * @param type   of the emitted event.
     * @param key    its partition key.
     * @param buffer holding the body.
     * @param offset of the body.
     * @param length of the body, at most the output channel's maximum message length minus the header.
     * @return true if this replica sends it, false if another replica does.
     * @throws IllegalArgumentException if the body is too long.
     * @throws IllegalStateException    if the outbox is full (the output stayed back-pressured too long).
     */
    public boolean emit(final int type, final long key, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0 || length > maxEmitLength)
        {
            throw new IllegalArgumentException("emit length=" + length + " not in [0, " + maxEmitLength + "]");
        }
        if (!owner)
        {
            return false;
        }
        outbox.append(type, key, buffer, offset, length);
        counters.increment(ReplicaCounters.EMITS);
        return true;
    }

    /**
     * Schedule a replicated timer. Only replicated code (replicated, verified and timer handlers) may
     * schedule: timers are replicated state.
     *
     * @param deadlineNs  replicated time at which it fires (on the first tick with time {@code >=} it).
     * @param correlation value handed to the timer handler.
     * @return the timer id, identical on every replica.
     * @throws IllegalStateException from a partitioned or claimed handler.
     */
    public long scheduleTimer(final long deadlineNs, final long correlation)
    {
        checkReplicated("scheduleTimer");
        return timers.schedule(deadlineNs, correlation);
    }

    /**
     * @param timerId to cancel.
     * @return true if it was pending.
     * @throws IllegalStateException from a partitioned or claimed handler.
     */
    public boolean cancelTimer(final long timerId)
    {
        checkReplicated("cancelTimer");
        return timers.cancel(timerId);
    }

    private void checkReplicated(final String call)
    {
        if (kind != KIND_REPLICATED && kind != KIND_TIMER)
        {
            throw new IllegalStateException(call + " from a partitioned handler (event seq=" + sequence + " type=" + type +
                "): timers are replicated state, schedule them from replicated code");
        }
    }
}
