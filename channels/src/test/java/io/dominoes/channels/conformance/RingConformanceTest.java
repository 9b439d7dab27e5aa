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

    /**
     * A ring of {@link #CAPACITY} bytes; each variant picks its memory and publisher kind.
     */
    abstract class RingVariant extends BroadcastChannelConformanceTest
    {
        /**
         * @param builder with capacity and subscriber count set.
         * @return the builder, configured for this variant.
         */
        abstract BroadcastRing.Builder configure(BroadcastRing.Builder builder);

        protected BroadcastChannel newChannel(final int subscribers)
        {
            return configure(BroadcastRing.builder().capacity(CAPACITY).subscribers(subscribers)).build();
        }

        protected int approximateCapacityBytes()
        {
            return CAPACITY;
        }
    }

    /**
     * A ring in a fresh file per channel under a temporary directory; closing must delete the file.
     */
    abstract class MappedFileVariant extends RingVariant
    {
        @TempDir
        Path dir;
        private final String prefix;
        private int files;

        MappedFileVariant(final String prefix)
        {
            this.prefix = prefix;
        }

        BroadcastRing.Builder configure(final BroadcastRing.Builder builder)
        {
            return builder.mappedFile(dir.resolve(prefix + files++ + ".dat"));
        }

        protected void assertResourcesReleased()
        {
            for (int i = 0; i < files; i++)
            {
                assertFalse(Files.exists(dir.resolve(prefix + i + ".dat")), "ring file " + i + " left after close");
            }
        }
    }

    @Nested
    class HeapSinglePublisher extends RingVariant
    {
        BroadcastRing.Builder configure(final BroadcastRing.Builder builder)
        {
            return builder.heap();
        }
    }

    @Nested
    class DirectSinglePublisher extends RingVariant
    {
        BroadcastRing.Builder configure(final BroadcastRing.Builder builder)
        {
            return builder.direct();
        }
    }

    @Nested
    class MappedFileSinglePublisher extends MappedFileVariant
    {
        MappedFileSinglePublisher()
        {
            super("ring-");
        }
    }

    @Nested
    class HeapMultiPublisher extends RingVariant
    {
        BroadcastRing.Builder configure(final BroadcastRing.Builder builder)
        {
            return builder.multiPublisher(true);
        }
    }

    @Nested
    class MappedFileMultiPublisher extends MappedFileVariant
    {
        MappedFileMultiPublisher()
        {
            super("ring-mp-");
        }

        @Override
        BroadcastRing.Builder configure(final BroadcastRing.Builder builder)
        {
            return super.configure(builder.multiPublisher(true));
        }
    }
}
