package io.dominoes.channels.chronicle;

import io.dominoes.channels.AbstractBroadcastChannel;
import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.Publisher;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;

/**
 * {@link BroadcastChannel} over a Chronicle Queue directory: a durable broadcast log with one
 * {@link ExcerptAppender} (the publisher) and {@code N} named {@link ExcerptTailer}s (the subscribers).
 *
 * <p>Durability: excerpts and each named tailer's read index live in memory-mapped files. They
 * survive the process (a crash or a close, then reopen on the same directory): a tailer resumes after
 * its last consumed excerpt, and a tailer name never seen before replays from the first excerpt. With
 * the default {@link SyncMode#NONE} nothing is forced to disk, so an OS crash or power loss can lose
 * the newest excerpts (the kernel writes dirty pages back on its own schedule); set
 * {@link Context#syncMode(SyncMode)} to {@code SYNC} for msync on roll/close-level durability
 * as Chronicle defines it.
 *
 * <p>Back-pressure: Chronicle never refuses a write, so to keep "back-pressure, never loss" bounded
 * the publisher returns {@code BACK_PRESSURED} while the slowest tailer is {@link Context#maxLagMessages}
 * excerpts or {@link Context#maxLagBytes} bytes behind (lag counted from the backlog each tailer had
 * when the channel opened). Nothing is ever deleted by the channel.
 */
public final class ChronicleChannel extends AbstractBroadcastChannel<ChronicleTailerSubscriber>
{
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final ChronicleAppenderPublisher publisher;
    private final File directory;

