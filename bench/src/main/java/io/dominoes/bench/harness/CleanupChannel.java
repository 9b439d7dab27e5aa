package io.dominoes.bench.harness;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;

/**
 * A channel that also removes what the benchmark created for it (e.g. a Chronicle Queue directory,
 * which the channel keeps on close because it is a durable log) when it is closed.
 */
final class CleanupChannel implements BroadcastChannel
{
    private final BroadcastChannel delegate;
    private final Runnable cleanup;

    CleanupChannel(final BroadcastChannel delegate, final Runnable cleanup)
    {
        this.delegate = delegate;
        this.cleanup = cleanup;
    }

    @Override
    public int maxMessageLength()
    {
        return delegate.maxMessageLength();
    }

    @Override
    public int subscriberCount()
    {
        return delegate.subscriberCount();
    }

    @Override
    public Publisher publisher()
    {
        return delegate.publisher();
    }

    @Override
    public Subscriber subscriber(final int index)
    {
        return delegate.subscriber(index);
    }

    @Override
    public boolean isClosed()
    {
        return delegate.isClosed();
    }

    @Override
    public void close()
    {
        try
        {
            delegate.close();
        }
        finally
        {
            cleanup.run();
        }
    }
}
