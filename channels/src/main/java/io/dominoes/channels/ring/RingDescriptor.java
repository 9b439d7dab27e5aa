package io.dominoes.channels.ring;

/**
 * Layout of the trailer that follows the {@code capacity} bytes of records in a
 * {@link BroadcastRing} buffer. Every counter has two cache lines to itself (128 bytes: one line for
 * the counter, one more against the adjacent-line prefetcher), so the publisher's stores to the
 * tail and each subscriber's stores to its cursor never invalidate another party's line.
 *
 * <pre>
 *  capacity + 0                 +--------------------------------------+
 *                               | tail: committed position (long)      |  publisher release,
 *                               |   ... padding to 128 bytes           |  subscribers acquire
 *  capacity + 128               +--------------------------------------+
 *                               | claim tail (long, multi-publisher)   |  CAS by publishers
 *  capacity + 256               +--------------------------------------+
 *                               | head cache (long, multi-publisher)   |  min cursor last seen
 *  capacity + 384               +--------------------------------------+
 *                               | cursor of subscriber 0 (long)        |  subscriber 0 release,
 *                               |                                      |  publisher acquire
 *  capacity + 384 + 128 * i     +--------------------------------------+
 *                               | cursor of subscriber i (long)        |
 *  capacity + 384 + 128 * N     +--------------------------------------+
 *                               | metadata: magic, version, capacity,  |  written once by the
 *                               | subscriber count, flags (ints)       |  creator, magic last
 *  capacity + 512 + 128 * N     +--------------------------------------+
 * </pre>
 *
 * Positions are byte counts since the ring was created (64-bit, never wrap); a position's index in
 * the buffer is {@code position & (capacity - 1)}. The metadata sits at the very end of the file so
 * that a process attaching to a mapped ring finds it without knowing the capacity.
 */
public final class RingDescriptor
{
    /**
     * Bytes reserved for each counter: two cache lines.
     */
    public static final int COUNTER_SLOT_LENGTH = 128;

    /**
     * Offset, from the trailer start, of the committed tail: every record below it is complete.
     */
    public static final int TAIL_OFFSET = 0;

    /**
     * Offset, from the trailer start, of the claim tail (multi-publisher: next position to claim).
     */
    public static final int CLAIM_TAIL_OFFSET = COUNTER_SLOT_LENGTH;

    /**
     * Offset, from the trailer start, of the publishers' shared cache of the minimum cursor.
     */
    public static final int HEAD_CACHE_OFFSET = 2 * COUNTER_SLOT_LENGTH;

    /**
     * Offset, from the trailer start, of subscriber 0's cursor.
     */
    public static final int CURSORS_OFFSET = 3 * COUNTER_SLOT_LENGTH;

    /**
     * Length of the metadata block at the end of the trailer.
     */
    public static final int METADATA_LENGTH = COUNTER_SLOT_LENGTH;

    /**
     * Offsets within the metadata block.
     */
    public static final int MAGIC_OFFSET = 0;
    /**
     * Layout version within the metadata block.
     */
    public static final int VERSION_OFFSET = 4;
    /**
     * Capacity within the metadata block.
     */
    public static final int CAPACITY_OFFSET = 8;
    /**
     * Subscriber count within the metadata block.
     */
    public static final int SUBSCRIBER_COUNT_OFFSET = 12;
    /**
     * Flags within the metadata block.
     */
    public static final int FLAGS_OFFSET = 16;

    /**
     * "DOMR" in ASCII; written last by the creator, so an attacher that sees it sees the rest.
     */
    public static final int MAGIC = 0x444F4D52;

    /**
     * Version of this layout.
     */
    public static final int VERSION = 1;

    /**
     * Flag bit: the ring was built for several publishing threads.
     */
    public static final int FLAG_MULTI_PUBLISHER = 1;

    /**
     * Smallest capacity accepted: large enough that {@link #maxMessageLength(int)} is useful.
     */
    public static final int MIN_CAPACITY = 1024;

    /**
     * Largest capacity accepted (positions are masked into an int index).
     */
    public static final int MAX_CAPACITY = 1 << 30;

    /**
     * Most subscribers one ring may gate its publisher on (bounds the trailer and the min scan).
     */
    public static final int MAX_SUBSCRIBERS = 1024;

    private RingDescriptor()
    {
    }

    /**
     * @param subscriberCount of the ring.
     * @return length of the trailer in bytes.
     */
    public static int trailerLength(final int subscriberCount)
    {
        return CURSORS_OFFSET + subscriberCount * COUNTER_SLOT_LENGTH + METADATA_LENGTH;
    }

    /**
     * @param capacity of the ring.
     * @param subscriber index.
     * @return absolute offset of that subscriber's cursor in the buffer.
     */
    public static int cursorOffset(final int capacity, final int subscriber)
    {
        return capacity + CURSORS_OFFSET + subscriber * COUNTER_SLOT_LENGTH;
    }

    /**
     * The largest payload: one eighth of the ring less the header. A bound well below half the ring
     * guarantees a message plus the padding in front of it always fits into a drained ring.
     *
     * @param capacity of the ring.
     * @return the largest payload length.
     */
    public static int maxMessageLength(final int capacity)
    {
        return capacity / 8 - RecordDescriptor.HEADER_LENGTH;
    }

    /**
     * Fail fast on a capacity the ring cannot use.
     *
     * @param capacity requested.
     * @throws IllegalArgumentException naming the value and the limit.
     */
    public static void checkCapacity(final int capacity)
    {
        if (capacity < MIN_CAPACITY)
        {
            throw new IllegalArgumentException(
                "capacity " + capacity + " is less than the minimum " + MIN_CAPACITY);
        }
        if (capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException(
                "capacity " + capacity + " is greater than the maximum " + MAX_CAPACITY);
        }
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException(
                "capacity " + capacity + " must be a power of two (e.g. " + Integer.highestOneBit(capacity) + ")");
        }
    }

    /**
     * Fail fast on a subscriber count the ring cannot use.
     *
     * @param subscriberCount requested.
     * @throws IllegalArgumentException naming the value and the limit.
     */
    public static void checkSubscriberCount(final int subscriberCount)
    {
        if (subscriberCount < 1 || subscriberCount > MAX_SUBSCRIBERS)
        {
            throw new IllegalArgumentException(
                "subscriber count " + subscriberCount + " must be between 1 and " + MAX_SUBSCRIBERS);
        }
    }
}
