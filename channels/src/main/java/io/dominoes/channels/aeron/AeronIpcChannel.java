package io.dominoes.channels.aeron;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.concurrent.TimeUnit;

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
public final class AeronIpcChannel implements BroadcastChannel
{
    private final EmbeddedAeron embedded;
    private final Publication publication;
    private final AeronPublisher publisher;
    private final AeronSubscriber[] subscribers;
    private volatile boolean closed;

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
            subscribers = new AeronSubscriber[context.subscriberCount];
            for (int i = 0; i < subscribers.length; i++)
            {
                subscribers[i] = new AeronSubscriber(aeron.addSubscription(uri, context.streamId), i);
            }
            publication = context.concurrentPublisher ?
                aeron.addPublication(uri, context.streamId) :
                aeron.addExclusivePublication(uri, context.streamId);
            publisher = new AeronPublisher(publication, publication.maxPayloadLength());
            AeronConnect.awaitImages(publication, subscribers, context.connectTimeoutNs);
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
    public int subscriberCount()
    {
        return subscribers.length;
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
     * {@inheritDoc}
     */
    @Override
    public Subscriber subscriber(final int index)
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
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * @return the embedded driver's directory; it no longer exists once the channel is closed.
     */
    public File driverDirectory()
    {
        return embedded.directory();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        publisher.markClosed();
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

    /**
     * Configuration of an {@link AeronIpcChannel}.
     */
    public static final class Context
    {
        private int subscriberCount = 1;
        private int streamId = 1001;
        private int termLength = 1024 * 1024;
        private int mtu = 8192;
        private boolean concurrentPublisher = false;
        private long connectTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private AeronDriverSettings driverSettings = new AeronDriverSettings();

        /**
         * @param count subscribers, at least 1.
         * @return this.
         */
        public Context subscriberCount(final int count)
        {
            subscriberCount = count;
            return this;
        }

        /**
         * @param id Aeron stream id.
         * @return this.
         */
        public Context streamId(final int id)
        {
            streamId = id;
            return this;
        }

        /**
         * @param length term length, a power of two in 64 KiB..1 GiB (Aeron's rule); the publisher
         *               may run ahead of the slowest subscriber by half of it.
         * @return this.
         */
        public Context termLength(final int length)
        {
            termLength = length;
            return this;
        }

        /**
         * @param length frame length in bytes, a multiple of 32 in 32+32..65504; max message = mtu - 32.
         * @return this.
         */
        public Context mtu(final int length)
        {
            mtu = length;
            return this;
        }

        /**
         * @param concurrent true for a publisher that several threads may use at once (Aeron
         *                   ConcurrentPublication), false for one thread at a time (Exclusive).
         * @return this.
         */
        public Context concurrentPublisher(final boolean concurrent)
        {
            concurrentPublisher = concurrent;
            return this;
        }

        /**
         * @param timeoutNs how long the constructor waits for the subscriptions to join.
         * @return this.
         */
        public Context connectTimeoutNs(final long timeoutNs)
        {
            connectTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * @param settings of the embedded media driver.
         * @return this.
         */
        public Context driverSettings(final AeronDriverSettings settings)
        {
            driverSettings = settings;
            return this;
        }

        void conclude()
        {
            if (subscriberCount < 1)
            {
                throw new IllegalArgumentException("subscriberCount " + subscriberCount + " must be >= 1");
            }
            AeronConnect.checkFrameSizes(termLength, mtu);
            if (connectTimeoutNs <= 0)
            {
                throw new IllegalArgumentException("connectTimeoutNs " + connectTimeoutNs + " must be > 0");
            }
            if (null == driverSettings)
            {
                throw new IllegalArgumentException("driverSettings must not be null");
            }
        }
    }
}
