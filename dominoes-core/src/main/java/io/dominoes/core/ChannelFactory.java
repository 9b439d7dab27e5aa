package io.dominoes.core;

import io.dominoes.channels.BroadcastChannel;

/**
 * Builds the group's input channel. The group asks for the subscriber count it needs (one cursor per
 * replica, two when verified types need a look-ahead cursor) and owns, and closes, what it gets.
 */
@FunctionalInterface
public interface ChannelFactory
{
    /**
     * @param subscriberCount the channel must be built with, {@code > 0}.
     * @return a new channel with exactly that many subscribers.
     */
    BroadcastChannel create(int subscriberCount);
}
