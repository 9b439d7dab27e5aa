package io.dominoes.core;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One many-to-one ring per replica that carries the group's direct events (see
 * {@link HandlerRegistry#direct}) to their owner alone. Agrona's {@link ManyToOneRingBuffer}: any number of
 * publisher threads claim and commit records (a CAS on the tail, then a release store of the record length);
 * the owner replica is the only reader (it acquires the length before reading the record), so the ring needs
 * no other synchronisation.
 *
 * <p>Record: {@code | type int32 | pad int32 | key int64 | fence int64 | body |}, little-endian. The type lives
 * in the record rather than in the ring's message type id because user types may be negative and the ring
 * reserves ids below 1.
 */
final class DirectInputs
{
    static final int RING_MESSAGE_TYPE = 1;
    static final int TYPE_OFFSET = 0;
    static final int KEY_OFFSET = 8;
    static final int FENCE_OFFSET = 16;
    static final int HEADER_LENGTH = 24;

    private final ManyToOneRingBuffer[] rings;
    private final HandlerRegistry<?> registry;
    private final int maxBodyLength;

    /**
     * @param replicas  one ring each.
     * @param capacity  bytes of records per ring, a power of two >= 1024 (checked by the group's builder).
     * @param registry  the group's handlers (owners come from the direct types' partitioners).
     */
    DirectInputs(final int replicas, final int capacity, final HandlerRegistry<?> registry)
    {
        this.registry = registry;
        this.rings = new ManyToOneRingBuffer[replicas];
        for (int i = 0; i < replicas; i++)
        {
            rings[i] = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
        }
        this.maxBodyLength = rings[0].maxMsgLength() - HEADER_LENGTH;
    }

    ManyToOneRingBuffer ring(final int replica)
    {
        return rings[replica];
    }

    int maxBodyLength()
    {
        return maxBodyLength;
    }

    /**
     * @return the owner replica (>= 0) of the event, or {@code -1} when its ring is full (nothing written).
     * @throws IllegalArgumentException if the type has no direct handler or the body is too long.
     */
    int offer(final int type, final long key, final long fence, final DirectBuffer body, final int offset, final int length)
    {
        final HandlerRegistry.TypeBinding<?> b = registry.get(type);
        if (null == b || null == b.direct)
        {
            throw new IllegalArgumentException("type " + type + " has no direct handler: register it with " +
                "HandlerRegistry.direct, or publish it to the broadcast input");
        }
        if (length < 0 || length > maxBodyLength)
        {
            throw new IllegalArgumentException("direct body length=" + length + " not in [0, " + maxBodyLength +
                "]: raise the group's directInput capacity (a record may take 1/8 of it)");
        }
        final int owner = b.owner(key, rings.length);
        final ManyToOneRingBuffer ring = rings[owner];
        final int index = ring.tryClaim(RING_MESSAGE_TYPE, HEADER_LENGTH + length);
        if (index < 0)
        {
            return -1;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        try
        {
            buffer.putInt(index + TYPE_OFFSET, type, ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(index + TYPE_OFFSET + 4, 0, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(index + KEY_OFFSET, key, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(index + FENCE_OFFSET, fence, ByteOrder.LITTLE_ENDIAN);
            buffer.putBytes(index + HEADER_LENGTH, body, offset, length);
        }
        catch (final RuntimeException ex)
        {
            ring.abort(index); // a claimed record left uncommitted would stop the owner at it for good
            throw ex;
        }
        ring.commit(index); // release: the owner acquires the record length before it reads the record
        return owner;
    }
}
