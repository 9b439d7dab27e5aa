package io.dominoes.channels.conformance;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.ring.BroadcastRing;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The conformance suite against the project's own ring, in every memory and publisher variant.
 */
class RingConformanceTest
{
    static final int CAPACITY = 64 * 1024;

    @Nested
    class HeapSinglePublisher extends BroadcastChannelConformanceTest
    {
        protected BroadcastChannel newChannel(final int subscribers)
        {
            return BroadcastRing.builder().capacity(CAPACITY).subscribers(subscribers).heap().build();
        }

        protected int approximateCapacityBytes()
        {
            return CAPACITY;
        }
    }

    @Nested
    class DirectSinglePublisher extends BroadcastChannelConformanceTest
    {
        protected BroadcastChannel newChannel(final int subscribers)
        {
            return BroadcastRing.builder().capacity(CAPACITY).subscribers(subscribers).direct().build();
        }

        protected int approximateCapacityBytes()
        {
            return CAPACITY;
        }
    }

    @Nested
    class MappedFileSinglePublisher extends BroadcastChannelConformanceTest
    {
        @TempDir
        Path dir;
        private int files;

        protected BroadcastChannel newChannel(final int subscribers)
        {
            return BroadcastRing.builder()
                .capacity(CAPACITY)
                .subscribers(subscribers)
                .mappedFile(dir.resolve("ring-" + files++ + ".dat"))
                .build();
        }

        protected int approximateCapacityBytes()
        {
            return CAPACITY;
        }

        protected void assertResourcesReleased()
        {
            for (int i = 0; i < files; i++)
            {
                assertFalse(Files.exists(dir.resolve("ring-" + i + ".dat")), "ring file " + i + " left after close");
            }
        }
    }

    @Nested
    class HeapMultiPublisher extends BroadcastChannelConformanceTest
    {
        protected BroadcastChannel newChannel(final int subscribers)
        {
            return BroadcastRing.builder().capacity(CAPACITY).subscribers(subscribers).multiPublisher(true).build();
        }

        protected int approximateCapacityBytes()
        {
            return CAPACITY;
        }
    }

    @Nested
    class MappedFileMultiPublisher extends BroadcastChannelConformanceTest
    {
        @TempDir
        Path dir;
        private int files;

        protected BroadcastChannel newChannel(final int subscribers)
        {
            return BroadcastRing.builder()
                .capacity(CAPACITY)
                .subscribers(subscribers)
                .multiPublisher(true)
                .mappedFile(dir.resolve("ring-mp-" + files++ + ".dat"))
                .build();
        }

        protected int approximateCapacityBytes()
        {
            return CAPACITY;
        }

        protected void assertResourcesReleased()
        {
            for (int i = 0; i < files; i++)
            {
                assertFalse(Files.exists(dir.resolve("ring-mp-" + i + ".dat")), "ring file " + i + " left after close");
            }
        }
    }
}
