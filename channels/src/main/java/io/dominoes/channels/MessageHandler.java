package io.dominoes.channels;

import org.agrona.DirectBuffer;

/**
 * Callback for messages read from a {@link Subscriber}.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * @param msgTypeId type given by the publisher.
     * @param buffer    holding the payload; valid only during the call.
     * @param offset    of the payload.
     * @param length    of the payload.
     */
    void onMessage(int msgTypeId, DirectBuffer buffer, int offset, int length);
}
