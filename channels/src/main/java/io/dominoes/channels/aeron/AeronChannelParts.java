package io.dominoes.channels.aeron;

import io.aeron.Aeron;
import io.aeron.Publication;
import org.agrona.CloseHelper;

/**
 * The Aeron objects one side of an Aeron channel owns, made and closed the same way by
 * {@link AeronIpcChannel} and {@link AeronUdpChannel}: the publication (exclusive or concurrent) and
 * its {@link AeronPublisher} adapter, one {@link AeronSubscriber} adapter per subscription, and the
 * embedded driver under them.
 */
final class AeronChannelParts
{
    private AeronChannelParts()
    {
    }

    /**
     * @param aeron      client of the embedded driver.
     * @param uri        of the publication.
     * @param streamId   of the publication.
     * @param concurrent true for a ConcurrentPublication, false for an ExclusivePublication.
     * @return the new publication.
     */
    static Publication addPublication(final Aeron aeron, final String uri, final int streamId, final boolean concurrent)
    {
        return concurrent ? aeron.addPublication(uri, streamId) : aeron.addExclusivePublication(uri, streamId);
    }

    /**
     * @param aeron    client of the embedded driver.
     * @param uri      of every subscription.
     * @param streamId of every subscription.
     * @param count    subscriptions to add.
     * @return one subscriber adapter per subscription, index {@code i} at {@code [i]}.
     */
    static AeronSubscriber[] addSubscribers(final Aeron aeron, final String uri, final int streamId, final int count)
    {
        final AeronSubscriber[] subscribers = new AeronSubscriber[count];
        for (int i = 0; i < count; i++)
        {
            subscribers[i] = new AeronSubscriber(aeron.addSubscription(uri, streamId), i);
        }
        return subscribers;
    }

    /**
     * Close in the one safe order: first mark the adapters closed (later offers return CLOSED and
     * polls return 0 without touching Aeron), then close subscriptions, publication and driver.
     *
     * @param publisher   adapter, or null on a receiving-only side.
     * @param publication or null on a receiving-only side.
     * @param subscribers adapters.
     * @param embedded    driver and client.
     */
    static void close(
        final AeronPublisher publisher,
        final Publication publication,
        final AeronSubscriber[] subscribers,
        final EmbeddedAeron embedded)
    {
        if (null != publisher)
        {
            publisher.markClosed();
        }
        for (final AeronSubscriber s : subscribers)
        {
            s.markClosed();
        }
        for (final AeronSubscriber s : subscribers)
        {
            CloseHelper.quietClose(s.subscription());
        }
        CloseHelper.quietClose(publication);
        embedded.close();
    }
}
