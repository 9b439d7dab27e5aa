package io.dominoes.channels;

/**
 * One subscriber's cursor over a {@link BroadcastChannel}. Used by one thread at a time.
 */
public interface Subscriber
{
    /**
     * Deliver up to {@code limit} available messages to the handler, in publication order. The
     * buffer passed to the handler is only valid during the callback.
     *
     * <p>If the handler throws, the message that threw counts as consumed, the cursor is advanced
     * over it, and the exception propagates to the caller.
     *
     * @param handler receives each message.
     * @param limit   maximum number of messages to deliver, {@code > 0}.
     * @return number of messages delivered (0 if none was available).
     */
    int poll(MessageHandler handler, int limit);

    /**
     * @return index of this subscriber within its channel.
     */
    int index();
}
