package io.dominoes.channels;

/**
 * The bookkeeping every adapter channel repeats: a fixed set of subscribers handed out by index,
 * the closed flag, and a close that runs once. Subclasses build their publisher and subscribers,
 * hand the subscribers over with {@link #subscribers(Subscriber[])} before the constructor returns,
 * and release what they own in {@link #onClose()}.
 *
 * @param <S> the subscriber type the subclass manages.
 */
public abstract class AbstractBroadcastChannel<S extends Subscriber> implements BroadcastChannel
{
    private S[] subscribers;
    private volatile boolean closed;

    /**
     * Set the subscriber set once, from the subclass constructor.
     *
     * @param subscribers one per index, {@code subscribers[i].index() == i}.
     */
    protected final void subscribers(final S[] subscribers)
    {
        if (null != this.subscribers)
        {
            throw new IllegalStateException("subscribers already set");
        }
        this.subscribers = subscribers;
    }

    /**
     * @return the subscriber set (not a copy: the subclass iterates it on close).
     */
    protected final S[] subscribers()
    {
        return subscribers;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int subscriberCount()
    {
        return subscribers.length;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public final Subscriber subscriber(final int index)
    {
        if (index < 0 || index >= subscribers.length)
        {
            throw new IllegalArgumentException("subscriber index " + index + " outside 0.." + (subscribers.length - 1));
        }
        return subscribers[index];
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public final boolean isClosed()
    {
        return closed;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sets the closed flag, then calls {@link #onClose()} once; later calls do nothing.
     */
    @Override
    public final synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        onClose();
    }

    /**
     * Release what the channel owns; called once, after {@link #isClosed()} became true.
     */
    protected abstract void onClose();
}
