package io.dominoes.channels.ring;

/**
 * Layout of one record in a {@link BroadcastRing}. Records start on {@link #ALIGNMENT} boundaries;
 * a record never straddles the end of the ring: when one would, the publisher fills the rest of
 * the ring with a padding record and writes the message at index 0 of the next lap.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Length (signed)                        |
 *  +---------------------------------------------------------------+
 *  |                         Message Type                          |
 *  +---------------------------------------------------------------+
 *  |                        Payload                               ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |              zero to seven bytes to the next record           |
 *  +---------------------------------------------------------------+
 *
 *  Length &gt; 0: a message; Length = header + payload bytes (unaligned);
 *              the next record starts at align(Length, 8).
 *  Length &lt; 0: padding (the wrap filler, or an aborted claim) of -Length
 *              bytes, already aligned; subscribers skip it.
 *  Length = 0: never written by a publisher; a subscriber treats it as corruption.
 * </pre>
 *
 * The message type is the user's int, any value, so padding is marked by the sign of the length
 * rather than by a reserved type. Subscribers only read records below the published tail
 * ({@link RingDescriptor#TAIL_OFFSET}), so the header needs no commit flag of its own; see
 * {@link BroadcastRing} for the ordering argument.
 */
public final class RecordDescriptor
{
    /**
     * Offset of the signed length within a record.
     */
    public static final int LENGTH_OFFSET = 0;

    /**
     * Offset of the message type within a record.
     */
    public static final int TYPE_OFFSET = 4;

    /**
     * Length of the record header; the payload follows it.
     */
    public static final int HEADER_LENGTH = 8;

    /**
     * Every record starts on a multiple of this, so the header's ints and payload longs are aligned.
     */
    public static final int ALIGNMENT = 8;

    private RecordDescriptor()
    {
    }

    /**
     * @param recordIndex start of the record in the ring buffer.
     * @return offset of its length field.
     */
    public static int lengthOffset(final int recordIndex)
    {
        return recordIndex + LENGTH_OFFSET;
    }

    /**
     * @param recordIndex start of the record in the ring buffer.
     * @return offset of its type field.
     */
    public static int typeOffset(final int recordIndex)
    {
        return recordIndex + TYPE_OFFSET;
    }

    /**
     * @param recordIndex start of the record in the ring buffer.
     * @return offset of its payload.
     */
    public static int payloadOffset(final int recordIndex)
    {
        return recordIndex + HEADER_LENGTH;
    }

    /**
     * @param length of a record, header included.
     * @return the length rounded up to {@link #ALIGNMENT}.
     */
    public static int align(final int length)
    {
        return (length + (ALIGNMENT - 1)) & ~(ALIGNMENT - 1);
    }
}
