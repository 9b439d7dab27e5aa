package io.dominoes.fs.service;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import io.dominoes.core.codec.EventDescriptor;
import org.agrona.DirectBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The replica group's output channel: instead of a broadcast ring drained by a dispatcher thread, each
 * REPLY the owner replica emits completes the caller's pooled {@link Request} directly (point to point),
 * which saves one thread hop per operation (a dispatcher thread would compete with the replicas for
 * the machine's cores). It has no subscribers; {@link Publisher#offer} is thread safe (each offer
 * touches only the request it names), so the group may use it as a multi-publisher output.
 *
 * <p>Ordering: the owner replica wrote the request's result fields before emitting; the outbox drain
 * that calls {@code offer} runs on the same thread, and {@link Request#complete} ends with a volatile
 * store (release) that the waiting caller loads (acquire).
 *
 * <p>Only {@code offer} is supported: the runtime's outbox offers, it never claims.
 */
final class ReplyChannel implements BroadcastChannel
{
    private static final int MAX_MESSAGE_LENGTH = EventDescriptor.HEADER_LENGTH + FsEvents.REPLY_LENGTH;

    private final Request[] requests;
    private final AtomicLong staleReplies = new AtomicLong();
    private volatile boolean closed;
    /** The pre-filled stream being run, if any: set before its events are published (then visible to replicas). */
    private volatile StreamReplies stream;

    /**
     * One per {@link #publisher()} call, so each replica (the group asks once per replica) counts its own
     * position: a position shared by all replicas was an atomic add on one cache line per reply, which the
     * replicas of a read-heavy stream passed back and forth between cores millions of times a second. Nothing
     * reads the position (replies have no subscribers); it is returned only because the SPI promises a
     * positive, increasing value. Atomic, as a handle may still be shared by threads (the SPI allows it);
     * used by one thread, that is an uncontended add on its own line.
     */
    private final class Handle implements Publisher
    {
        private final AtomicLong position = new AtomicLong();

        public long offer(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
        {
            final long result = deliver(msgTypeId, buffer, offset, length);
            return result < 0 ? result : position.addAndGet(length);
        }

        public long tryClaim(final int msgTypeId, final int length, final BufferClaim claim)
        {
            throw new UnsupportedOperationException("ReplyChannel delivers by offer only (the outbox never claims)");
        }
    }

    ReplyChannel(final Request[] requests)
    {
        this.requests = requests;
    }

    private long deliver(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0 || length > MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException("reply length=" + length + " not in [0, " + MAX_MESSAGE_LENGTH + "]");
        }
        if (closed)
        {
            return io.dominoes.channels.ChannelResult.CLOSED;
        }
        final int body = offset + EventDescriptor.HEADER_LENGTH;
        final StreamReplies streamReplies = stream;
        if (type == FsEvents.REPLY && length == MAX_MESSAGE_LENGTH)
        {
            final int slot = buffer.getInt(body);
            final long token = buffer.getLong(body + 8);
            final long result = buffer.getLong(body + 16);
            if (slot >= 0 && slot < requests.length && requests[slot].expectedSeq == token)
            {
                requests[slot].complete(token, result);
            }
            else if (slot < 0 && null != streamReplies && streamReplies.onReply(slot, token, result))
            {
                // counted by the stream
            }
            else
            {
                staleReplies.incrementAndGet();
            }
        }
        else
        {
            staleReplies.incrementAndGet();
        }
        return 0;
    }

    void stream(final StreamReplies replies)
    {
        stream = replies;
    }

    /**
     * @return replies that named no waiting request (a bug indicator; 0 in every test).
     */
    long staleReplies()
    {
        return staleReplies.get();
    }

    public int maxMessageLength()
    {
        return MAX_MESSAGE_LENGTH;
    }

    public int subscriberCount()
    {
        return 0;
    }

    /** @return a new handle (its own position; see {@link Handle}). */
    public Publisher publisher()
    {
        return new Handle();
    }

    public Subscriber subscriber(final int index)
    {
        throw new IllegalArgumentException("subscriber index=" + index + " not in [0, 0): replies go to their callers");
    }

    public boolean isClosed()
    {
        return closed;
    }

    public void close()
    {
        closed = true;
    }
}
