package io.dominoes.channels.ring;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.dominoes.channels.ring.RingDescriptor.CAPACITY_OFFSET;
import static io.dominoes.channels.ring.RingDescriptor.FLAGS_OFFSET;
import static io.dominoes.channels.ring.RingDescriptor.FLAG_MULTI_PUBLISHER;
import static io.dominoes.channels.ring.RingDescriptor.MAGIC;
import static io.dominoes.channels.ring.RingDescriptor.MAGIC_OFFSET;
import static io.dominoes.channels.ring.RingDescriptor.METADATA_LENGTH;
import static io.dominoes.channels.ring.RingDescriptor.SUBSCRIBER_COUNT_OFFSET;
import static io.dominoes.channels.ring.RingDescriptor.VERSION;
import static io.dominoes.channels.ring.RingDescriptor.VERSION_OFFSET;

/**
 * The project's broadcast FIFO ring: one buffer of {@code capacity} bytes of records
 * ({@link RecordDescriptor}) followed by a trailer of counters ({@link RingDescriptor}), in heap
 * memory, direct memory, or a memory-mapped file that other processes can {@link #attach}.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li>The publisher writes a record in place with plain stores, then releases the committed tail
 *       past it. Subscribers acquire the tail and read only records below it.</li>
 *   <li>Each subscriber reads a batch, then releases its cursor once (in {@code finally}). The
 *       publisher may write over space only below the minimum cursor plus capacity; it caches that
 *       minimum and acquires the cursors again only when the cache says the ring is full, returning
 *       {@link io.dominoes.channels.ChannelResult#BACK_PRESSURED} if it still is. Nothing is ever
 *       overwritten or dropped.</li>
 *   <li>A multi-publisher ring claims with a CAS on a separate claim tail and commits in claim
 *       order (see {@link ManyToManyRingPublisher} for why that rules out stale records).</li>
 * </ul>
 *
 * <h2>Threads and processes</h2>
 * A single-publisher ring is published to by one thread at a time (one process); a multi-publisher
 * ring by any number of threads and processes. Each subscriber index is used by one thread in one
 * process. {@link #close()} must not run while another thread is inside offer/tryClaim/poll of a
 * direct or mapped ring: it frees the memory those calls read.
 */
public final class BroadcastRing implements BroadcastChannel
{
    private final AtomicBuffer buffer;
    private final int capacity;
    private final int subscriberCount;
    private final boolean multiPublisher;
    private final MappedByteBuffer mappedBuffer;
    private final Path fileToDelete;
    private final RingPublisher publisher;
    private final RingSubscriber[] subscribers;
    private volatile boolean closed;

    private BroadcastRing(
        final AtomicBuffer buffer,
        final int capacity,
        final int subscriberCount,
        final boolean multiPublisher,
        final MappedByteBuffer mappedBuffer,
        final Path fileToDelete)
    {
        this.buffer = buffer;
        this.capacity = capacity;
        this.subscriberCount = subscriberCount;
        this.multiPublisher = multiPublisher;
        this.mappedBuffer = mappedBuffer;
        this.fileToDelete = fileToDelete;
        this.publisher = multiPublisher ? new ManyToManyRingPublisher(this) : new OneToManyRingPublisher(this);
        this.subscribers = new RingSubscriber[subscriberCount];
        for (int i = 0; i < subscriberCount; i++)
        {
            subscribers[i] = new RingSubscriber(this, i);
        }
    }

