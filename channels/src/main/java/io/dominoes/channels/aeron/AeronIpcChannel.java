package io.dominoes.channels.aeron;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.dominoes.channels.AbstractBroadcastChannel;
import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.Publisher;

import java.io.File;

/**
 * {@link BroadcastChannel} over Aeron IPC: one publication and {@code N} subscriptions on
 * {@code aeron:ipc}, all served by an embedded media driver that the channel owns.
 *
 * <p>Back-pressure: IPC subscriptions are tethered (Aeron's default), so the publication limit is
 * the slowest subscriber's position plus the publication window; beyond it Aeron returns
 * {@code BACK_PRESSURED} and nothing is lost. The constructor returns only when every subscription
 * has joined the publication's image, so no subscriber can miss the first message.
 *
 * <p>Limits: {@link #maxMessageLength()} is {@code mtu - 32} (one unfragmented frame, which is what
 * {@code tryClaim} allows); the type rides in the frame's reserved value, not in the payload.
 */
public final class AeronIpcChannel extends AbstractBroadcastChannel<AeronSubscriber>
{
    private final EmbeddedAeron embedded;
    private final Publication publication;
    private final AeronPublisher publisher;

    /**
     * Launch a driver and connect the publication and all subscriptions.
     *
     * @param context configuration, validated here.
     * @throws IllegalStateException if the subscriptions do not join within the connect timeout.
     */
    public AeronIpcChannel(final Context context)
    {
        context.conclude();
        embedded = new EmbeddedAeron(context.driverSettings);
        try
        {
            final Aeron aeron = embedded.aeron();
            final String uri = new ChannelUriStringBuilder()
                .media(CommonContext.IPC_MEDIA)
                .termLength(context.termLength)
                .mtu(context.mtu)
                .build();
            subscribers(AeronChannelParts.addSubscribers(aeron, uri, context.streamId, context.subscriberCount));
            publication = AeronChannelParts.addPublication(aeron, uri, context.streamId, context.concurrentPublisher);
            publisher = new AeronPublisher(publication, publication.maxPayloadLength());
            AeronConnect.awaitImages(publication, subscribers(), context.connectTimeoutNs);
        }
        catch (final RuntimeException ex)
        {
            embedded.close();
            throw ex;
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int maxMessageLength()
    {
        return publisher.maxMessageLength();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Publisher publisher()
    {
        return publisher;
    }

    /**
     * @return the embedded driver's directory; it no longer exists once the channel is closed.
     */
    public File driverDirectory()
    {
        return embedded.directory();
    }

    @Override
    protected void onClose()
    {
        AeronChannelParts.close(publisher, publication, subscribers(), embedded);
    }

    /**
     * Configuration of an {@link AeronIpcChannel}: {@link #subscriberCount(int)} at least 1, stream
     * 1001, mtu 8192, connect timeout 10 s by default.
     */
    public static final class Context extends AeronContext<Context>
    {
        /**
         * Defaults as listed on the class.
         */
        public Context()
        {
            super(1001, 8192, seconds(10));
        }

        void conclude()
        {
            if (subscriberCount < 1)
            {
                throw new IllegalArgumentException("subscriberCount " + subscriberCount + " must be >= 1");
            }
            concludeFrameAndTimeout();
            if (null == driverSettings)
            {
                throw new IllegalArgumentException("driverSettings must not be null");
            }
        }
    }
}
