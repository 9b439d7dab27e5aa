package io.dominoes.bench.harness;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;

/**
 * A channel that forwards every call to another one; subclasses override the calls they change
 * (a cleanup on close, a test's filtering subscriber).
 */
abstract class ForwardingChannel implements BroadcastChannel
{
    final BroadcastChannel delegate;

    ForwardingChannel(final BroadcastChannel delegate)
    {
        this.delegate = delegate;
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
        delegate.close();
    }
}