    /**
     * @return a builder for a new ring.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Map a ring file that another process created with {@link Builder#mappedFile(Path)}. The
     * returned ring shares the records and counters: use its {@link #subscriber(int)} k as that
     * subscriber (one process per index), or its {@link #publisher()} (a single-publisher ring:
     * only if no other process publishes). Closing it unmaps, never deletes the file.
     *
     * @param file created by another process.
     * @return a view of the shared ring.
     * @throws IllegalStateException if the file does not hold an initialised ring of this layout.
     */
    public static BroadcastRing attach(final Path file)
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file.toFile(), "broadcast ring");
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            final int length = buffer.capacity();
            if (length < METADATA_LENGTH + RingDescriptor.MIN_CAPACITY)
            {
                throw new IllegalStateException("file " + file + " of " + length + " bytes is too short for a ring");
            }
            final int metadata = length - METADATA_LENGTH;
            // Acquire pairs with the creator's release of the magic: it wrote every other field first.
            final int magic = buffer.getIntAcquire(metadata + MAGIC_OFFSET);
            final int version = buffer.getInt(metadata + VERSION_OFFSET);
            if (magic != MAGIC || version != VERSION)
            {
                throw new IllegalStateException("file " + file + " is not an initialised ring (magic " +
                    Integer.toHexString(magic) + ", version " + version + "; expected " +
                    Integer.toHexString(MAGIC) + ", " + VERSION + ")");
            }
            final int capacity = buffer.getInt(metadata + CAPACITY_OFFSET);
            final int subscriberCount = buffer.getInt(metadata + SUBSCRIBER_COUNT_OFFSET);
            RingDescriptor.checkCapacity(capacity);
            RingDescriptor.checkSubscriberCount(subscriberCount);
            if (length != capacity + RingDescriptor.trailerLength(subscriberCount))
            {
                throw new IllegalStateException("file " + file + " is " + length + " bytes, a ring of capacity " +
                    capacity + " and " + subscriberCount + " subscribers needs " +
                    (capacity + RingDescriptor.trailerLength(subscriberCount)));
            }
            buffer.verifyAlignment();
            final boolean multiPublisher = (buffer.getInt(metadata + FLAGS_OFFSET) & FLAG_MULTI_PUBLISHER) != 0;
            return new BroadcastRing(buffer, capacity, subscriberCount, multiPublisher, mapped, null);
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(mapped);
            throw ex;
        }
    }

    /**
     * {@inheritDoc}
     */
    public int maxMessageLength()
    {
        return RingDescriptor.maxMessageLength(capacity);
    }

    /**
     * {@inheritDoc}
     */
    public int subscriberCount()
    {
        return subscriberCount;
    }

    /**
     * {@inheritDoc}
     */
    public Publisher publisher()
    {
        return publisher;
    }

    /**
     * {@inheritDoc}
     */
    public Subscriber subscriber(final int index)
    {
        if (index < 0 || index >= subscriberCount)
        {
            throw new IllegalArgumentException(
                "subscriber index " + index + " is outside 0.." + (subscriberCount - 1));
        }
        return subscribers[index];
    }

    /**
     * {@inheritDoc}
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Unmaps a mapped ring and deletes its file if this instance created it with
     * {@link Builder#deleteFileOnClose(boolean)} left true. Heap and direct memory are left to the
     * garbage collector.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != mappedBuffer)
        {
            IoUtil.unmap(mappedBuffer);
        }
        if (null != fileToDelete)
        {
            IoUtil.deleteIfExists(fileToDelete.toFile());
        }
    }

    /**
     * @return bytes of record space.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return true if several threads may publish concurrently.
     */
    public boolean isMultiPublisher()
    {
        return multiPublisher;
    }

    AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "BroadcastRing{capacity=" + capacity + ", subscribers=" + subscriberCount +
            ", multiPublisher=" + multiPublisher + ", memory=" +
            (null != mappedBuffer ? "mapped" : buffer.byteArray() != null ? "heap" : "direct") + "}";
    }

    /**
     * Builds a new ring; validation happens in {@link #build()}, naming the bad value and its limit.
     */
    public static final class Builder
    {
        private enum Memory
        {
            HEAP, DIRECT, MAPPED_FILE
        }

        private int capacity = 1 << 16;
        private int subscribers = 1;
        private boolean multiPublisher;
        private Memory memory = Memory.HEAP;
        private Path file;
        private boolean deleteFileOnClose = true;

        private Builder()
        {
        }

        /**
         * @param capacity bytes of record space: a power of two, at least
         *                 {@link RingDescriptor#MIN_CAPACITY}. Default 64 KiB.
         * @return this.
         */
        public Builder capacity(final int capacity)
        {
            this.capacity = capacity;
            return this;
        }

        /**
         * @param subscribers that gate the publisher, fixed for the ring's life. Default 1.
         * @return this.
         */
        public Builder subscribers(final int subscribers)
        {
            this.subscribers = subscribers;
            return this;
        }

        /**
         * @param multiPublisher true to allow several threads to publish concurrently.
         * @return this.
         */
        public Builder multiPublisher(final boolean multiPublisher)
        {
            this.multiPublisher = multiPublisher;
            return this;
        }

        /**
         * Records live in a heap byte array (the default).
         *
         * @return this.
         */
        public Builder heap()
        {
            memory = Memory.HEAP;
            file = null;
            return this;
        }

        /**
         * Records live in direct memory, aligned to a cache-line pair.
         *
         * @return this.
         */
        public Builder direct()
        {
            memory = Memory.DIRECT;
            file = null;
            return this;
        }

        /**
         * Records live in a new memory-mapped file, which other processes can {@link #attach}. An
         * existing file at that path is replaced.
         *
         * @param file to create.
         * @return this.
         */
        public Builder mappedFile(final Path file)
        {
            memory = Memory.MAPPED_FILE;
            this.file = file;
            return this;
        }

        /**
         * @param deleteFileOnClose whether closing the creating ring deletes its mapped file (default
         *                          true; attached rings never delete).
         * @return this.
         */
        public Builder deleteFileOnClose(final boolean deleteFileOnClose)
        {
            this.deleteFileOnClose = deleteFileOnClose;
            return this;
        }

        /**
         * Validate the configuration, allocate (or create and map) the memory and initialise it.
         *
         * @return the new ring.
         * @throws IllegalArgumentException naming a bad value and its limit.
         */
        public BroadcastRing build()
        {
            RingDescriptor.checkCapacity(capacity);
            RingDescriptor.checkSubscriberCount(subscribers);
            final int length = capacity + RingDescriptor.trailerLength(subscribers);
            final UnsafeBuffer buffer;
            MappedByteBuffer mapped = null;
            switch (memory)
            {
                case DIRECT:
                    buffer = new UnsafeBuffer(
                        BufferUtil.allocateDirectAligned(length, RingDescriptor.COUNTER_SLOT_LENGTH));
                    break;
                case MAPPED_FILE:
                    mapped = mapNewFile(file, length);
                    buffer = new UnsafeBuffer(mapped);
                    break;
                default:
                    buffer = new UnsafeBuffer(new byte[length]);
                    break;
            }
            if (memory != Memory.HEAP)
            {
                buffer.verifyAlignment();
            }
            final int metadata = length - METADATA_LENGTH;
            buffer.putInt(metadata + VERSION_OFFSET, VERSION);
            buffer.putInt(metadata + CAPACITY_OFFSET, capacity);
            buffer.putInt(metadata + SUBSCRIBER_COUNT_OFFSET, subscribers);
            buffer.putInt(metadata + FLAGS_OFFSET, multiPublisher ? FLAG_MULTI_PUBLISHER : 0);
            // Release: a process that acquires the magic sees the fields above (see attach).
            buffer.putIntRelease(metadata + MAGIC_OFFSET, MAGIC);
            return new BroadcastRing(
                buffer,
                capacity,
                subscribers,
                multiPublisher,
                mapped,
                memory == Memory.MAPPED_FILE && deleteFileOnClose ? file : null);
        }

        private static MappedByteBuffer mapNewFile(final Path file, final int length)
        {
            if (null == file)
            {
                throw new IllegalArgumentException("mappedFile(path) needs a path, got null");
            }
            final File f = file.toFile();
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final java.io.IOException ex)
            {
                throw new IllegalStateException("cannot replace ring file " + file, ex);
            }
            // mapNewFile zero-fills: every counter starts at 0 and no stale bytes look like records.
            return IoUtil.mapNewFile(f, length);
        }
    }
}
