package io.dominoes.fs.ops;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds op records into its own reusable buffer. One encoder per client thread; each method
 * overwrites the previous record and returns its length; {@link #buffer()} holds it at offset 0.
 * Names are encoded as UTF-8 (what the kernel hands FUSE); the state machine treats them as bytes.
 */
public final class FsOpEncoder
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FsOpFlyweight.MAX_RECORD_LENGTH]);
    private final FsOpFlyweight op = new FsOpFlyweight();

    public FsOpEncoder()
    {
        op.wrap(buffer, 0, buffer.capacity());
    }

    /**
     * @return the buffer holding the last record at offset 0.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return flyweight over the last record (to set seq or reply slot before publishing).
     */
    public FsOpFlyweight flyweight()
    {
        return op;
    }

    private FsOpFlyweight header(final int opCode, final long timeNs, final int uid, final int gid)
    {
        return op.clearHeader().opCode(opCode).timeNs(timeNs).uid(uid).gid(gid);
    }

    /**
     * @param s string or null.
     * @return UTF-8 bytes.
     * @throws IllegalArgumentException if the encoding exceeds the record's name field.
     */
    public static byte[] bytes(final String s)
    {
        if (null == s)
        {
            return null;
        }
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > FsOpFlyweight.MAX_NAME_FIELD)
        {
            throw new IllegalArgumentException(
                "name of " + b.length + " bytes exceeds the record limit " + FsOpFlyweight.MAX_NAME_FIELD);
        }
        return b;
    }

    /**
     * A getattr request as an op record (pipelined and pre-filled paths; never journaled).
     *
     * @param ino inode.
     * @return the record length.
     */
    public int getattr(final int uid, final int gid, final long ino)
    {
        header(OpCode.GETATTR, 0, uid, gid).ino(ino);
        return op.putNames(null, null);
    }

    /**
     * A lookup request as an op record (pipelined and pre-filled paths; never journaled).
     *
     * @param parent directory inode.
     * @param name   entry name.
     * @return the record length.
     */
    public int lookup(final int uid, final int gid, final long parent, final String name)
    {
        header(OpCode.LOOKUP, 0, uid, gid).ino(parent);
        return op.putNames(name, null);
    }

    public int create(final long timeNs, final int uid, final int gid, final long parent, final String name,
        final int mode)
    {
        return newNode(OpCode.CREATE, timeNs, uid, gid, parent, name, mode);
    }

    public int mknod(final long timeNs, final int uid, final int gid, final long parent, final String name,
        final int mode)
    {
        return newNode(OpCode.MKNOD, timeNs, uid, gid, parent, name, mode);
    }

    public int mkdir(final long timeNs, final int uid, final int gid, final long parent, final String name,
        final int mode)
    {
        return newNode(OpCode.MKDIR, timeNs, uid, gid, parent, name, mode);
    }

    /**
     * Encode an op that makes a new named inode in {@code parent}: CREATE, MKNOD or MKDIR.
     *
     * @return the record length.
     */
    public int newNode(final int opCode, final long timeNs, final int uid, final int gid, final long parent,
        final String name, final int mode)
    {
        header(opCode, timeNs, uid, gid).ino(parent).mode(mode);
        return op.putNames(name, null);
    }

    public int symlink(final long timeNs, final int uid, final int gid, final long parent, final String name,
        final String target)
    {
        header(OpCode.SYMLINK, timeNs, uid, gid).ino(parent);
        return op.putNames(name, target);
    }

    public int unlink(final long timeNs, final int uid, final int gid, final long parent, final String name)
    {
        header(OpCode.UNLINK, timeNs, uid, gid).ino(parent);
        return op.putNames(name, null);
    }

    public int rmdir(final long timeNs, final int uid, final int gid, final long parent, final String name)
    {
        header(OpCode.RMDIR, timeNs, uid, gid).ino(parent);
        return op.putNames(name, null);
    }

    public int rename(final long timeNs, final int uid, final int gid, final long parent, final String name,
        final long newParent, final String newName, final int flags)
    {
        header(OpCode.RENAME, timeNs, uid, gid).ino(parent).ino2(newParent).flags(flags);
        return op.putNames(name, newName);
    }

    public int link(final long timeNs, final int uid, final int gid, final long target, final long newParent,
        final String newName)
    {
        header(OpCode.LINK, timeNs, uid, gid).ino(newParent).ino2(target);
        return op.putNames(newName, null);
    }

    /**
     * @param mask    {@link SetAttrMask} bits (plus FsState.SETATTR_VIA_HANDLE).
     * @param mode    new permission bits if MODE.
     * @param newUid  if UID.
     * @param newGid  if GID.
     * @param size    if SIZE.
     * @param atimeNs if ATIME.
     * @param mtimeNs if MTIME.
     * @return record length.
     */
    public int setattr(final long timeNs, final int uid, final int gid, final long ino, final int mask,
        final int mode, final long newUid, final long newGid, final long size, final long atimeNs, final long mtimeNs)
    {
        header(OpCode.SETATTR, timeNs, uid, gid).ino(ino).flags(mask).mode(mode)
            .arg(0, newUid).arg(1, newGid).arg(2, size).arg(3, atimeNs).arg(4, mtimeNs);
        return op.putVariable(null, null, null, 0, 0);
    }

    /**
     * One block's share of a write: {@code offset .. offset+length} must lie within one block.
     */
    public int write(final long timeNs, final int uid, final int gid, final long ino, final long offset,
        final DirectBuffer data, final int dataOffset, final int length)
    {
        header(OpCode.WRITE, timeNs, uid, gid).ino(ino).arg(0, offset);
        return op.putVariable(null, null, data, dataOffset, length);
    }

    public int open(final long timeNs, final int uid, final int gid, final long ino, final int accessMask)
    {
        header(OpCode.OPEN, timeNs, uid, gid).ino(ino).flags(accessMask);
        return op.putVariable(null, null, null, 0, 0);
    }

    public int release(final long timeNs, final long ino)
    {
        header(OpCode.RELEASE, timeNs, 0, 0).ino(ino);
        return op.putVariable(null, null, null, 0, 0);
    }

    public int clearOpens(final long timeNs)
    {
        header(OpCode.CLEAR_OPENS, timeNs, 0, 0);
        return op.putVariable(null, null, null, 0, 0);
    }
}
