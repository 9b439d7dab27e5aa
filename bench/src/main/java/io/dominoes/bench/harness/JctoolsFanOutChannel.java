package io.dominoes.bench.harness;

import io.dominoes.channels.AbstractBroadcastChannel;
import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jctools.queues.SpscArrayQueue;

/**
 * The naive broadcast the ring must beat: one JCTools SPSC queue per subscriber, and the publisher
 * copies every message into every queue. Messages live in preallocated slots (no allocation in
 * steady state): each subscriber has a free list (an SPSC queue the other way) the publisher takes
 * slots from, and hands them back after reading.
 *
 * <p>A claim takes a slot for subscriber 0 and is written in place; commit copies it into one slot
 * per other subscriber, then offers all of them. A claim only starts when every free list has a
 * slot, so a message is never delivered to some subscribers and not others (only the publisher
 * takes from the free lists, so a slot seen by {@code peek} is still there for {@code poll}).
 * Ordering: JCTools' SPSC {@code offer} is a release store of the element and {@code poll} an
 * acquire load, so the slot's bytes written before offer are visible to the subscriber that polls
 * it; the same holds for the way back through the free list.
 */
public final class JctoolsFanOutChannel extends AbstractBroadcastChannel<JctoolsFanOutChannel.FanOutSubscriber>
{
    private final int maxMessageLength;
    private final SpscArrayQueue<Slot>[] queues;
    private final SpscArrayQueue<Slot>[] freeLists;
    private final FanOutPublisher publisher;

    /**
     * @param subscribers      number of subscribers, {@code >= 1}.
     * @param maxMessageLength largest payload.
     * @param capacity         slots per subscriber, {@code >= 2}.
     */
    @SuppressWarnings("unchecked")
    public JctoolsFanOutChannel(final int subscribers, final int maxMessageLength, final int capacity)
    {
        if (subscribers < 1)
        {
            throw new IllegalArgumentException("subscribers " + subscribers + " must be >= 1");
        }
        if (capacity < 2)
        {
            throw new IllegalArgumentException("capacity " + capacity + " must be >= 2");
        }
        this.maxMessageLength = maxMessageLength;
        this.queues = new SpscArrayQueue[subscribers];
        this.freeLists = new SpscArrayQueue[subscribers];
        final FanOutSubscriber[] fanOutSubscribers = new FanOutSubscriber[subscribers];
        for (int i = 0; i < subscribers; i++)
        {
            queues[i] = new SpscArrayQueue<>(capacity);
            freeLists[i] = new SpscArrayQueue<>(capacity);
            for (int s = 0; s < capacity; s++)
            {
                freeLists[i].offer(new Slot(maxMessageLength));
            }
            fanOutSubscribers[i] = new FanOutSubscriber(i);
        }
        subscribers(fanOutSubscribers);
        this.publisher = new FanOutPublisher();
    }

    @Override
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    @Override
    public Publisher publisher()
    {
        return publisher;
    }

    @Override
    protected void onClose()
    {
        // Nothing to release: the queues and slots are plain heap objects.
    }

    private static final class Slot
    {
        final UnsafeBuffer buffer;
        int msgTypeId;
        int length;

        Slot(final int capacity)
        {
            buffer = new UnsafeBuffer(new byte[Math.max(capacity, 8)]);
        }
    }

    private final class FanOutPublisher implements Publisher, BufferClaim.ClaimCommitter
    {
        private final Slot[] claimed = new Slot[queues.length];
        private long position;

        private void checkLength(final int length)
        {
            if (length < 0 || length > maxMessageLength)
            {
                throw new IllegalArgumentException("length " + length + " not in [0, " + maxMessageLength + "]");
            }
        }

        private long takeSlots(final int msgTypeId, final int length)
        {
            if (isClosed())
            {
                return ChannelResult.CLOSED;
            }
            for (final SpscArrayQueue<Slot> free : freeLists)
            {
                if (null == free.peek())
                {
                    return ChannelResult.BACK_PRESSURED;
                }
            }
            for (int i = 0; i < claimed.length; i++)
            {
                final Slot slot = freeLists[i].poll();
                slot.msgTypeId = msgTypeId;
                slot.length = length;
                claimed[i] = slot;
            }
            return 0;
        }

        @Override
        public long offer(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
        {
            checkLength(length);
            final long result = takeSlots(msgTypeId, length);
            if (result < 0)
            {
                return result;
            }
            for (final Slot slot : claimed)
            {
                slot.buffer.putBytes(0, buffer, offset, length);
            }
            return publish();
        }

        @Override
        public long tryClaim(final int msgTypeId, final int length, final BufferClaim claim)
        {
            checkLength(length);
            final long result = takeSlots(msgTypeId, length);
            if (result < 0)
            {
                return result;
            }
            claim.wrap(claimed[0].buffer, 0, length, this, 0);
            return position + length;
        }

        @Override
        public void commit(final long token)
        {
            final Slot first = claimed[0];
            for (int i = 1; i < claimed.length; i++)
            {
                claimed[i].buffer.putBytes(0, first.buffer, 0, first.length);
            }
            publish();
        }

        @Override
        public void abort(final long token)
        {
            for (int i = 0; i < claimed.length; i++)
            {
                freeLists[i].offer(claimed[i]);
                claimed[i] = null;
            }
        }

        private long publish()
        {
            position += claimed[0].length;
            for (int i = 0; i < claimed.length; i++)
            {
                // Cannot fail: a slot came from this subscriber's free list, so its queue has room.
                queues[i].offer(claimed[i]);
                claimed[i] = null;
            }
            return position;
        }
    }

    final class FanOutSubscriber implements Subscriber
    {
        private final int index;

        FanOutSubscriber(final int index)
        {
            this.index = index;
        }

        @Override
        public int poll(final MessageHandler handler, final int limit)
        {
            final SpscArrayQueue<Slot> queue = queues[index];
            final SpscArrayQueue<Slot> free = freeLists[index];
            int count = 0;
            Slot slot;
            while (count < limit && null != (slot = queue.poll()))
            {
                count++;
                try
                {
                    handler.onMessage(slot.msgTypeId, slot.buffer, 0, slot.length);
                }
                finally
                {
                    free.offer(slot);
                }
            }
            return count;
        }

        @Override
        public int index()
        {
            return index;
        }
    }
}
