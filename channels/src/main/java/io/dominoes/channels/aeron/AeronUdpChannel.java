package io.dominoes.channels.aeron;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.dominoes.channels.AbstractBroadcastChannel;
import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.Publisher;

import java.io.File;
import java.util.List;
import java.util.Objects;

/**
 * {@link BroadcastChannel} over Aeron UDP without multicast: a dynamic multi-destination-cast (MDC)
 * publication on loopback (or any unicast address) with min flow control ({@code fc=min,g:/N}), so
 * the slowest receiver gates the sender and nothing is sent before all {@code N} receivers joined.
 *
 * <p>Roles. {@link #publishing(Context)} builds the publisher side: an embedded driver, the
 * publication listening for receivers on its control endpoint ({@link #controlEndpoint()}), and
 * {@link Context#subscriberCount(int)} local subscribers. {@link #subscribing(Context)} builds a
 * receiver in another process (or on another driver): it has local subscribers only, and
 * {@link #publisher()} fails fast. Each side owns its own embedded media driver.
 *
 * <p>Receivers and gating. Every subscriber binds its own receive endpoint (an ephemeral port by
 * default), so each one is a receiver to the sender's min flow control and the slowest gates it. The
 * publishing side's group is {@code subscriberCount + remoteReceivers}; until that many receivers
 * have joined the publisher gets {@code NOT_CONNECTED} and writes nothing, so no subscriber misses a
 * message. (Subscriptions sharing one endpoint would share one image and count as one receiver,
 * which breaks that group count; hence one endpoint each, at the cost of one datagram copy each.)
 * {@link #subscriberCount()} counts this side's subscribers only (those {@link #subscriber(int)}
 * hands out); the publisher is additionally gated by {@link Context#remoteReceivers(int)}.
 *
 * <p>Limits: {@link #maxMessageLength()} is {@code mtu - 32} (one frame; default mtu 1408, which fits
 * an Ethernet MTU when the same channel leaves loopback).
 */
public final class AeronUdpChannel extends AbstractBroadcastChannel<AeronSubscriber>
{
    private final EmbeddedAeron embedded;
    private final Publication publication;
    private final AeronPublisher publisher;
    private final String controlEndpoint;
    private final int maxMessageLength;

    /**
     * Build the publishing side. If {@link Context#remoteReceivers(int)} is 0 this returns once the
     * local subscribers have joined; otherwise call {@link #awaitConnected(long)} after starting the
     * remote receivers with {@link #controlEndpoint()}.
     *
     * @param context configuration; its control endpoint is where to listen ({@code host:0} picks a port).
     * @return the channel.
     */
    public static AeronUdpChannel publishing(final Context context)
    {
        return new AeronUdpChannel(context, true);
    }

    /**
     * Build a receiving side for a publisher at {@link Context#controlEndpoint(String)}. Call
     * {@link #awaitConnected(long)} to wait until data can flow.
     *
     * @param context configuration; control endpoint is the publisher's resolved one.
     * @return the channel.
     */
    public static AeronUdpChannel subscribing(final Context context)
    {
        return new AeronUdpChannel(context, false);
    }

    private AeronUdpChannel(final Context context, final boolean publishing)
    {
        context.conclude(publishing);
        embedded = new EmbeddedAeron(context.driverSettings);
        try
        {
            final Aeron aeron = embedded.aeron();
            if (publishing)
            {
                final int groupSize = context.subscriberCount + context.remoteReceivers;
                final String uri = new ChannelUriStringBuilder()
                    .media(CommonContext.UDP_MEDIA)
                    .controlEndpoint(context.controlEndpoint)
                    .controlMode(CommonContext.MDC_CONTROL_MODE_DYNAMIC)
                    .minFlowControl(groupSize, null)
                    .termLength(context.termLength)
                    .mtu(context.mtu)
                    .build();
                publication = AeronChannelParts.addPublication(aeron, uri, context.streamId, context.concurrentPublisher);
                final List<String> bound = publication.localSocketAddresses();
                if (bound.isEmpty())
                {
                    throw new IllegalStateException("publication has no bound control address: " + uri);
                }
                controlEndpoint = bound.get(0);
                maxMessageLength = publication.maxPayloadLength();
                publisher = new AeronPublisher(publication, maxMessageLength);
            }
            else
            {
                publication = null;
                publisher = null;
                controlEndpoint = context.controlEndpoint;
                maxMessageLength = context.mtu - io.aeron.protocol.DataHeaderFlyweight.HEADER_LENGTH;
            }

            // Each subscription binds its own receive endpoint (port 0 resolves to a fresh ephemeral
            // port per subscription), so every subscriber is its own receiver to min flow control.
            final String subscriptionUri = new ChannelUriStringBuilder()
                .media(CommonContext.UDP_MEDIA)
                .endpoint(context.receiveEndpoint)
                .controlEndpoint(controlEndpoint)
                .controlMode(CommonContext.MDC_CONTROL_MODE_DYNAMIC)
                .build();
            subscribers(AeronChannelParts.addSubscribers(
                aeron, subscriptionUri, context.streamId, context.subscriberCount));
            if (publishing && 0 == context.remoteReceivers)
            {
                AeronConnect.awaitImages(publication, subscribers(), context.connectTimeoutNs);
            }
        }
        catch (final RuntimeException ex)
        {
            embedded.close();
            throw ex;
        }
    }

