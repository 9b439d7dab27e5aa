package io.dominoes.channels.conformance;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.chronicle.ChronicleChannel;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The conformance suite against {@link ChronicleChannel}, each channel on a fresh queue directory.
 * The queue files are the durable log and stay on disk after close; what close must release is every
 * open file and mapping of them.
 */
class ChronicleConformanceTest extends BroadcastChannelConformanceTest
{
    static final int MAX_LAG_BYTES = 64 * 1024;

    @TempDir
    Path tempDir;

    private final List<File> queueDirectories = new ArrayList<>();

    protected BroadcastChannel newChannel(final int subscribers)
    {
        final File dir = tempDir.resolve("queue-" + queueDirectories.size()).toFile();
        queueDirectories.add(dir);
        return new ChronicleChannel(new ChronicleChannel.Context()
            .directory(dir)
            .subscriberCount(subscribers)
            .maxLagBytes(MAX_LAG_BYTES));
    }

    protected int approximateCapacityBytes()
    {
        return MAX_LAG_BYTES;
    }

    protected void assertResourcesReleased()
    {
        for (final File dir : queueDirectories)
        {
            assertEquals(List.of(), ProcessResources.heldUnder(dir), "still held under " + dir);
        }
    }
}
