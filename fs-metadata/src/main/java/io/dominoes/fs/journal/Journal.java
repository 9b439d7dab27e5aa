package io.dominoes.fs.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The durable, totally ordered log of mutations, on Chronicle Queue: one appender (callers serialise
 * appends, the file system's sequencer does) and one {@link Reader} per replica, each reading every
 * record in append order. It is the replicas' broadcast channel and the recovery log at once: a
 * replica that starts from a snapshot seeks to the snapshot's index and replays the rest.
 *
 * <p>Used directly rather than through the channel SPI because recovery needs to seek a reader to
 * the index stored in a snapshot and to force records to disk per {@link SyncPolicy}; neither is part
 * of {@code BroadcastChannel}.
 */
public final class Journal implements AutoCloseable
{
    /** Longest record a reader accepts; matches the op record limit. */
    public static final int MAX_RECORD_LENGTH = io.dominoes.fs.ops.FsOpFlyweight.MAX_RECORD_LENGTH;

    /** Each document is the record followed by the CRC32C of the record, so damage is detected, not replayed. */
    public static final int TRAILER_LENGTH = 4;

    private static final int JOURNAL_INDEX_SPACING = 4096;

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final SyncPolicy syncPolicy;
    private final CRC32C crc = new CRC32C();

    /**
     * @param directory  of the queue files; created if missing.
     * @param syncPolicy when to force records to storage.
     */
    public Journal(final Path directory, final SyncPolicy syncPolicy)
    {
        this.syncPolicy = syncPolicy;
        // Index every 4096th record rather than every 64th: each append otherwise also writes index entries
        // through per-thread index holders, which a FUSE callback (a fresh Java thread each time, as jnr-ffi
        // attaches libfuse's worker threads per call) rebuilds at every append; measured 1.4-5.8 us -> 0.3 us
        // per fresh-thread append. Seeking (recovery's moveAfter) scans at most 4095 records further.
        this.queue = SingleChronicleQueueBuilder.binary(directory).indexSpacing(JOURNAL_INDEX_SPACING).build();
        this.appender = queue.createAppender();
        // Appends come from many client threads, serialised by the sequencer's lock.
        appender.singleThreadedCheckDisabled(true);
    }

    /**
     * Append one record. Not thread safe: the caller serialises appends.
     *
     * @param buffer holding the record, backed by a byte array.
     * @param offset of the record.
     * @param length of the record.
     * @return the record's journal index.
     */
    public long append(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (null == array)
        {
            throw new IllegalArgumentException("journal append needs a byte[] backed buffer");
        }
        final int at = (int)buffer.wrapAdjustment() + offset;
        crc.reset();
        crc.update(array, at, length);
        final int checksum = (int)crc.getValue();
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.write(array, at, length);
            bytes.writeInt(checksum);
        }
        if (syncPolicy == SyncPolicy.SYNC)
        {
            appender.sync();
        }
        return appender.lastIndexAppended();
    }

    /**
     * @return sync policy in force.
     */
    public SyncPolicy syncPolicy()
    {
        return syncPolicy;
    }

    /**
     * @return a new reader positioned at the start of the journal.
     */
    public Reader newReader()
    {
        return new Reader(queue.createTailer());
    }

    @Override
    public void close()
    {
        appender.close();
        queue.close();
    }

    /**
     * One replica's cursor. Used by one thread at a time.
     */
    public static final class Reader implements AutoCloseable
    {
        private final ExcerptTailer tailer;
        private final byte[] scratch = new byte[MAX_RECORD_LENGTH + TRAILER_LENGTH];
        private final UnsafeBuffer view = new UnsafeBuffer(scratch);
        private final CRC32C crc = new CRC32C();

        private long skippedRecords;

        /**
         * @return documents handed to {@link JournalRecordHandler#onDamaged} (bad length or checksum).
         */
        public long skippedRecords()
        {
            return skippedRecords;
        }

        Reader(final ExcerptTailer tailer)
        {
            this.tailer = tailer;
            // Created by the service thread, then handed to the replica thread (Thread.start orders it).
            tailer.singleThreadedCheckDisabled(true);
        }

        /**
         * Position after the record with this index (the last record a snapshot contains).
         *
         * @param index journal index of a record.
         * @return true if the record was found.
         */
        public boolean moveAfter(final long index)
        {
            if (!tailer.moveToIndex(index))
            {
                return false;
            }
            try (DocumentContext dc = tailer.readingDocument())
            {
                return dc.isPresent();
            }
        }

        /**
         * @param handler receives the records.
         * @param limit   most records to deliver.
         * @return records delivered.
         */
        public int poll(final JournalRecordHandler handler, final int limit)
        {
            int count = 0;
            while (count < limit)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long remaining = bytes.readRemaining();
                    if (remaining > MAX_RECORD_LENGTH + TRAILER_LENGTH || remaining < TRAILER_LENGTH)
                    {
                        // Not a document this service wrote: never let file bytes throw through the
                        // reader; tell the handler (recovery treats it as damage) and move on.
                        skippedRecords++;
                        count++;
                        handler.onDamaged(dc.index(), "document of " + remaining + " bytes, not in [" +
                            TRAILER_LENGTH + ", " + (MAX_RECORD_LENGTH + TRAILER_LENGTH) + "]");
                        continue;
                    }
                    // One copy out of the mapped file: a document may straddle mapping chunks.
                    bytes.read(scratch, 0, (int)remaining);
                    final int length = (int)remaining - TRAILER_LENGTH;
                    crc.reset();
                    crc.update(scratch, 0, length);
                    if ((int)crc.getValue() != view.getInt(length))
                    {
                        skippedRecords++;
                        count++;
                        handler.onDamaged(dc.index(), "CRC32C mismatch over a record of " + length + " bytes");
                        continue;
                    }
                    handler.onRecord(view, 0, length, dc.index());
                    count++;
                }
            }
            return count;
        }

        @Override
        public void close()
        {
            tailer.close();
        }
    }
}
