package io.dominoes.bench.harness;

/**
 * What the channel harness and the Disruptor harness share: the name, the subscriber threads and
 * their progress counters, and the publisher's message count. Only the publisher thread (the
 * benchmark thread) touches {@link #published}; subscriber threads must not read fields of this
 * object on their hot path, so the publisher's store per message never invalidates a line they read.
 */
abstract class AbstractBroadcastHarness implements BroadcastHarness
{
    private final String name;
    final SubscriberThreads subscribers;
    /**
     * Messages published so far; publisher thread only.
     */
    long published;

    /**
     * @param name        of the implementation.
     * @param subscribers number of subscriber threads.
     */
    AbstractBroadcastHarness(final String name, final int subscribers)
    {
        this.name = name;
        this.subscribers = new SubscriberThreads(name, subscribers);
    }

    /**
     * @param index of the subscriber.
     * @return what subscriber thread {@code index} runs; called once per thread, by {@link #start()}.
     */
    abstract Runnable subscriberBody(int index);

    @Override
    public final String name()
    {
        return name;
    }

    @Override
    public final void start()
    {
        subscribers.start(this::subscriberBody);
    }

    @Override
    public final long published()
    {
        return published;
    }

    @Override
    public final void awaitDelivered(final long timeoutNs)
    {
        subscribers.awaitDelivered(published, timeoutNs);
    }
}
