package io.dominoes.net.monitor;

/**
 * Open-addressing map from a TCP 4-tuple to a connection slot index, with primitive keys and no allocation after
 * construction. The key is direction-free: each endpoint is packed as {@code address << 16 | port} into a long
 * and the smaller one goes first, so both directions of a connection find the same entry. Linear probing with
 * backward-shift deletion (no tombstones, so probe lengths do not grow with churn).
 */
public final class ConnectionTable
{
    private static final int EMPTY = -1;

    private final long[] keyLow;
    private final long[] keyHigh;
    private final int[] values;
    private final int mask;
    private int size;

    /**
     * @param maxEntries most entries held; the table is sized to at most half full.
     */
    public ConnectionTable(final int maxEntries)
    {
        if (maxEntries < 1 || maxEntries > (1 << 28))
        {
            throw new IllegalArgumentException("maxEntries=" + maxEntries + " not in [1, 2^28]");
        }
        final int capacity = Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) << 1;
        keyLow = new long[capacity];
        keyHigh = new long[capacity];
        values = new int[capacity];
        java.util.Arrays.fill(values, EMPTY);
        mask = capacity - 1;
    }

    /**
     * @return the endpoint packed as a non-negative long.
     */
    public static long endpoint(final int address, final int port)
    {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    /**
     * @return the slot index for the connection between the two endpoints, or -1.
     */
    public int get(final long endpointA, final long endpointB)
    {
        final long lo = Math.min(endpointA, endpointB);
        final long hi = Math.max(endpointA, endpointB);
        int i = hash(lo, hi) & mask;
        while (values[i] != EMPTY)
        {
            if (keyLow[i] == lo && keyHigh[i] == hi)
            {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return EMPTY;
    }

    /**
     * Insert or replace.
     */
    public void put(final long endpointA, final long endpointB, final int value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("value=" + value + " must be >= 0");
        }
        final long lo = Math.min(endpointA, endpointB);
        final long hi = Math.max(endpointA, endpointB);
        int i = hash(lo, hi) & mask;
        while (values[i] != EMPTY)
        {
            if (keyLow[i] == lo && keyHigh[i] == hi)
            {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        if (size == (mask + 1) >>> 1)
        {
            throw new IllegalStateException("table full: size=" + size);
        }
        keyLow[i] = lo;
        keyHigh[i] = hi;
        values[i] = value;
        size++;
    }

    /**
     * @return the removed value, or -1 if absent.
     */
    public int remove(final long endpointA, final long endpointB)
    {
        final long lo = Math.min(endpointA, endpointB);
        final long hi = Math.max(endpointA, endpointB);
        int i = hash(lo, hi) & mask;
        while (values[i] != EMPTY)
        {
            if (keyLow[i] == lo && keyHigh[i] == hi)
            {
                final int removed = values[i];
                values[i] = EMPTY;
                size--;
                shiftBack(i);
                return removed;
            }
            i = (i + 1) & mask;
        }
        return EMPTY;
    }

    private void shiftBack(final int removedAt)
    {
        int hole = removedAt;
        int i = (hole + 1) & mask;
        while (values[i] != EMPTY)
        {
            final int home = hash(keyLow[i], keyHigh[i]) & mask;
            // move entry i into the hole unless its home lies cyclically in (hole, i]
            final boolean stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!stays)
            {
                keyLow[hole] = keyLow[i];
                keyHigh[hole] = keyHigh[i];
                values[hole] = values[i];
                values[i] = EMPTY;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    public int size()
    {
        return size;
    }

    private static int hash(final long lo, final long hi)
    {
        long h = lo * 0x9E3779B97F4A7C15L + hi;
        h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L;
        return (int)(h ^ (h >>> 32));
    }
}
