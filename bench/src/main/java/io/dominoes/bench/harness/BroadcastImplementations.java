package io.dominoes.bench.harness;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.aeron.AeronIpcChannel;
import io.dominoes.channels.chronicle.ChronicleChannel;
import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.channels.ring.RecordDescriptor;
import org.agrona.BitUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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
        CHANNELS.put("ring", BroadcastImplementations::ring);
        CHANNELS.put("aeron-ipc", BroadcastImplementations::aeronIpc);
        CHANNELS.put("chronicle", BroadcastImplementations::chronicle);
        CHANNELS.put("jctools-fanout", JctoolsFanOutChannel::new);
    }

    private BroadcastImplementations()
    {
    }

    /**
     * The project's ring on heap memory (as the Disruptor's events are): room for at least
     * {@code capacity} records of header + payload, rounded up to a power of two bytes.
     */
    static BroadcastChannel ring(final int subscribers, final int messageLength, final int capacity)
    {
        final int record = BitUtil.align(RecordDescriptor.HEADER_LENGTH + messageLength, RecordDescriptor.ALIGNMENT);
        return BroadcastRing.builder()
            .capacity(BitUtil.findNextPositivePowerOfTwo(record * capacity))
            .subscribers(subscribers)
            .build();
    }

    /**
     * Aeron IPC with an embedded driver (the channel's default settings: shared-mode driver that
     * backs off when idle). The publisher may run half a term ahead, so the term holds twice
     * {@code capacity} frames (32-byte header each), at least Aeron's 64 KiB.
     */
    static BroadcastChannel aeronIpc(final int subscribers, final int messageLength, final int capacity)
    {
        final int frame = BitUtil.align(32 + messageLength, 32);
        final int term = Math.max(64 * 1024, BitUtil.findNextPositivePowerOfTwo(2 * frame * capacity));
        return new AeronIpcChannel(new AeronIpcChannel.Context()
            .subscriberCount(subscribers)
            .termLength(term)
            .mtu(Math.max(1408, BitUtil.align(32 + messageLength, 32))));
    }

    /**
     * Chronicle Queue in a fresh temporary directory (removed on close), the publisher held at most
     * {@code capacity} excerpts ahead of the slowest tailer.
     */
    static BroadcastChannel chronicle(final int subscribers, final int messageLength, final int capacity)
    {
        final Path dir;
        try
        {
            dir = Files.createTempDirectory("dominoes-bench-chronicle-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a Chronicle Queue directory", ex);
        }
        final ChronicleChannel channel = new ChronicleChannel(new ChronicleChannel.Context()
            .directory(dir.toFile())
            .subscriberCount(subscribers)
            .maxMessageLength(Math.max(1024, messageLength))
            .maxLagMessages(capacity));
        return new CleanupChannel(channel, () -> IoUtil.delete(dir.toFile(), true));
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
     * A harness over one of the SPI channels (not the Disruptor) whose threads wait with the given
     * idle strategy: used by the oversubscription benchmarks to compare replica idle strategies.
     *
     * @param name          channel implementation.
     * @param subscribers   number of subscribers, {@code >= 1}.
     * @param messageLength of every message.
     * @param idle          one instance per subscriber thread and one for the publisher.
     * @return a new, not yet started harness.
     */
    public static BroadcastHarness createChannelHarness(
        final String name, final int subscribers, final int messageLength, final Supplier<IdleStrategy> idle)
    {
        final ChannelFactory factory = CHANNELS.get(name);
        if (null == factory)
        {
            throw new IllegalArgumentException("channel '" + name + "' is not one of " + CHANNELS.keySet());
        }
        return new ChannelBroadcastHarness(name, factory.create(subscribers, messageLength, CAPACITY_MESSAGES), messageLength, idle);
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
