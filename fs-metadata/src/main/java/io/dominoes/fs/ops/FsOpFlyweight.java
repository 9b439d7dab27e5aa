package io.dominoes.fs.ops;

import io.dominoes.fs.FsLimits;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Flyweight over one file-system operation record: a fixed header followed by two names and a data
 * payload. The same layout is the journal record, the channel message and the snapshot-free replay
 * unit, so a record is written once (claim, fill, commit) and read in place by every replica.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     seq (assigned by sequencer)               |  0
 *  |                     timeNs (epoch ns, the op's "now")         |  8
 *  |          opCode             |         replySlot               | 16
 *  |          uid                |         gid                     | 24
 *  |                     ino   (target / parent)                   | 32
 *  |                     ino2  (new parent / link target)          | 40
 *  |                     arg0 .. arg4 (op specific)                | 48..87
 *  |          mode               |         flags                   | 88
 *  |          name1Length        |         name2Length             | 96
 *  |          dataLength         |         reserved (0)            | 104
 *  |        name1 bytes ... name2 bytes ... data bytes ...         | 112
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Argument use: SETATTR arg0 = new uid, arg1 = new gid, arg2 = size, arg3 = atime ns, arg4 = mtime ns;
 * WRITE arg0 = file offset; RENAME flags = rename flags. Little-endian (Agrona's native order).
 *
 * <p>Records arrive from files (journal replay) and from clients, so {@link #validate(int)} checks the
 * structure before any accessor that depends on lengths is used; it never throws.
 */
public final class FsOpFlyweight
{
    public static final int SEQ_OFFSET = 0;
    public static final int TIME_OFFSET = 8;
    public static final int OPCODE_OFFSET = 16;
    public static final int REPLY_SLOT_OFFSET = 20;
    public static final int UID_OFFSET = 24;
    public static final int GID_OFFSET = 28;
    public static final int INO_OFFSET = 32;
    public static final int INO2_OFFSET = 40;
    public static final int ARG0_OFFSET = 48;
    public static final int MODE_OFFSET = 88;
    public static final int FLAGS_OFFSET = 92;
    public static final int NAME1_LENGTH_OFFSET = 96;
    public static final int NAME2_LENGTH_OFFSET = 100;
    public static final int DATA_LENGTH_OFFSET = 104;
    public static final int HEADER_LENGTH = 112;

    /** Longest name field accepted structurally; longer than NAME_MAX so ENAMETOOLONG can be reported. */
    public static final int MAX_NAME_FIELD = FsLimits.PATH_MAX;

    /** Largest record: header, two maximal names, one block of data. */
    public static final int MAX_RECORD_LENGTH = HEADER_LENGTH + 2 * MAX_NAME_FIELD + FsLimits.BLOCK_SIZE;

    /** {@link #validate(int)} results. */
    public static final int VALID = 0;
    public static final int TOO_SHORT = -1;
    public static final int BAD_OPCODE = -2;
    public static final int BAD_NAME_LENGTH = -3;
    public static final int BAD_DATA_LENGTH = -4;
    public static final int LENGTH_MISMATCH = -5;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int offset;

    /**
     * @param buffer holding the record.
     * @param offset of the record.
     * @param length available to the record (at least HEADER_LENGTH when writing).
     * @return this.
     */
    public FsOpFlyweight wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer.wrap(buffer, offset, length);
        this.offset = 0;
        return this;
    }

    /**
     * Structural check: every accessor is safe to call after this returns {@link #VALID}.
     *
     * @param length of the record as delivered.
     * @return {@link #VALID} or a negative reason.
     */
    public int validate(final int length)
    {
        if (length < HEADER_LENGTH || buffer.capacity() < length)
        {
            return TOO_SHORT;
        }
        final int op = opCode();
        if (op < 1 || op > OpCode.MAX)
        {
            return BAD_OPCODE;
        }
        final int n1 = name1Length();
        final int n2 = name2Length();
        if (n1 < 0 || n1 > MAX_NAME_FIELD || n2 < 0 || n2 > MAX_NAME_FIELD)
        {
            return BAD_NAME_LENGTH;
        }
        final int d = dataLength();
        if (d < 0 || d > FsLimits.BLOCK_SIZE)
        {
            return BAD_DATA_LENGTH;
        }
        if (HEADER_LENGTH + n1 + n2 + d != length)
        {
            return LENGTH_MISMATCH;
        }
        return VALID;
    }

    /**
     * @param name1Length bytes.
     * @param name2Length bytes.
     * @param dataLength  bytes.
     * @return the record length for those fields.
     */
    public static int recordLength(final int name1Length, final int name2Length, final int dataLength)
    {
        return HEADER_LENGTH + name1Length + name2Length + dataLength;
    }

    /**
     * @return the buffer the record lives in (offset 0 is the record start).
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public long seq()
    {
        return buffer.getLong(offset + SEQ_OFFSET);
    }

    public FsOpFlyweight seq(final long v)
    {
        buffer.putLong(offset + SEQ_OFFSET, v);
        return this;
    }

    public long timeNs()
    {
        return buffer.getLong(offset + TIME_OFFSET);
    }

    public FsOpFlyweight timeNs(final long v)
    {
        buffer.putLong(offset + TIME_OFFSET, v);
        return this;
    }

    public int opCode()
    {
        return buffer.getInt(offset + OPCODE_OFFSET);
    }

    public FsOpFlyweight opCode(final int v)
    {
        buffer.putInt(offset + OPCODE_OFFSET, v);
        return this;
    }

    public int replySlot()
    {
        return buffer.getInt(offset + REPLY_SLOT_OFFSET);
    }

    public FsOpFlyweight replySlot(final int v)
    {
        buffer.putInt(offset + REPLY_SLOT_OFFSET, v);
        return this;
    }

    public int uid()
    {
        return buffer.getInt(offset + UID_OFFSET);
    }

    public FsOpFlyweight uid(final int v)
    {
        buffer.putInt(offset + UID_OFFSET, v);
        return this;
    }

    public int gid()
    {
        return buffer.getInt(offset + GID_OFFSET);
    }

    public FsOpFlyweight gid(final int v)
    {
        buffer.putInt(offset + GID_OFFSET, v);
        return this;
    }

    public long ino()
    {
        return buffer.getLong(offset + INO_OFFSET);
    }

    public FsOpFlyweight ino(final long v)
    {
        buffer.putLong(offset + INO_OFFSET, v);
        return this;
    }

    public long ino2()
    {
        return buffer.getLong(offset + INO2_OFFSET);
    }

    public FsOpFlyweight ino2(final long v)
    {
        buffer.putLong(offset + INO2_OFFSET, v);
        return this;
    }

    /**
     * @param index 0..4.
     * @return the argument.
     */
    public long arg(final int index)
    {
        return buffer.getLong(offset + ARG0_OFFSET + 8 * index);
    }

    public FsOpFlyweight arg(final int index, final long v)
    {
        if (index < 0 || index > 4)
        {
            throw new IllegalArgumentException("arg index " + index + " outside 0..4");
        }
        buffer.putLong(offset + ARG0_OFFSET + 8 * index, v);
        return this;
    }

    public int mode()
    {
        return buffer.getInt(offset + MODE_OFFSET);
    }

    public FsOpFlyweight mode(final int v)
    {
        buffer.putInt(offset + MODE_OFFSET, v);
        return this;
    }

    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET);
    }

    public FsOpFlyweight flags(final int v)
    {
        buffer.putInt(offset + FLAGS_OFFSET, v);
        return this;
    }

    public int name1Length()
    {
        return buffer.getInt(offset + NAME1_LENGTH_OFFSET);
    }

    public int name2Length()
    {
        return buffer.getInt(offset + NAME2_LENGTH_OFFSET);
    }

    public int dataLength()
    {
        return buffer.getInt(offset + DATA_LENGTH_OFFSET);
    }

    public int name1Offset()
    {
        return offset + HEADER_LENGTH;
    }

    public int name2Offset()
    {
        return offset + HEADER_LENGTH + name1Length();
    }

    public int dataOffset()
    {
        return offset + HEADER_LENGTH + name1Length() + name2Length();
    }

    /**
     * Write the variable part for ops with names and no data, encoding the names as UTF-8 straight into
     * the record: an ASCII name (the common case) is copied char by char with no allocation; any other
     * name goes through {@link String#getBytes}.
     *
     * @param name1 first name or null.
     * @param name2 second name or null.
     * @return the total record length.
     * @throws IllegalArgumentException if a name's encoding exceeds {@link #MAX_NAME_FIELD}.
     */
    public int putNames(final String name1, final String name2)
    {
        final int n1 = putName(offset + HEADER_LENGTH, name1);
        final int n2 = putName(offset + HEADER_LENGTH + n1, name2);
        buffer.putInt(offset + NAME1_LENGTH_OFFSET, n1);
        buffer.putInt(offset + NAME2_LENGTH_OFFSET, n2);
        buffer.putInt(offset + DATA_LENGTH_OFFSET, 0);
        buffer.putInt(offset + DATA_LENGTH_OFFSET + 4, 0);
        return HEADER_LENGTH + n1 + n2;
    }

    private int putName(final int index, final String name)
    {
        if (null == name)
        {
            return 0;
        }
        final int length = name.length();
        boolean ascii = length <= MAX_NAME_FIELD;
        for (int i = 0; ascii && i < length; i++)
        {
            ascii = name.charAt(i) < 0x80;
        }
        if (ascii)
        {
            for (int i = 0; i < length; i++)
            {
                buffer.putByte(index + i, (byte)name.charAt(i));
            }
            return length;
        }
        final byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (utf8.length > MAX_NAME_FIELD)
        {
            throw new IllegalArgumentException(
                "name of " + utf8.length + " bytes exceeds the record limit " + MAX_NAME_FIELD);
        }
        buffer.putBytes(index, utf8);
        return utf8.length;
    }

    /**
     * Structural check of a read request record ({@link OpCode#isRead}): the same layout rules as
     * {@link #validate(int)}, for the read op codes only (which {@code validate} rejects).
     *
     * @param length of the record as delivered.
     * @return {@link #VALID} or a negative reason.
     */
    public int validateRead(final int length)
    {
        if (length < HEADER_LENGTH || buffer.capacity() < length)
        {
            return TOO_SHORT;
        }
        if (!OpCode.isRead(opCode()))
        {
            return BAD_OPCODE;
        }
        final int n1 = name1Length();
        if (n1 < 0 || n1 > MAX_NAME_FIELD || name2Length() != 0 || dataLength() != 0)
        {
            return BAD_NAME_LENGTH;
        }
        if (HEADER_LENGTH + n1 != length)
        {
            return LENGTH_MISMATCH;
        }
        return VALID;
    }

    /**
     * Write the variable part: lengths, then the bytes. Names are raw bytes (file names are bytes in
     * POSIX); the data payload is copied from {@code data}.
     *
     * @param name1      first name bytes or null.
     * @param name2      second name bytes or null.
     * @param data       payload buffer or null.
     * @param dataOffset of the payload.
     * @param dataLength of the payload.
     * @return the total record length.
     */
    public int putVariable(
        final byte[] name1,
        final byte[] name2,
        final DirectBuffer data,
        final int dataOffset,
        final int dataLength)
    {
        final int n1 = null == name1 ? 0 : name1.length;
        final int n2 = null == name2 ? 0 : name2.length;
        buffer.putInt(offset + NAME1_LENGTH_OFFSET, n1);
        buffer.putInt(offset + NAME2_LENGTH_OFFSET, n2);
        buffer.putInt(offset + DATA_LENGTH_OFFSET, dataLength);
        buffer.putInt(offset + DATA_LENGTH_OFFSET + 4, 0);
        if (n1 > 0)
        {
            buffer.putBytes(offset + HEADER_LENGTH, name1);
        }
        if (n2 > 0)
        {
            buffer.putBytes(offset + HEADER_LENGTH + n1, name2);
        }
        if (dataLength > 0)
        {
            buffer.putBytes(offset + HEADER_LENGTH + n1 + n2, data, dataOffset, dataLength);
        }
        return HEADER_LENGTH + n1 + n2 + dataLength;
    }

    /**
     * Overwrite the length fields directly: for tests that build malformed records.
     *
     * @param n1 name1 length.
     * @param n2 name2 length.
     * @param d  data length.
     */
    public void putRawLengths(final int n1, final int n2, final int d)
    {
        buffer.putInt(offset + NAME1_LENGTH_OFFSET, n1);
        buffer.putInt(offset + NAME2_LENGTH_OFFSET, n2);
        buffer.putInt(offset + DATA_LENGTH_OFFSET, d);
    }

    /**
     * Zero the header so no field of an earlier record leaks into the next one.
     *
     * @return this.
     */
    public FsOpFlyweight clearHeader()
    {
        buffer.setMemory(offset, HEADER_LENGTH, (byte)0);
        return this;
    }

    @Override
    public String toString()
    {
        return "FsOp{" + OpCode.name(opCode()) + " seq=" + seq() + " ino=" + ino() + " ino2=" + ino2() + "}";
    }
}
