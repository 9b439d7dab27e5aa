package io.dominoes.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broadcast implementations the harnesses compare, by name. Every channel behind the SPI is
 * built by a {@link ChannelFactory} and run by the same {@link ChannelBroadcastHarness}; only the
 * Disruptor reference has its own harness (its native event-handler API).
 */
public final class BroadcastImplementations
{
    /**
     * Name of the reference implementation every result is compared with.
     */
    public static final String REFERENCE = "disruptor";

    /**
     * About how many messages every channel buffers, so no implementation wins by a bigger buffer.
     */
    public static final int CAPACITY_MESSAGES = 1024;

    private static final Map<String, ChannelFactory> CHANNELS = new LinkedHashMap<>();

    static
    {
        CHANNELS.put("jctools-fanout", JctoolsFanOutChannel::new);
    }

    private BroadcastImplementations()
    {
    }

    /**
     * @return every implementation name, channels first, the reference last.
     */
    public static List<String> names()
    {
        final List<String> names = new ArrayList<>(CHANNELS.keySet());
        names.add(REFERENCE);
        return Collections.unmodifiableList(names);
    }

    /**
     * @param name          implementation.
     * @param subscribers   number of subscribers, {@code >= 1}.
     * @param messageLength of every message.
     * @param wait          how waiting threads wait ({@link WaitMode#AUTO} resolved here).
     * @return a new, not yet started harness.
     * @throws IllegalArgumentException for an unknown name, naming it and the known ones.
     */
    public static BroadcastHarness create(final String name, final int subscribers, final int messageLength, final WaitMode wait)
    {
        final WaitMode mode = wait.resolve(subscribers);
        if (REFERENCE.equals(name))
        {
            return new DisruptorBroadcastHarness(subscribers, messageLength, CAPACITY_MESSAGES, mode);
        }
        final ChannelFactory factory = CHANNELS.get(name);
        if (null == factory)
        {
            throw new IllegalArgumentException("implementation '" + name + "' is not one of " + names());
        }
        return new ChannelBroadcastHarness(
            name, factory.create(subscribers, messageLength, CAPACITY_MESSAGES), messageLength, mode::newIdleStrategy);
    }
}
