package io.dominoes.bench.harness;

import io.dominoes.channels.BroadcastChannel;

/**
 * Builds one channel implementation for a harness: the only place the implementations differ.
 */
@FunctionalInterface
public interface ChannelFactory
{
    /**
     * @param subscribers      gating the publisher.
     * @param messageLength    largest payload the harness will publish.
     * @param capacityMessages about how many messages of that length the channel should buffer
     *                         (implementations round to their own units, e.g. a power-of-two byte
     *                         ring, an Aeron term).
     * @return a new channel.
     */
    BroadcastChannel create(int subscribers, int messageLength, int capacityMessages);
}
