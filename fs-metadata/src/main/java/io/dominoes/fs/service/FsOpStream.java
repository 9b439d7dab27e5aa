package io.dominoes.fs.service;

import io.dominoes.fs.ops.FsOpEncoder;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.ops.OpCode;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * A list of operations encoded ahead of time as the service's own op records (mutations as journal
 * records, reads as {@link OpCode#GETATTR}/{@link OpCode#LOOKUP} records), with the result class each is
 * expected to have. {@link FsService#runStream} publishes the whole list into a paused group and then
 * lets the replicas run it, so a measurement times the replicas alone (the way the TCP benchmark
 * pre-fills its log); a baseline can execute the same records ({@link #buffer()}, {@link #offset},
 * {@link #length}) on other systems.
 *
 * <p>Built on one thread, then read-only except for the seq and replySlot fields, which
 * {@link FsService#runStream} writes while publishing. Names, inode numbers and uids are used as given.
 */
public final class FsOpStream
{
    /** Expected result: any. */
    public static final byte EXPECT_ANY = 0;
    /** Expected result: {@code >= 0}. */
    public static final byte EXPECT_OK = 1;
    /** Expected result: a negated errno. */
    public static final byte EXPECT_ERROR = 2;

    private final FsOpEncoder encoder = new FsOpEncoder();
    private final ExpandableArrayBuffer records;
    private int[] offsets;
    private int[] lengths;
    private byte[] expect;
    private int count;
    private int position;

    /**
     * @param expectedOps initial capacity in ops (grows as needed).
     */
    public FsOpStream(final int expectedOps)
    {
        final int ops = Math.max(16, expectedOps);
        offsets = new int[ops];
        lengths = new int[ops];
        expect = new byte[ops];
        records = new ExpandableArrayBuffer(ops * 128);
    }

    public int getattr(final long ino, final byte expected)
    {
        return add(encoder.getattr(0, 0, ino), expected);
    }

    public int lookup(final long parent, final String name, final byte expected)
    {
        return add(encoder.lookup(0, 0, parent, name), expected);
    }

    public int create(final long parent, final String name, final int mode, final byte expected)
    {
        return add(encoder.create(0, 0, 0, parent, name, mode), expected);
    }

    public int rename(final long parent, final String name, final long newParent, final String newName,
        final byte expected)
    {
        return add(encoder.rename(0, 0, 0, parent, name, newParent, newName, 0), expected);
    }

    public int unlink(final long parent, final String name, final byte expected)
    {
        return add(encoder.unlink(0, 0, 0, parent, name), expected);
    }

    private int add(final int length, final byte expected)
    {
        if (count == offsets.length)
        {
            final int n = count * 2;
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            expect = Arrays.copyOf(expect, n);
        }
        if ((long)position + length > Integer.MAX_VALUE - 8)
        {
            throw new IllegalStateException("stream of " + count + " ops exceeds 2 GiB of records");
        }
        records.putBytes(position, encoder.buffer(), 0, length);
        offsets[count] = position;
        lengths[count] = length;
        expect[count] = expected;
        position += (length + 7) & ~7;
        return count++;
    }

    /** @return ops in the stream. */
    public int count()
    {
        return count;
    }

    /** @return bytes of records (without channel framing). */
    public long recordBytes()
    {
        return position;
    }

    /** @return the buffer holding every record. */
    public DirectBuffer buffer()
    {
        return records;
    }

    MutableDirectBuffer mutableBuffer()
    {
        return records;
    }

    public int offset(final int op)
    {
        return offsets[op];
    }

    public int length(final int op)
    {
        return lengths[op];
    }

    public int opCode(final int op)
    {
        return records.getInt(offsets[op] + FsOpFlyweight.OPCODE_OFFSET);
    }

    public byte expected(final int op)
    {
        return expect[op];
    }

    /**
     * @param op     index.
     * @param result what the op returned.
     * @return whether the result has the op's expected class.
     */
    public boolean matches(final int op, final long result)
    {
        switch (expect[op])
        {
            case EXPECT_OK:
                return result >= 0;
            case EXPECT_ERROR:
                return result < 0;
            default:
                return true;
        }
    }
}
