package io.dominoes.channels.aeron;

import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.LangUtil;

/**
 * {@link Subscriber} over one Aeron {@link Subscription} (which has exactly one image: the channel
 * has one publication). Messages are never fragmented (the channel limits them to one frame), so
 * each fragment is one message; its type is the low 32 bits of the frame's reserved value.
 *
 * <p>The controlled-poll handler is this object, reused for every poll (no allocation). A handler
 * exception stops the poll with {@code BREAK}, which still consumes that fragment (Aeron advances the
 * subscriber position over a fragment that returned BREAK), and is rethrown after the poll.
 */
final class AeronSubscriber implements Subscriber, ControlledFragmentHandler
{
    private final Subscription subscription;
    private final int index;
    private MessageHandler handler;
    private Throwable error;
    private int delivered;
    private volatile boolean closed;

    AeronSubscriber(final Subscription subscription, final int index)
    {
        this.subscription = subscription;
        this.index = index;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        if (limit <= 0)
        {
            throw new IllegalArgumentException("poll limit " + limit + " must be > 0");
        }
        if (closed)
        {
            return 0;
        }
        this.handler = handler;
        delivered = 0;
        try
        {
            subscription.controlledPoll(this, limit);
        }
        finally
        {
            this.handler = null;
        }
        final Throwable t = error;
        if (null != t)
        {
            error = null;
            LangUtil.rethrowUnchecked(t);
        }
        return delivered;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int index()
    {
        return index;
    }

    @Override
    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        delivered++;
        try
        {
            handler.onMessage((int)header.reservedValue(), buffer, offset, length);
        }
        catch (final Throwable t)
        {
            error = t;
            return Action.BREAK;
        }
        return Action.CONTINUE;
    }

    Subscription subscription()
    {
        return subscription;
    }

    /**
     * Later polls return 0 without touching the (closing) subscription.
     */
    void markClosed()
    {
        closed = true;
    }
}
