package io.dominoes.tasks.api;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * A task's identity: its path in the spawn tree (CX's spawn-path task id). The root of job {@code j} is {@code [j]};
 * the {@code i}-th child spawned by task {@code p} is {@code p + [i]}; the compose successor of {@code p} after
 * {@code n} children is {@code p + [n]}. Re-executing a deterministic task therefore re-creates the same ids, which
 * is what lets the runtime recognise and drop a duplicate task or a duplicate result.
 * <p>
 * Encoding (also the wire form): each path component is an unsigned LEB128 varint, concatenated, so a binary spawn
 * tree costs one byte per level. Immutable; {@link #child(int)} copies the parent's bytes and appends one varint: no
 * strings are built anywhere except {@link #toString()}.
 * <pre>
 *   path [3, 1, 200] -> 0x03 | 0x01 | 0xC8 0x01
 * </pre>
 */
public final class TaskId
{
    /**
     * Longest accepted encoding in bytes; a deeper path is rejected (API misuse) or dropped (from the network).
     */
    public static final int MAX_ENCODED_LENGTH = 4096;

    private final byte[] path;
    private final int hash;

    private TaskId(final byte[] path, final int hash)
    {
        this.path = path;
        this.hash = hash;
    }

    /**
     * @param jobId non-negative job number.
     * @return the root task id of the job.
     */
    public static TaskId root(final int jobId)
    {
        if (jobId < 0)
        {
            throw new IllegalArgumentException("jobId must be >= 0: " + jobId);
        }
        final byte[] bytes = new byte[varintLength(jobId)];
        writeVarint(bytes, 0, jobId);
        return new TaskId(bytes, hashOf(bytes, 0, bytes.length));
    }

    /**
     * @param index of the child (or the child count, for the compose successor), non-negative.
     * @return the id of that child.
     */
    public TaskId child(final int index)
    {
        if (index < 0)
        {
            throw new IllegalArgumentException("child index must be >= 0: " + index);
        }
        final int extra = varintLength(index);
        if (path.length + extra > MAX_ENCODED_LENGTH)
        {
            throw new IllegalStateException("spawn tree deeper than " + MAX_ENCODED_LENGTH + " encoded bytes");
        }
        final byte[] bytes = Arrays.copyOf(path, path.length + extra);
        writeVarint(bytes, path.length, index);
        int h = hash;
        for (int i = path.length; i < bytes.length; i++)
        {
            h = 31 * h + bytes[i];
        }
        return new TaskId(bytes, h);
    }

    /**
     * @return job number (the first path component).
     */
    public int jobId()
    {
        return readVarint(path, 0);
    }

    /**
     * @return number of path components (1 for a root).
     */
    public int depth()
    {
        int depth = 0;
        for (final byte b : path)
        {
            if (b >= 0)
            {
                depth++;
            }
        }
        return depth;
    }

    /**
     * @param other candidate ancestor.
     * @return true when {@code other} is this id or a prefix of it in the spawn tree.
     */
    public boolean isDescendantOf(final TaskId other)
    {
        if (other.path.length > path.length)
        {
            return false;
        }
        return Arrays.equals(path, 0, other.path.length, other.path, 0, other.path.length);
    }

    /**
     * @return bytes of the wire encoding.
     */
    public int encodedLength()
    {
        return path.length;
    }

    /**
     * @param buffer to write into.
     * @param offset at which to write {@link #encodedLength()} bytes.
     */
    public void encode(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putBytes(offset, path);
    }

    /**
     * Decode a received id, validating it: never throws on bad bytes.
     *
     * @param buffer holding the encoding.
     * @param offset of the first byte.
     * @param length of the encoding.
     * @return the id, or null when the bytes are not a well-formed path (empty, too long, truncated varint,
     * component over 31 bits).
     */
    public static TaskId decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || length > MAX_ENCODED_LENGTH)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        int run = 0;
        for (int i = 0; i < length; i++)
        {
            final byte b = bytes[i];
            run++;
            if (run > 5 || (run == 5 && (b & 0xF8) != 0))
            {
                return null;
            }
            if (b >= 0)
            {
                run = 0;
            }
        }
        if (run != 0)
        {
            return null;
        }
        return new TaskId(bytes, hashOf(bytes, 0, length));
    }

    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof TaskId))
        {
            return false;
        }
        final TaskId that = (TaskId)o;
        return hash == that.hash && Arrays.equals(path, that.path);
    }

    public int hashCode()
    {
        return hash;
    }

    /**
     * @return dotted path, e.g. {@code 3.1.200}; for logs only.
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < path.length)
        {
            if (sb.length() > 0)
            {
                sb.append('.');
            }
            sb.append(readVarint(path, i));
            while (path[i] < 0)
            {
                i++;
            }
            i++;
        }
        return sb.toString();
    }

    private static int hashOf(final byte[] bytes, final int from, final int to)
    {
        int h = 1;
        for (int i = from; i < to; i++)
        {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    private static int varintLength(final int value)
    {
        int v = value >>> 7;
        int n = 1;
        while (v != 0)
        {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void writeVarint(final byte[] bytes, final int offset, final int value)
    {
        int v = value;
        int i = offset;
        while ((v & ~0x7F) != 0)
        {
            bytes[i++] = (byte)((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[i] = (byte)v;
    }

    private static int readVarint(final byte[] bytes, final int offset)
    {
        int value = 0;
        int shift = 0;
        int i = offset;
        byte b;
        do
        {
            b = bytes[i++];
            value |= (b & 0x7F) << shift;
            shift += 7;
        }
        while (b < 0);
        return value;
    }
}
