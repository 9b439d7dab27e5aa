package io.dominoes.core;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.core.idle.IdleStrategies;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes events into a group's input channel from outside the group, writing the runtime header
 * (partition key) in place through a claim: no copy, no allocation.
 *
 * <p><b>Threads.</b> One handle per thread ({@link ReplicaGroup#newPublisher()} hands out as many as
 * needed). Handles of a group whose channel is multi-publisher may be used concurrently; otherwise the
 * group serialises them (and replica emissions into the input) with a lock.
 *
 * <pre>{@code
 * EventPublisher pub = group.newPublisher();
 * body.putLong(0, 42);
 * pub.publish(PUT, 42, body, 0, 8);  // retries while back-pressured
 * pub.publishTick(nowNs);            // time enters the replicas only as tick events
 * }</pre>
 */
public final class EventPublisher
{
    private final Publisher publisher;
    private final PublishGuard guard;
    private final GroupState state;
    private final int maxBodyLength;
    private final DirectInputs direct;
    private final BufferClaim claim = new BufferClaim();
    private final IdleStrategy idle = IdleStrategies.park();
    private final AtomicLong published = new AtomicLong();
    private long backPressured;

    EventPublisher(
        final Publisher publisher,
        final PublishGuard guard,
        final GroupState state,
        final int maxMessageLength,
        final DirectInputs direct)
    {
        this.direct = direct;
        this.publisher = publisher;
        this.guard = guard;
        this.state = state;
        this.maxBodyLength = maxMessageLength - EventDescriptor.HEADER_LENGTH;
    }

    /**
     * @return largest body length an event may have.
     */
    public int maxBodyLength()
    {
        return maxBodyLength;
    }

    /**
     * Try once to publish an event.
     *
     * @param type   user event type ({@code > EventDescriptor.MAX_RESERVED_TYPE}).
     * @param key    partition key: decides the owner replica.
     * @param body   buffer holding the body.
     * @param offset of the body.
     * @param length of the body, {@code 0 <= length <= maxBodyLength()}.
     * @return the channel position if positive, else a {@link ChannelResult} code (nothing written).
     * @throws IllegalArgumentException if the type is reserved or the length out of range.
     */
    public long offer(final int type, final long key, final DirectBuffer body, final int offset, final int length)
    {
        if (EventDescriptor.isReserved(type))
        {
            throw new IllegalArgumentException("type " + type + " is reserved: user types must be > " +
                EventDescriptor.MAX_RESERVED_TYPE);
        }
        if (length < 0 || length > maxBodyLength)
        {
            throw new IllegalArgumentException("body length=" + length + " not in [0, " + maxBodyLength + "]");
        }
        return write(type, key, body, offset, length, 0);
    }

    /**
     * Try once to hand a direct event to its owner replica alone (see {@link HandlerRegistry#direct}). The owner
     * runs its handler once {@code progress(domain) >= fence} (the group's progress function, see
     * {@link ReplicaGroup.Builder#directInput}), and before it handles any input event it finds after that. To
     * order the event after input events this thread or others published before (read-your-writes), pass a fence
     * the domain reaches only once it has applied them. Safe from any number of threads at once; needs no
     * publish lock and does not touch the broadcast input.
     *
     * @param type   a type registered with {@link HandlerRegistry#direct}.
     * @param key    partition key: decides the owner.
     * @param fence  progress the owner's domain must have reached first.
     * @param body   buffer holding the body.
     * @param offset of the body.
     * @param length of the body, {@code 0 <= length <= maxDirectBodyLength()}.
     * @return the owner replica's index ({@code >= 0}), or {@link ChannelResult#BACK_PRESSURED} when its direct
     * input is full (nothing written).
     * @throws IllegalArgumentException if the type has no direct handler or the length is out of range.
     * @throws IllegalStateException    if the group has no direct input (no direct type was registered).
     */
    public long offerDirect(
        final int type, final long key, final long fence, final DirectBuffer body, final int offset, final int length)
    {
        if (null == direct)
        {
            throw new IllegalStateException("the group has no direct input: register the type with " +
                "HandlerRegistry.direct before building the group");
        }
        final int owner = direct.offer(type, key, fence, body, offset, length);
        if (owner < 0)
        {
            backPressured++;
            return ChannelResult.BACK_PRESSURED;
        }
        return owner;
    }

    /**
     * {@link #offerDirect}, retrying (parking) while the owner's direct input is full.
     *
     * @return the owner replica's index.
     * @throws ReplicaGroupException if the group failed meanwhile.
     * @throws IllegalStateException if the group stopped (nobody drains the direct input).
     */
    public int publishDirect(
        final int type, final long key, final long fence, final DirectBuffer body, final int offset, final int length)
    {
        idle.reset();
        long result;
        while ((result = offerDirect(type, key, fence, body, offset, length)) < 0)
        {
            retryOrThrow(result);
        }
        return (int)result;
    }

    /**
     * @return largest body a direct event may have, 0 when the group has no direct input.
     */
    public int maxDirectBodyLength()
    {
        return null == direct ? 0 : direct.maxBodyLength();
    }

    /**
     * Try once to publish a tick carrying replicated time.
     *
     * @param timeNs the time; replicas take {@code max(previous, timeNs)} as "now" and fire due timers.
     * @return the channel position if positive, else a {@link ChannelResult} code.
     */
    public long offerTick(final long timeNs)
    {
        return write(EventDescriptor.TICK_TYPE, 0, null, 0, 0, timeNs);
    }

    /**
     * Publish, retrying (parking) while back-pressured.
     *
     * @throws ReplicaGroupException if the group failed meanwhile (its replicas no longer drain the channel).
     * @throws IllegalStateException if the channel is closed.
     */
    public void publish(final int type, final long key, final DirectBuffer body, final int offset, final int length)
    {
        idle.reset();
        long result;
        while ((result = offer(type, key, body, offset, length)) < 0)
        {
            retryOrThrow(result);
        }
    }

    /**
     * Publish a tick, retrying while back-pressured.
     *
     * @param timeNs the replicated time.
     * @throws ReplicaGroupException if the group failed meanwhile.
     * @throws IllegalStateException if the channel is closed.
     */
    public void publishTick(final long timeNs)
    {
        idle.reset();
        long result;
        while ((result = offerTick(timeNs)) < 0)
        {
            retryOrThrow(result);
        }
    }

    /**
     * @return events this handle published.
     */
    public long publishedCount()
    {
        return published.get();
    }

    /**
     * @return offers from this handle that met back-pressure (read from the publishing thread).
     */
    public long backPressureCount()
    {
        return backPressured;
    }

    private void retryOrThrow(final long result)
    {
        if (!ChannelResult.isRetryable(result))
        {
            throw new IllegalStateException("channel refused the event: " + ChannelResult.describe(result));
        }
        final ReplicaGroupException failure = state.failure.get();
        if (null != failure)
        {
            throw failure;
        }
        if (state.stopMode == GroupState.ABORT)
        {
            throw new IllegalStateException("replica group stopped: nobody drains the channel");
        }
        idle.idle();
    }

    private long write(
        final int type, final long key, final DirectBuffer body, final int offset, final int length, final long timeNs)
    {
        final boolean tick = null == body;
        final int eventLength = tick ? EventDescriptor.TICK_LENGTH : EventDescriptor.HEADER_LENGTH + length;
        guard.enter();
        try
        {
            final long result = publisher.tryClaim(type, eventLength, claim);
            if (result < 0)
            {
                if (ChannelResult.isRetryable(result))
                {
                    backPressured++;
                }
                return result;
            }
            try
            {
                final MutableDirectBuffer buffer = claim.buffer();
                final int at = claim.offset();
                EventDescriptor.writeHeader(buffer, at, key, 0);
                if (tick)
                {
                    buffer.putLong(at + EventDescriptor.HEADER_LENGTH, timeNs, ByteOrder.LITTLE_ENDIAN);
                }
                else
                {
                    buffer.putBytes(at + EventDescriptor.HEADER_LENGTH, body, offset, length);
                }
            }
            catch (final RuntimeException ex)
            {
                claim.abort();
                throw ex;
            }
            claim.commit();
            // release after commit: a replica that reads this count (acquire) and then polls sees the event.
            published.lazySet(published.get() + 1);
            return result;
        }
        finally
        {
            guard.exit();
        }
    }
}
