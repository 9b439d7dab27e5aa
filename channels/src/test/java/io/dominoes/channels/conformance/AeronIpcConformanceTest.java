package io.dominoes.channels.conformance;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.aeron.AeronIpcChannel;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The conformance suite against {@link AeronIpcChannel}: each channel owns an embedded driver, whose
 * directory must be gone (and nothing under it still open or mapped) after close.
 */
class AeronIpcConformanceTest extends BroadcastChannelConformanceTest
{
    static final int TERM_LENGTH = 64 * 1024;

    private final List<File> driverDirectories = new ArrayList<>();

    protected BroadcastChannel newChannel(final int subscribers)
    {
        final AeronIpcChannel channel = new AeronIpcChannel(
            new AeronIpcChannel.Context().subscriberCount(subscribers).termLength(TERM_LENGTH));
        driverDirectories.add(channel.driverDirectory());
        return channel;
    }

    protected int approximateCapacityBytes()
    {
        return TERM_LENGTH / 2; // IPC publication window: half a term ahead of the slowest subscriber
    }

    protected void assertResourcesReleased()
    {
        for (final File dir : driverDirectories)
        {
            assertFalse(dir.exists(), "driver directory left after close: " + dir);
            assertEquals(List.of(), ProcessResources.heldUnder(dir), "still held under " + dir);
        }
    }
}
