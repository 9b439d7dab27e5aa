package io.dominoes.core;

import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.core.codec.SmallCopy;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Events a replica's handlers emitted, waiting to be offered to the output channel between polls.
 *
 * <p><b>Why an outbox.</b> A replica that offered straight from a handler into the channel it reads
 * could deadlock: inside a poll its own cursor has not moved, so if the channel is full because of this
 * very replica, the offer is back-pressured forever. Handlers therefore only append here (never
 * blocking); the replica's loop offers the outbox between polls and, when back-pressured, keeps
 * polling, which moves its cursor and frees the space it waits for.
 *
 * <pre>
 *  record: | length (int32) | type (int32) | event header (16) | body | pad to 8 |
 * </pre>
 * Records are appended at the tail and offered from the head; when everything is sent both reset to 0,
 * and when the tail reaches the end the unsent records are moved to the front. Fixed capacity, no
 * allocation. Single-threaded: the owning replica only.
 */
final class Outbox
{
    private static final int RECORD_HEADER = 8;
    private final UnsafeBuffer buffer;
    private int head;
    private int tail;
    private long sent;

    Outbox(final int capacity)
    {
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
    }

    boolean isEmpty()
    {
        return head == tail;
    }

    int pendingBytes()
    {
        return tail - head;
    }

    long sent()
    {
        return sent;
    }

    void append(final int type, final long key, final DirectBuffer body, final int offset, final int length)
    {
        final int eventLength = EventDescriptor.HEADER_LENGTH + length;
        final int recordLength = BitUtil.align(RECORD_HEADER + eventLength, 8);
        if (tail + recordLength > buffer.capacity())
        {
            compact();
            if (tail + recordLength > buffer.capacity())
            {
                throw new IllegalStateException("outbox full: capacity=" + buffer.capacity() + " bytes, pending=" +
                    (tail - head) + ", emit of " + length + " bytes does not fit; the output is back-pressured for " +
                    "longer than the outbox can absorb (raise ReplicaGroup.Builder.outboxCapacity)");
            }
        }
        buffer.putInt(tail, eventLength);
        buffer.putInt(tail + 4, type);
        EventDescriptor.writeHeader(buffer, tail + RECORD_HEADER, key, EventDescriptor.FLAG_EMITTED);
        SmallCopy.copy(buffer, tail + RECORD_HEADER + EventDescriptor.HEADER_LENGTH, body, offset, length);
        tail += recordLength;
    }

    /**
     * Offer pending records in order until all are sent or the channel pushes back.
     *
     * @return records sent.
     * @throws IllegalStateException if the output channel is closed.
     */
    int drain(final Publisher publisher, final PublishGuard guard, final ReplicaCounters counters)
    {
        if (head == tail)
        {
            return 0;
        }
        final boolean turn = guard.tryEnter();
        // Turns between replicas only avoid one replica waiting on another's commit; they protect no data on a
        // multi-publisher channel. A turn holder that is descheduled (2 cores, more threads) can hold it for a
        // whole time slice, in which a busy replica fills its outbox (an "outbox full" failure was seen at ~9M
        // replies/s). So once half the outbox is pending, publish without the turn where that is safe.
        if (!turn && !(guard.turnIsOptional() && tail - head > buffer.capacity() / 2))
        {
            return 0;
        }
        int count = 0;
        try
        {
            while (head < tail)
            {
                final int eventLength = buffer.getInt(head);
                final long result = publisher.offer(buffer.getInt(head + 4), buffer, head + RECORD_HEADER, eventLength);
                if (result < 0)
                {
                    if (ChannelResult.isRetryable(result))
                    {
                        counters.increment(ReplicaCounters.BACK_PRESSURE);
                        break;
                    }
                    throw new IllegalStateException("output channel refused an emission: " + ChannelResult.describe(result));
                }
                head += BitUtil.align(RECORD_HEADER + eventLength, 8);
                count++;
            }
        }
        finally
        {
            if (turn)
            {
                guard.exit();
            }
        }
        sent += count;
        if (head == tail)
        {
            head = 0;
            tail = 0;
        }
        return count;
    }

    void clear()
    {
        head = 0;
        tail = 0;
    }

    private void compact()
    {
        if (head > 0)
        {
            buffer.putBytes(0, buffer, head, tail - head);
            tail -= head;
            head = 0;
        }
    }
}