    /**
     * Open (or create) the queue and its named tailers.
     *
     * @param context configuration, validated here.
     */
    public ChronicleChannel(final Context context)
    {
        context.conclude();
        directory = context.directory;
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(context.rollCycle)
            .syncMode(context.syncMode);
        if (context.blockSize > 0)
        {
            builder.blockSize(context.blockSize);
        }
        queue = builder.build();
        try
        {
            final long overlap = queue.overlapSize();
            if (context.maxMessageLength + ChronicleAppenderPublisher.TYPE_LENGTH > overlap)
            {
                throw new IllegalArgumentException("maxMessageLength " + context.maxMessageLength +
                    " + " + ChronicleAppenderPublisher.TYPE_LENGTH + " exceeds the queue's chunk overlap " + overlap +
                    " (blockSize " + queue.blockSize() + "); raise blockSize");
            }
            final ChronicleTailerSubscriber[] tailers = new ChronicleTailerSubscriber[context.subscriberCount];
            for (int i = 0; i < tailers.length; i++)
            {
                final String name = context.tailerName(i);
                final ExcerptTailer tailer = queue.createTailer(name);
                // The SPI lets a subscriber move between threads (one at a time, handed over with a
                // happens-before edge); Chronicle's own first-thread check would forbid that.
                tailer.singleThreadedCheckDisabled(true);
                final long[] backlog = backlog(tailer.index());
                tailers[i] = new ChronicleTailerSubscriber(tailer, name, i, backlog[0], backlog[1]);
            }
            subscribers(tailers);
            appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
            publisher = new ChronicleAppenderPublisher(
                appender, tailers, context.maxMessageLength, context.maxLagMessages, context.maxLagBytes);
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
    }

    /**
     * Count the excerpts (and their bytes) a tailer has not read yet, with a throwaway unnamed tailer,
     * so the lag limit is right from the first offer after a restart. O(backlog), once, at open.
     */
    private long[] backlog(final long fromIndex)
    {
        long messages = 0;
        long bytes = 0;
        final ExcerptTailer counter = queue.createTailer();
        try
        {
            if (0 == fromIndex || !counter.moveToIndex(fromIndex))
            {
                if (0 != fromIndex && fromIndex > queue.lastIndex())
                {
                    return new long[]{ 0, 0 };
                }
                counter.toStart();
            }
            while (true)
            {
                try (DocumentContext dc = counter.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    messages++;
                    bytes += dc.wire().bytes().readRemaining();
                }
            }
        }
        finally
        {
            counter.close();
        }
        return new long[]{ messages, bytes };
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int maxMessageLength()
    {
        return publisher.maxMessageLength();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Publisher publisher()
    {
        return publisher;
    }

    /**
     * @return the queue directory (kept on close: it is the durable log).
     */
    public File directory()
    {
        return directory;
    }

    /**
     * Close tailers, appender and queue (unmapping its files). The directory and its files stay:
     * they are the durable log that a reopened channel resumes from.
     */
    @Override
    protected void onClose()
    {
        final ChronicleTailerSubscriber[] tailers = subscribers();
        publisher.markClosed();
        for (final ChronicleTailerSubscriber t : tailers)
        {
            t.markClosed();
        }
        try
        {
            publisher.abortOpenClaim();
        }
        finally
        {
            for (final ChronicleTailerSubscriber t : tailers)
            {
                t.tailer().close();
            }
            appender.close();
            queue.close();
            // Chronicle hands unmapping and file closing to a background releaser thread; the channel
            // contract says close() releases mappings and files, so finish that work before returning
            // (the conformance suite checks /proc/self for leftovers right after close and saw them).
            BackgroundResourceReleaser.releasePendingResources();
        }
    }

    /**
     * Configuration of a {@link ChronicleChannel}.
     */
    public static final class Context
    {
        private File directory;
        private int subscriberCount = 1;
        private String[] tailerNames;
        private int maxMessageLength = 1024 * 1024;
        private long maxLagMessages = 1L << 20;
        private long maxLagBytes = 256L * 1024 * 1024;
        private long blockSize = 0;
        private RollCycle rollCycle = RollCycles.DEFAULT;
        private SyncMode syncMode = SyncMode.NONE;

        /**
         * @param dir queue directory (created if missing).
         * @return this.
         */
        public Context directory(final File dir)
        {
            directory = dir;
            return this;
        }

        /**
         * @param count subscribers (named tailers), at least 1.
         * @return this.
         */
        public Context subscriberCount(final int count)
        {
            subscriberCount = count;
            return this;
        }

        /**
         * @param names tailer names, one per subscriber, unique; default {@code subscriber-<index>}.
         *              A subscriber resumes where the tailer of the same name stopped.
         * @return this.
         */
        public Context tailerNames(final String... names)
        {
            tailerNames = names.clone();
            return this;
        }

        /**
         * @param length largest payload; must fit the queue's chunk overlap (blockSize / 4).
         * @return this.
         */
        public Context maxMessageLength(final int length)
        {
            maxMessageLength = length;
            return this;
        }

        /**
         * @param messages the publisher is refused while the slowest tailer is this many excerpts behind.
         * @return this.
         */
        public Context maxLagMessages(final long messages)
        {
            maxLagMessages = messages;
            return this;
        }

        /**
         * @param bytes the publisher is refused a message that would put the slowest tailer more than
         *              this many bytes (payload + 4-byte type per excerpt) behind; always admits one
         *              message when the tailers have caught up.
         * @return this.
         */
        public Context maxLagBytes(final long bytes)
        {
            maxLagBytes = bytes;
            return this;
        }

        /**
         * @param bytes Chronicle block (chunk) size; 0 for Chronicle's default.
         * @return this.
         */
        public Context blockSize(final long bytes)
        {
            blockSize = bytes;
            return this;
        }

        /**
         * @param cycle how often Chronicle starts a new file.
         * @return this.
         */
        public Context rollCycle(final RollCycle cycle)
        {
            rollCycle = cycle;
            return this;
        }

        /**
         * @param mode msync behaviour of the mapped files; default {@link SyncMode#NONE}.
         * @return this.
         */
        public Context syncMode(final SyncMode mode)
        {
            syncMode = mode;
            return this;
        }

        String tailerName(final int index)
        {
            return null != tailerNames ? tailerNames[index] : "subscriber-" + index;
        }

        void conclude()
        {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(rollCycle, "rollCycle");
            Objects.requireNonNull(syncMode, "syncMode");
            if (subscriberCount < 1)
            {
                throw new IllegalArgumentException("subscriberCount " + subscriberCount + " must be >= 1");
            }
            if (null != tailerNames)
            {
                if (tailerNames.length != subscriberCount)
                {
                    throw new IllegalArgumentException("tailerNames has " + tailerNames.length +
                        " names for subscriberCount " + subscriberCount);
                }
                if (new HashSet<>(Arrays.asList(tailerNames)).size() != tailerNames.length)
                {
                    throw new IllegalArgumentException("tailerNames must be unique: " + Arrays.toString(tailerNames));
                }
            }
            if (maxMessageLength < 0)
            {
                throw new IllegalArgumentException("maxMessageLength " + maxMessageLength + " must be >= 0");
            }
            if (maxLagMessages < 1 || maxLagBytes < 1)
            {
                throw new IllegalArgumentException(
                    "maxLagMessages " + maxLagMessages + " and maxLagBytes " + maxLagBytes + " must be >= 1");
            }
        }
    }
}
