package io.dominoes.net.tcp;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Single-threaded byte ring over direct memory: a readable region of {@link #size()} bytes starting at the head,
 * and free space after it that may be written at any offset before it is committed (how out-of-order TCP data
 * waits in the receive buffer). Capacity is a power of two so positions wrap with a mask.
 */
public final class ByteRing
{
    private final UnsafeBuffer buffer;
    private final boolean storesBytes;
    private final int capacity;
    private final int mask;
    private long head;
    private int size;

    /**
     * @param capacity power of two, at least 16.
     */
    public ByteRing(final int capacity)
    {
        this(capacity, true);
    }

    /**
     * @param capacity    power of two, at least 16.
     * @param storesBytes false for a bookkeeping-only ring (positions and sizes, no memory): the bytes live
     *                    elsewhere, e.g. in a buffer shared by the replicas of a connection (DESIGN.md 4), and
     *                    {@link #writeAt}/{@link #readAt} fail.
     */
    public ByteRing(final int capacity, final boolean storesBytes)
    {
        if (capacity < 16 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two >= 16");
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.storesBytes = storesBytes;
        this.buffer = storesBytes ? new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity, 64)) : null;
    }

    /**
     * @return false for a bookkeeping-only ring.
     */
    public boolean storesBytes()
    {
        return storesBytes;
    }

    /**
     * @return bytes consumed since creation or {@link #clear()}: the stream position of the head.
     */
    public long headPosition()
    {
        return head;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return committed bytes from the head.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return bytes after the committed region.
     */
    public int free()
    {
        return capacity - size;
    }

    /**
     * Write bytes at {@code offset} from the head, possibly beyond the committed region (not committed).
     *
     * @param offset from the head; {@code offset + length <= capacity}.
     */
    public void writeAt(final int offset, final DirectBuffer src, final int srcOffset, final int length)
    {
        checkRange(offset, length);
        checkStoresBytes();
        final int start = (int)((head + offset) & mask);
        final int first = Math.min(length, capacity - start);
        buffer.putBytes(start, src, srcOffset, first);
        if (first < length)
        {
            buffer.putBytes(0, src, srcOffset + first, length - first);
        }
    }

    /**
     * Copy bytes at {@code offset} from the head out of the ring.
     *
     * @param offset from the head; {@code offset + length <= capacity}.
     */
    public void readAt(final int offset, final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        checkRange(offset, length);
        checkStoresBytes();
        final int start = (int)((head + offset) & mask);
        final int first = Math.min(length, capacity - start);
        dst.putBytes(dstOffset, buffer, start, first);
        if (first < length)
        {
            dst.putBytes(dstOffset + first, buffer, 0, length - first);
        }
    }

    /**
     * Append at the end of the committed region and commit.
     *
     * @return bytes appended, at most {@link #free()}.
     */
    public int append(final DirectBuffer src, final int srcOffset, final int length)
    {
        final int n = Math.min(length, free());
        writeAt(size, src, srcOffset, n);
        size += n;
        return n;
    }

    /**
     * Commit {@code length} bytes already written after the committed region.
     */
    public void commit(final int length)
    {
        if (length < 0 || length > free())
        {
            throw new IllegalArgumentException("commit length=" + length + " not in [0, free=" + free() + "]");
        }
        size += length;
    }

    /**
     * Drop {@code length} bytes from the head.
     */
    public void consume(final int length)
    {
        if (length < 0 || length > size)
        {
            throw new IllegalArgumentException("consume length=" + length + " not in [0, size=" + size + "]");
        }
        head += length;
        size -= length;
    }

    /**
     * Empty the ring.
     */
    public void clear()
    {
        head = 0;
        size = 0;
    }

    /**
     * Make this ring a copy of {@code other} (same capacity): positions and every byte.
     */
    public void copyFrom(final ByteRing other)
    {
        if (other.capacity != capacity)
        {
            throw new IllegalArgumentException("capacity=" + other.capacity + " differs from " + capacity);
        }
        if (other.storesBytes != storesBytes)
        {
            throw new IllegalArgumentException("storesBytes=" + other.storesBytes + " differs from " + storesBytes);
        }
        if (storesBytes)
        {
            buffer.putBytes(0, other.buffer, 0, capacity);
        }
        head = other.head;
        size = other.size;
    }

    /**
     * Fold {@code length} bytes from {@code offset} into a running 64-bit digest.
     */
    public long digest(final long seed, final int offset, final int length)
    {
        checkRange(offset, length);
        long h = seed;
        if (!storesBytes)
        {
            return (h ^ (head + offset) ^ ((long)length << 40)) * 0x100000001B3L;
        }
        for (int i = 0; i < length; i++)
        {
            h = (h ^ buffer.getByte((int)((head + offset + i) & mask))) * 0x100000001B3L;
        }
        return h;
    }

    private void checkStoresBytes()
    {
        if (!storesBytes)
        {
            throw new IllegalStateException("bookkeeping-only ring (capacity=" + capacity + ") holds no bytes");
        }
    }

    private void checkRange(final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > capacity - length)
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " length=" + length + " outside capacity=" + capacity);
        }
    }
}
