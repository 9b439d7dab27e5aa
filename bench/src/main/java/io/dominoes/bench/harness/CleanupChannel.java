package io.dominoes.bench.harness;

import io.dominoes.channels.BroadcastChannel;

/**
 * A channel that also removes what the benchmark created for it (e.g. a Chronicle Queue directory,
 * which the channel keeps on close because it is a durable log) when it is closed.
 */
final class CleanupChannel extends ForwardingChannel
{
    private final Runnable cleanup;

    CleanupChannel(final BroadcastChannel delegate, final Runnable cleanup)
    {
        super(delegate);
        this.cleanup = cleanup;
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
