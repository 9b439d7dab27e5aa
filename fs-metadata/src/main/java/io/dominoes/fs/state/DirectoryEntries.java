package io.dominoes.fs.state;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One directory's entries: name bytes to child inode number, an open-addressing table (linear probing,
 * backward-shift deletion, no tombstones) keyed by the raw name bytes. A lookup hashes the bytes where they
 * lie (an op record in a channel buffer, or a String's ISO-8859-1 chars) and compares bytes only on a hash
 * match, so looking a name up allocates nothing; inserting a name copies its bytes once.
 *
 * <p>The hash is {@link String#hashCode()} of the name as ISO-8859-1 chars ({@code h = 31 h + b}), so
 * {@link FsState#metadataDigest()} is the same function of the namespace as when names were Strings. The
 * table's layout, and so the iteration order that readdir shows, is a function of the sequence of puts and
 * removes only (no identity hashes): replicas that applied the same ops iterate in the same order.
 *
 * <p>Not thread safe for writers; concurrent readers are safe while no writer runs (the owner's lock).
 */
final class DirectoryEntries
{
    private static final int INITIAL_CAPACITY = 8;

    private int[] hashes = new int[INITIAL_CAPACITY];
    private byte[][] names = new byte[INITIAL_CAPACITY][];
    private long[] inos = new long[INITIAL_CAPACITY];
    private int size;
    private int resizeAt = threshold(INITIAL_CAPACITY);

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    /**
     * @return number of slots; iterate {@code 0 .. capacity()-1} with {@link #nameAt} and {@link #inoAt}.
     */
    int capacity()
    {
        return names.length;
    }

    /**
     * @param slot in {@code [0, capacity())}.
     * @return the name in that slot (owned by the table: do not modify), or null if the slot is empty.
     */
    byte[] nameAt(final int slot)
    {
        return names[slot];
    }

    /**
     * @param slot a slot whose {@link #nameAt} is not null.
     * @return the child inode of that slot.
     */
    long inoAt(final int slot)
    {
        return inos[slot];
    }

    /**
     * @param slot a slot whose {@link #nameAt} is not null.
     * @return the name hash of that slot ({@link String#hashCode()} of the ISO-8859-1 name).
     */
    int hashAt(final int slot)
    {
        return hashes[slot];
    }

    /**
     * @return the child inode, or {@link Inode#NO_ENTRY}.
     */
    long get(final DirectBuffer buffer, final int offset, final int length)
    {
        return get(buffer, offset, length, hash(buffer, offset, length));
    }

    /**
     * @param h {@link #hash} of the name, for a mutation that probes the same name more than once.
     * @return the child inode, or {@link Inode#NO_ENTRY}.
     */
    long get(final DirectBuffer buffer, final int offset, final int length, final int h)
    {
        final int slot = find(buffer, offset, length, h);
        return slot < 0 ? Inode.NO_ENTRY : inos[slot];
    }

    /**
     * Insert a name the caller has just found absent (no second probe); copies the name bytes into an array
     * from {@code pool}.
     *
     * @param h {@link #hash} of the name.
     */
    void putAbsent(final DirectBuffer buffer, final int offset, final int length, final int h, final long ino,
        final NamePool pool)
    {
        insert(h, pool.copyOf(buffer, offset, length), ino);
    }

    /**
     * @param name the name as ISO-8859-1 chars (each char {@code <= 0xFF}, checked by the caller).
     * @return the child inode, or {@link Inode#NO_ENTRY}.
     */
    long get(final String name)
    {
        final int h = name.hashCode(); // equals hash(bytes) for ISO-8859-1 chars, and is cached by String
        final int mask = names.length - 1;
        for (int i = index(h, mask); ; i = (i + 1) & mask)
        {
            final byte[] candidate = names[i];
            if (null == candidate)
            {
                return Inode.NO_ENTRY;
            }
            if (hashes[i] == h && equals(candidate, name))
            {
                return inos[i];
            }
        }
    }

    /**
     * Insert or replace; copies the name bytes when it inserts.
     */
    void put(final DirectBuffer buffer, final int offset, final int length, final long ino)
    {
        final int h = hash(buffer, offset, length);
        final int slot = find(buffer, offset, length, h);
        if (slot >= 0)
        {
            inos[slot] = ino;
            return;
        }
        final byte[] name = new byte[length];
        buffer.getBytes(offset, name, 0, length);
        insert(h, name, ino);
    }

    /**
     * Insert or replace (snapshot restore, not a hot path): the table keeps {@code name} when it inserts.
     */
    void put(final byte[] name, final long ino)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(name);
        final int h = hash(buffer, 0, name.length);
        final int slot = find(buffer, 0, name.length, h);
        if (slot >= 0)
        {
            inos[slot] = ino;
            return;
        }
        insert(h, name, ino);
    }

    /**
     * @return the removed child inode, or {@link Inode#NO_ENTRY} if the name was not present.
     */
    long remove(final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = find(buffer, offset, length, hash(buffer, offset, length));
        if (slot < 0)
        {
            return Inode.NO_ENTRY;
        }
        final long ino = inos[slot];
        deleteSlot(slot);
        return ino;
    }

    /**
     * @param h {@link #hash} of the name.
     * @return the slot holding the name ({@link #inoAt} gives its inode), or -1: for a mutation that removes
     * the entry it just found ({@link #removeSlot}) without a second probe.
     */
    int slotOf(final DirectBuffer buffer, final int offset, final int length, final int h)
    {
        return find(buffer, offset, length, h);
    }

    /**
     * Remove the entry in {@code slot}, which {@link #slotOf} returned with no change to this table since (a
     * removal shifts other entries' slots).
     *
     * @param pool takes the removed name array back.
     */
    void removeSlot(final int slot, final NamePool pool)
    {
        final byte[] name = names[slot];
        deleteSlot(slot);
        pool.recycle(name); // after the delete: the table no longer refers to it
    }

    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int h = 0;
        for (int i = 0; i < length; i++)
        {
            h = 31 * h + (buffer.getByte(offset + i) & 0xFF);
        }
        return h;
    }

    private int find(final DirectBuffer buffer, final int offset, final int length, final int h)
    {
        final int mask = names.length - 1;
        for (int i = index(h, mask); ; i = (i + 1) & mask)
        {
            final byte[] candidate = names[i];
            if (null == candidate)
            {
                return -1;
            }
            if (hashes[i] == h && equals(candidate, buffer, offset, length))
            {
                return i;
            }
        }
    }

    private void insert(final int h, final byte[] name, final long ino)
    {
        if (size >= resizeAt)
        {
            grow();
        }
        final int mask = names.length - 1;
        int i = index(h, mask);
        while (null != names[i])
        {
            i = (i + 1) & mask;
        }
        hashes[i] = h;
        names[i] = name;
        inos[i] = ino;
        size++;
    }

    /** Backward-shift deletion: move later members of the probe run into the hole, so no tombstones remain. */
    private void deleteSlot(final int slot)
    {
        final int mask = names.length - 1;
        int hole = slot;
        int i = (slot + 1) & mask;
        while (null != names[i])
        {
            final int home = index(hashes[i], mask);
            // Move entry i into the hole unless its home lies cyclically in (hole, i].
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                hashes[hole] = hashes[i];
                names[hole] = names[i];
                inos[hole] = inos[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        names[hole] = null;
        inos[hole] = Inode.NO_ENTRY;
        hashes[hole] = 0;
        size--;
    }

    private void grow()
    {
        final int[] oldHashes = hashes;
        final byte[][] oldNames = names;
        final long[] oldInos = inos;
        final int capacity = oldNames.length * 2;
        hashes = new int[capacity];
        names = new byte[capacity][];
        inos = new long[capacity];
        resizeAt = threshold(capacity);
        final int mask = capacity - 1;
        for (int s = 0; s < oldNames.length; s++)
        {
            if (null != oldNames[s])
            {
                int i = index(oldHashes[s], mask);
                while (null != names[i])
                {
                    i = (i + 1) & mask;
                }
                hashes[i] = oldHashes[s];
                names[i] = oldNames[s];
                inos[i] = oldInos[s];
            }
        }
    }

    private static int threshold(final int capacity)
    {
        return capacity - (capacity >> 2) - (capacity >> 3); // load factor 0.625
    }

    private static int index(final int h, final int mask)
    {
        final int x = h * 0x9E3779B9; // spread String-style hashes of similar names over the table
        return (x ^ (x >>> 16)) & mask;
    }

    private static boolean equals(final byte[] name, final DirectBuffer buffer, final int offset, final int length)
    {
        if (name.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (name[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean equals(final byte[] name, final String chars)
    {
        final int length = name.length;
        if (chars.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if ((name[i] & 0xFF) != chars.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
