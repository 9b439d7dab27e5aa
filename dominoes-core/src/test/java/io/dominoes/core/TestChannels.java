package io.dominoes.core;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Subscriber;
import io.dominoes.channels.ring.BroadcastRing;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Channels and checks shared by the runtime tests. The runtime itself only sees the SPI; tests pick the
 * project's ring as the concrete channel.
 */
final class TestChannels
{
    private TestChannels()
    {
    }

    static ChannelFactory ring(final int capacity)
    {
        return subscribers -> BroadcastRing.builder().capacity(capacity).subscribers(subscribers).multiPublisher(true).build();
    }

    static BroadcastChannel output(final int capacity)
    {
        return BroadcastRing.builder().capacity(capacity).subscribers(1).multiPublisher(true).build();
    }

    static int drainAll(final Subscriber subscriber, final MessageHandler handler)
    {
        int total = 0;
        int n;
        while ((n = subscriber.poll(handler, 256)) > 0)
        {
            total += n;
        }
        return total;
    }

    static Set<String> liveThreads(final String prefix)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(n -> n.startsWith(prefix))
            .collect(Collectors.toSet());
    }
}
