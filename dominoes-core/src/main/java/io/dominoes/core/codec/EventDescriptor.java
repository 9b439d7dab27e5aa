package io.dominoes.core.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of the small header the runtime's publishers put in front of every event body. The channel
 * carries the event type as its {@code msgTypeId}; the header carries what the replicas need to agree
 * on ownership without looking at the body.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Partition key (int64, LE)                   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Flags (int32, LE)                         |
 *  +---------------------------------------------------------------+
 *  |                    Reserved, zero (int32)                     |
 *  +---------------------------------------------------------------+
 *  |                  Body (8-byte aligned) ...                   ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Tick events ({@link #TICK_TYPE}) carry the replicated time, int64 nanoseconds, as their body.
 */
public final class EventDescriptor
{
    /**
     * Offset of the partition key.
     */
    public static final int KEY_OFFSET = 0;

    /**
     * Offset of the flags word.
     */
    public static final int FLAGS_OFFSET = 8;

    /**
     * Offset of the reserved word.
     */
    public static final int RESERVED_OFFSET = 12;

    /**
     * Header length; bodies start here, 8-byte aligned.
     */
    public static final int HEADER_LENGTH = 16;

    /**
     * Flag: the event was emitted by a replica (from handler code) rather than published from outside.
     */
    public static final int FLAG_EMITTED = 1;

    /**
     * Event type of timer ticks. Types at or below {@link #MAX_RESERVED_TYPE} belong to the runtime.
     */
    public static final int TICK_TYPE = Integer.MIN_VALUE;

    /**
     * Largest reserved type; user types must be greater.
     */
    public static final int MAX_RESERVED_TYPE = Integer.MIN_VALUE + 255;

    /**
     * Length of a tick event (header plus the time).
     */
    public static final int TICK_LENGTH = HEADER_LENGTH + 8;

    private EventDescriptor()
    {
    }

    /**
     * @param buffer holding an event.
     * @param offset of the event (header start).
     * @return partition key.
     */
    public static long key(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + KEY_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param buffer holding an event.
     * @param offset of the event (header start).
     * @return flags word.
     */
    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Write a header.
     *
     * @param buffer to write into.
     * @param offset of the event (header start).
     * @param key    partition key.
     * @param flags  flags word.
     */
    public static void writeHeader(final MutableDirectBuffer buffer, final int offset, final long key, final int flags)
    {
        buffer.putLong(offset + KEY_OFFSET, key, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + FLAGS_OFFSET, flags, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + RESERVED_OFFSET, 0, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param type event type.
     * @return true if the runtime reserves this type.
     */
    public static boolean isReserved(final int type)
    {
        return type <= MAX_RESERVED_TYPE;
    }
}
