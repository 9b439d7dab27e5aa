package io.dominoes.channels;

/**
 * A broadcast FIFO channel: messages offered by the publisher side are delivered to <em>every</em>
 * subscriber, exactly once each, in publication order.
 *
 * <h2>Contract (every implementation, checked by the conformance suite)</h2>
 * <ul>
 *   <li><b>FIFO, exactly once, per subscriber.</b> Subscriber {@code i} sees the messages in the order
 *       their claims/offers were committed, each once, with the type and bytes that were written.</li>
 *   <li><b>Back-pressure, never loss.</b> When the slowest subscriber is a full channel behind, the
 *       publisher gets {@link ChannelResult#BACK_PRESSURED}; nothing is overwritten or dropped.</li>
 *   <li><b>Size limit.</b> A message longer than {@link #maxMessageLength()} is rejected with an
 *       {@link IllegalArgumentException} naming the length and the limit; nothing is written.</li>
 *   <li><b>Fixed subscriber set.</b> The subscribers exist from construction ({@link #subscriberCount()}),
 *       so the publisher knows whom it must wait for; {@link #subscriber(int)} hands out each one.
 *       A subscriber is used by one thread at a time.</li>
 *   <li><b>Close.</b> {@link #close()} releases threads, memory mappings, files and driver directories
 *       the channel owns; afterwards publishing returns {@link ChannelResult#CLOSED}.</li>
 * </ul>
 *
 * <p>Services see only this SPI, never a concrete channel class.
 */
public interface BroadcastChannel extends AutoCloseable
{
    /**
     * @return the largest payload, in bytes, that one message can carry.
     */
    int maxMessageLength();

    /**
     * @return number of subscribers the publisher is gated by.
     */
    int subscriberCount();

    /**
     * The publisher side. For a single-publisher channel only one thread may use it at a time; a
     * channel built as multi-publisher allows concurrent use from several threads.
     *
     * @return the channel's publisher.
     */
    Publisher publisher();

    /**
     * @param index of the subscriber, {@code 0 <= index < subscriberCount()}.
     * @return the subscriber with that index; the same instance on every call.
     * @throws IllegalArgumentException if the index is out of range.
     */
    Subscriber subscriber(int index);

    /**
     * @return true once {@link #close()} has been called.
     */
    boolean isClosed();

    /**
     * Release every resource the channel owns. Idempotent.
     */
    @Override
    void close();
}
