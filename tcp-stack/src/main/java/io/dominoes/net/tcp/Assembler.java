package io.dominoes.net.tcp;

/**
 * Bookkeeping of out-of-order data held in the receive ring: up to {@code maxRanges} disjoint, non-adjacent
 * ranges {@code [start, end)} of offsets relative to RCV.NXT, kept sorted. The bytes themselves live in the
 * ring; the number of bytes is bounded by the receive buffer and the number of holes by {@code maxRanges},
 * so a peer cannot make reassembly use more memory than configured.
 */
public final class Assembler
{
    private final int[] starts;
    private final int[] ends;
    private int count;

    /**
     * @param maxRanges most disjoint out-of-order ranges held at once (at least 1).
     */
    public Assembler(final int maxRanges)
    {
        if (maxRanges < 1)
        {
            throw new IllegalArgumentException("maxRanges=" + maxRanges + " must be >= 1");
        }
        starts = new int[maxRanges];
        ends = new int[maxRanges];
    }

    /**
     * @return ranges currently held.
     */
    public int rangeCount()
    {
        return count;
    }

    /**
     * @return true when no out-of-order data is held.
     */
    public boolean isEmpty()
    {
        return 0 == count;
    }

    public int rangeStart(final int index)
    {
        return starts[index];
    }

    public int rangeEnd(final int index)
    {
        return ends[index];
    }

    /**
     * @return end offset of the last range, 0 when empty.
     */
    public int highestEnd()
    {
        return 0 == count ? 0 : ends[count - 1];
    }

    /**
     * Record out-of-order data at {@code [offset, offset + length)}, merging with ranges it touches.
     *
     * @param offset relative to RCV.NXT, &gt; 0.
     * @param length &gt; 0.
     * @return true if recorded, false when it would need a new range and all are in use (data dropped).
     */
    public boolean add(final int offset, final int length)
    {
        if (offset < 0 || length <= 0)
        {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length);
        }
        final int end = offset + length;
        int first = 0;
        while (first < count && ends[first] < offset)
        {
            first++;
        }
        int last = first;
        while (last < count && starts[last] <= end)
        {
            last++;
        }
        // ranges [first, last) touch or overlap the new one
        if (first == last)
        {
            if (count == starts.length)
            {
                return false;
            }
            System.arraycopy(starts, first, starts, first + 1, count - first);
            System.arraycopy(ends, first, ends, first + 1, count - first);
            starts[first] = offset;
            ends[first] = end;
            count++;
            return true;
        }
        final int mergedStart = Math.min(offset, starts[first]);
        final int mergedEnd = Math.max(end, ends[last - 1]);
        starts[first] = mergedStart;
        ends[first] = mergedEnd;
        final int removed = last - first - 1;
        if (removed > 0)
        {
            System.arraycopy(starts, last, starts, first + 1, count - last);
            System.arraycopy(ends, last, ends, first + 1, count - last);
            count -= removed;
        }
        return true;
    }

    /**
     * RCV.NXT advanced by {@code length} in-order bytes. Ranges now reached are removed and their bytes join
     * the in-order data.
     *
     * @param length in-order bytes just received.
     * @return extra contiguous bytes beyond {@code length} that were already held, to deliver as well.
     */
    public int advance(final int length)
    {
        int extra = 0;
        int removed = 0;
        while (removed < count && starts[removed] <= length)
        {
            extra = Math.max(extra, ends[removed] - length);
            removed++;
        }
        final int shift = length + extra;
        int j = 0;
        for (int i = removed; i < count; i++, j++)
        {
            starts[j] = starts[i] - shift;
            ends[j] = ends[i] - shift;
        }
        count = j;
        return extra;
    }

    /**
     * @param offset relative to RCV.NXT.
     * @return index of the range containing {@code offset}, or -1.
     */
    public int rangeContaining(final int offset)
    {
        for (int i = 0; i < count; i++)
        {
            if (starts[i] <= offset && offset < ends[i])
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Forget everything.
     */
    public void clear()
    {
        count = 0;
    }

    /**
     * Make this a copy of {@code other}.
     */
    public void copyFrom(final Assembler other)
    {
        if (other.starts.length != starts.length)
        {
            throw new IllegalArgumentException("maxRanges=" + other.starts.length + " differs from " + starts.length);
        }
        System.arraycopy(other.starts, 0, starts, 0, other.count);
        System.arraycopy(other.ends, 0, ends, 0, other.count);
        count = other.count;
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder("Assembler{");
        for (int i = 0; i < count; i++)
        {
            sb.append(i == 0 ? "" : ", ").append('[').append(starts[i]).append(',').append(ends[i]).append(')');
        }
        return sb.append('}').toString();
    }
}