    /**
     * Wait until data can flow: on the publishing side until all receivers joined the publication and
     * the local subscribers have images; on a receiving side until its subscribers have images.
     *
     * @param timeoutNs how long to wait.
     * @throws IllegalStateException on timeout.
     */
    public void awaitConnected(final long timeoutNs)
    {
        AeronConnect.awaitImages(publication, subscribers(), timeoutNs);
    }

    /**
     * @return the publication's control endpoint ({@code host:port}) that receivers connect to.
     */
    public String controlEndpoint()
    {
        return controlEndpoint;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the subscribers of this side; remote receivers are not counted.
     */
    @Override
    public int subscriberCount()
    {
        return super.subscriberCount();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException on a receiving-only side.
     */
    @Override
    public Publisher publisher()
    {
        if (null == publisher)
        {
            throw new IllegalStateException("receiving side of " + controlEndpoint + " has no publisher");
        }
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
     * Configuration of an {@link AeronUdpChannel}.
     */
    public static final class Context extends AeronContext<Context>
    {
        private int remoteReceivers = 0;
        private String controlEndpoint = "127.0.0.1:0";
        private String receiveEndpoint = "127.0.0.1:0";

        /**
         * Defaults: one local subscriber, no remote receivers, loopback endpoints with ephemeral
         * ports, stream 1002, mtu 1408, connect timeout 20 s. {@link #subscriberCount(int)}: publishing
         * side 0 or more, receiving side 1 or more.
         */
        public Context()
        {
            super(1002, 1408, seconds(20));
        }

        /**
         * @param count subscribers in other processes (each its own receiver) the publisher waits for
         *              and is gated by.
         * @return this.
         */
        public Context remoteReceivers(final int count)
        {
            remoteReceivers = count;
            return this;
        }

        /**
         * @param hostPort publishing side: where to listen ({@code 127.0.0.1:0} for any free port);
         *                 receiving side: the publisher's {@link AeronUdpChannel#controlEndpoint()}.
         * @return this.
         */
        public Context controlEndpoint(final String hostPort)
        {
            controlEndpoint = hostPort;
            return this;
        }

        /**
         * @param hostPort where this side's subscribers receive data, default {@code 127.0.0.1:0}; keep
         *                 port 0 with more than one subscriber (each needs its own port).
         * @return this.
         */
        public Context receiveEndpoint(final String hostPort)
        {
            receiveEndpoint = hostPort;
            return this;
        }

        void conclude(final boolean publishing)
        {
            Objects.requireNonNull(controlEndpoint, "controlEndpoint");
            Objects.requireNonNull(receiveEndpoint, "receiveEndpoint");
            Objects.requireNonNull(driverSettings, "driverSettings");
            if (subscriberCount < (publishing ? 0 : 1))
            {
                throw new IllegalArgumentException("subscriberCount " + subscriberCount + " must be >= " + (publishing ? 0 : 1));
            }
            if (remoteReceivers < 0 || (publishing && subscriberCount + remoteReceivers < 1))
            {
                throw new IllegalArgumentException("remoteReceivers " + remoteReceivers +
                    " with subscriberCount " + subscriberCount + ": the publisher needs at least one receiver");
            }
            if (!publishing && controlEndpoint.endsWith(":0"))
            {
                throw new IllegalArgumentException(
                    "receiving side needs the publisher's resolved controlEndpoint, not " + controlEndpoint);
            }
            concludeFrameAndTimeout();
        }
    }
}
