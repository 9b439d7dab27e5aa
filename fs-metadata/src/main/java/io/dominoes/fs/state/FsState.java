package io.dominoes.fs.state;

import io.dominoes.fs.Errno;
import io.dominoes.fs.FileMode;
import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.ops.OpCode;
import io.dominoes.fs.ops.SetAttrMask;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.zip.CRC32C;

import static io.dominoes.fs.Errno.*;
import static io.dominoes.fs.FileMode.*;

/**
 * One replica's private copy of the file system: inodes, directories, symlinks, and the data blocks
 * this replica owns. Pure and deterministic: the only inputs are the op records (which carry the
 * caller's credentials and the operation's time), so replicas that apply the same records in the
 * same order hold identical metadata. Not thread safe: exactly one thread (the replica's) uses it.
 *
 * <p>Results: {@link #apply} returns {@code >= 0} on success (the new inode for create, mkdir, mknod,
 * symlink and link; the byte count for write; 0 otherwise) and a negated {@link Errno} on failure.
 * A failing op changes nothing.
 *
 * <p>Permission model: owner/group/other bits against the caller's uid and primary gid (no
 * supplementary groups, no ACLs); uid 0 bypasses the checks. Writes through an open handle are not
 * checked again (the check happened at open), as in POSIX.
 */
public final class FsState
{
    /** Freed inode objects kept for reuse (at most: a mass delete does not keep its inodes alive for good). */
    private static final int FREE_INODES_KEPT = 1024;

    private final int replicaIndex;
    private final int replicaCount;
    private final Long2ObjectHashMap<Inode> inodes = new Long2ObjectHashMap<>();
    private final CRC32C crc = new CRC32C();
    private final LongArrayList freeScratch = new LongArrayList();
    private long nextIno = FsLimits.ROOT_INO + 1;
    /**
     * Recycled objects (not state: nothing of them is replicated or digested), so the create/unlink cycle of a
     * metadata workload allocates nothing in steady state: freed inodes and removed entries' name arrays.
     */
    private final ArrayDeque<Inode> freeInodes = new ArrayDeque<>(FREE_INODES_KEPT);
    private final NamePool names = new NamePool();
    private long lastSeq;

    /**
     * A fresh file system: an empty root directory owned by root, mode 0755.
     *
     * @param replicaIndex this replica's index, decides which blocks it owns.
     * @param replicaCount number of replicas.
     */
    public FsState(final int replicaIndex, final int replicaCount)
    {
        if (replicaCount < 1 || replicaIndex < 0 || replicaIndex >= replicaCount)
        {
            throw new IllegalArgumentException(
                "replicaIndex " + replicaIndex + " must be in [0, replicaCount=" + replicaCount + ")");
        }
        this.replicaIndex = replicaIndex;
        this.replicaCount = replicaCount;
        final Inode root = new Inode(FsLimits.ROOT_INO);
        root.mode = S_IFDIR | 0755;
        root.nlink = 2;
        root.parent = FsLimits.ROOT_INO;
        root.entries();
        inodes.put(root.ino, root);
    }

    public int replicaIndex()
    {
        return replicaIndex;
    }

    public int replicaCount()
    {
        return replicaCount;
    }

    /**
     * @return sequence number of the last op applied (0 before any).
     */
    public long lastSeq()
    {
        return lastSeq;
    }

    /**
     * @return number of live inodes (including the root).
     */
    public int inodeCount()
    {
        return inodes.size();
    }

    /**
     * @param ino          inode number.
     * @param blockIndex   block within the file.
     * @return true if this replica owns the block.
     */
    public boolean ownsBlock(final long ino, final long blockIndex)
    {
        return BlockPartitioner.owner(ino, blockIndex, replicaCount) == replicaIndex;
    }

    // ------------------------------------------------------------------------------------------ mutations

    /**
     * Apply one op record. The record must have passed {@link FsOpFlyweight#validate(int)}; records
     * that did not are rejected with {@code -EINVAL} here too, so a caller that forgets cannot corrupt
     * state.
     *
     * @param op     flyweight over a validated record.
     * @param length of the record.
     * @return result as described in the class comment.
     */
    public long apply(final FsOpFlyweight op, final int length)
    {
        if (op.validate(length) != FsOpFlyweight.VALID)
        {
            return -EINVAL;
        }
        return applyValidated(op);
    }

    /**
     * {@link #apply} for a caller that has just validated the record itself (the replicas' event handler and
     * the caller-thread path do, to count or refuse bad records): the same op, one validation instead of two.
     *
     * @param op flyweight over a record that passed {@link FsOpFlyweight#validate(int)}.
     * @return result as described in the class comment.
     */
    public long applyValidated(final FsOpFlyweight op)
    {
        if (op.seq() > lastSeq)
        {
            lastSeq = op.seq();
        }
        switch (op.opCode())
        {
            case OpCode.CREATE:
            case OpCode.MKNOD:
                return createNode(op, S_IFREG);
            case OpCode.MKDIR:
                return createNode(op, S_IFDIR);
            case OpCode.SYMLINK:
                return createNode(op, S_IFLNK);
            case OpCode.UNLINK:
                return unlink(op);
            case OpCode.RMDIR:
                return rmdir(op);
            case OpCode.RENAME:
                return rename(op);
            case OpCode.LINK:
                return link(op);
            case OpCode.SETATTR:
                return setattr(op);
            case OpCode.WRITE:
                return write(op);
            case OpCode.OPEN:
                return open(op);
            case OpCode.RELEASE:
                return release(op);
            case OpCode.CLEAR_OPENS:
                return clearOpens();
            default:
                return -EINVAL;
        }
    }

    private long createNode(final FsOpFlyweight op, final int type)
    {
        final Inode dir = inodes.get(op.ino());
        if (null == dir)
        {
            return -ENOENT;
        }
        if (!isDirectory(dir.mode))
        {
            return -ENOTDIR;
        }
        final int nameLength = op.name1Length();
        final long checked = checkedName(op.buffer(), op.name1Offset(), nameLength);
        final int nameCheck = status(checked);
        if (nameCheck == DOT_OR_DOTDOT)
        {
            return -EEXIST;
        }
        if (nameCheck != 0)
        {
            return nameCheck;
        }
        if (!permits(dir, op.uid(), op.gid(), W_OK | X_OK))
        {
            return -EACCES;
        }
        final DirectBuffer buffer = op.buffer();
        final int nameOffset = op.name1Offset();
        final int nameHash = hash(checked); // once for both probes
        if (dir.entries().get(buffer, nameOffset, nameLength, nameHash) != Inode.NO_ENTRY)
        {
            return -EEXIST;
        }
        if (type == S_IFLNK)
        {
            final int targetLength = op.name2Length();
            if (targetLength == 0)
            {
                return -ENOENT;
            }
            if (targetLength > FsLimits.PATH_MAX - 1)
            {
                return -ENAMETOOLONG;
            }
        }
        else if (op.name2Length() != 0 || op.dataLength() != 0)
        {
            return -EINVAL;
        }

        final long now = op.timeNs();
        final Inode node = newInode(nextIno++);
        node.uid = op.uid();
        final boolean setgidDir = (dir.mode & S_ISGID) != 0;
        node.gid = setgidDir ? dir.gid : op.gid();
        int perm = op.mode() & PERMISSION_BITS;
        if (type == S_IFLNK)
        {
            perm = 0777;
            node.symlinkTarget = new byte[op.name2Length()];
            op.buffer().getBytes(op.name2Offset(), node.symlinkTarget);
            node.size = node.symlinkTarget.length;
        }
        else if (type == S_IFDIR && setgidDir)
        {
            perm |= S_ISGID;
        }
        node.mode = type | perm;
        node.atimeNs = now;
        node.mtimeNs = now;
        node.ctimeNs = now;
        if (type == S_IFDIR)
        {
            node.nlink = 2;
            node.parent = dir.ino;
            node.entries();
            dir.nlink++;
        }
        else
        {
            node.nlink = 1;
        }
        inodes.put(node.ino, node);
        dir.entries().putAbsent(buffer, nameOffset, nameLength, nameHash, node.ino, names);
        dir.mtimeNs = now;
        dir.ctimeNs = now;
        return node.ino;
    }

    private long link(final FsOpFlyweight op)
    {
        final Inode target = inodes.get(op.ino2());
        if (null == target)
        {
            return -ENOENT;
        }
        if (isDirectory(target.mode))
        {
            return -EPERM;
        }
        final Inode dir = inodes.get(op.ino());
        if (null == dir)
        {
            return -ENOENT;
        }
        if (!isDirectory(dir.mode))
        {
            return -ENOTDIR;
        }
        final long checked = checkedName(op.buffer(), op.name1Offset(), op.name1Length());
        final int nameCheck = status(checked);
        if (nameCheck == DOT_OR_DOTDOT)
        {
            return -EEXIST;
        }
        if (nameCheck != 0)
        {
            return nameCheck;
        }
        if (!permits(dir, op.uid(), op.gid(), W_OK | X_OK))
        {
            return -EACCES;
        }
        final int nameHash = hash(checked);
        if (dir.entries().get(op.buffer(), op.name1Offset(), op.name1Length(), nameHash) != Inode.NO_ENTRY)
        {
            return -EEXIST;
        }
        if (target.nlink == 0)
        {
            // linkat(2) of an open-but-unlinked file without AT_EMPTY_PATH: ENOENT.
            return -ENOENT;
        }
        if (target.nlink >= Integer.MAX_VALUE - 1)
        {
            return -EMLINK;
        }
        final long now = op.timeNs();
        target.nlink++;
        target.ctimeNs = now;
        dir.entries().putAbsent(op.buffer(), op.name1Offset(), op.name1Length(), nameHash, target.ino, names);
        dir.mtimeNs = now;
        dir.ctimeNs = now;
        return target.ino;
    }

    private long unlink(final FsOpFlyweight op)
    {
        final Inode dir = inodes.get(op.ino());
        if (null == dir)
        {
            return -ENOENT;
        }
        if (!isDirectory(dir.mode))
        {
            return -ENOTDIR;
        }
        final long checked = checkedName(op.buffer(), op.name1Offset(), op.name1Length());
        final int nameCheck = status(checked);
        if (nameCheck == DOT_OR_DOTDOT)
        {
            return -EISDIR;
        }
        if (nameCheck != 0)
        {
            return nameCheck;
        }
        final int nameHash = hash(checked);
        final int slot = dir.entries().slotOf(op.buffer(), op.name1Offset(), op.name1Length(), nameHash);
        if (slot < 0)
        {
            return -ENOENT;
        }
        final Inode child = inodes.get(dir.entries().inoAt(slot));
        if (!permits(dir, op.uid(), op.gid(), W_OK | X_OK))
        {
            return -EACCES;
        }
        if (stickyForbids(dir, child, op.uid()))
        {
            return -EPERM;
        }
        if (isDirectory(child.mode))
        {
            return -EISDIR;
        }
        final long now = op.timeNs();
        dir.entries().removeSlot(slot, names); // nothing changed the table since slotOf
        dir.mtimeNs = now;
        dir.ctimeNs = now;
        child.nlink--;
        child.ctimeNs = now;
        maybeFree(child);
        return 0;
    }

    private long rmdir(final FsOpFlyweight op)
    {
        final Inode dir = inodes.get(op.ino());
        if (null == dir)
        {
            return -ENOENT;
        }
        if (!isDirectory(dir.mode))
        {
            return -ENOTDIR;
        }
        final int nameLength = op.name1Length();
        final long checked = checkedName(op.buffer(), op.name1Offset(), nameLength);
        final int nameCheck = status(checked);
        if (nameCheck == DOT_OR_DOTDOT)
        {
            // rmdir(2): "." gives EINVAL, ".." gives ENOTEMPTY on Linux.
            return nameLength == 1 ? -EINVAL : -ENOTEMPTY;
        }
        if (nameCheck != 0)
        {
            return nameCheck;
        }
        final int nameHash = hash(checked);
        final int slot = dir.entries().slotOf(op.buffer(), op.name1Offset(), nameLength, nameHash);
        if (slot < 0)
        {
            return -ENOENT;
        }
        final Inode child = inodes.get(dir.entries().inoAt(slot));
        if (!isDirectory(child.mode))
        {
            return -ENOTDIR;
        }
        if (!permits(dir, op.uid(), op.gid(), W_OK | X_OK))
        {
            return -EACCES;
        }
        if (stickyForbids(dir, child, op.uid()))
        {
            return -EPERM;
        }
        if (!child.entries().isEmpty())
        {
            return -ENOTEMPTY;
        }
        final long now = op.timeNs();
        dir.entries().removeSlot(slot, names); // nothing changed the table since slotOf
        dir.nlink--;
        dir.mtimeNs = now;
        dir.ctimeNs = now;
        child.nlink = 0;
        child.ctimeNs = now;
        maybeFree(child);
        return 0;
    }

    /**
     * rename(2). POSIX: "If the old argument and the new argument resolve to the same existing file,
     * rename() shall return successfully and perform no other action." A directory may replace only an
     * empty directory (else ENOTEMPTY), a non-directory only a non-directory (EISDIR / ENOTDIR), and
     * "the new pathname shall not contain a path prefix that names old" (EINVAL).
     */
    private long rename(final FsOpFlyweight op)
    {
        final int flags = op.flags();
        if ((flags & ~RENAME_NOREPLACE) != 0)
        {
            return -EINVAL;
        }
        final Inode srcDir = inodes.get(op.ino());
        final Inode dstDir = inodes.get(op.ino2());
        if (null == srcDir || null == dstDir)
        {
            return -ENOENT;
        }
        if (!isDirectory(srcDir.mode) || !isDirectory(dstDir.mode))
        {
            return -ENOTDIR;
        }
        final long checked1 = checkedName(op.buffer(), op.name1Offset(), op.name1Length());
        final long checked2 = checkedName(op.buffer(), op.name2Offset(), op.name2Length());
        final int c1 = status(checked1);
        final int c2 = status(checked2);
        if (c1 == DOT_OR_DOTDOT || c2 == DOT_OR_DOTDOT)
        {
            return -EINVAL;
        }
        if (c1 != 0)
        {
            return c1;
        }
        if (c2 != 0)
        {
            return c2;
        }
        final DirectBuffer buffer = op.buffer();
        final int srcOffset = op.name1Offset();
        final int srcLength = op.name1Length();
        final int dstOffset = op.name2Offset();
        final int dstLength = op.name2Length();
        final int srcHash = hash(checked1); // each name hashed once, in the pass that checked it
        final int dstHash = hash(checked2);
        final int srcSlot = srcDir.entries().slotOf(buffer, srcOffset, srcLength, srcHash);
        if (srcSlot < 0)
        {
            return -ENOENT;
        }
        final Inode src = inodes.get(srcDir.entries().inoAt(srcSlot));
        final int dstSlot = dstDir.entries().slotOf(buffer, dstOffset, dstLength, dstHash);
        final Inode dst = dstSlot < 0 ? null : inodes.get(dstDir.entries().inoAt(dstSlot));
        final int uid = op.uid();
        final int gid = op.gid();
        if (!permits(srcDir, uid, gid, W_OK | X_OK) || !permits(dstDir, uid, gid, W_OK | X_OK))
        {
            return -EACCES;
        }
        if (stickyForbids(srcDir, src, uid) || (null != dst && stickyForbids(dstDir, dst, uid)))
        {
            return -EPERM;
        }
        if (null != dst && (flags & RENAME_NOREPLACE) != 0)
        {
            return -EEXIST;
        }
        if (dst == src)
        {
            return 0;
        }
        final boolean srcIsDir = isDirectory(src.mode);
        if (srcIsDir)
        {
            if (isInSubtree(dstDir, src.ino))
            {
                return -EINVAL;
            }
            if (null != dst)
            {
                if (!isDirectory(dst.mode))
                {
                    return -ENOTDIR;
                }
                if (!dst.entries().isEmpty())
                {
                    return -ENOTEMPTY;
                }
            }
            // Moving a directory rewrites its "..": the caller needs write permission on it.
            if (srcDir != dstDir && !permits(src, uid, gid, W_OK))
            {
                return -EACCES;
            }
        }
        else if (null != dst && isDirectory(dst.mode))
        {
            return -EISDIR;
        }

        final long now = op.timeNs();
        if (null != dst)
        {
            dstDir.entries().removeSlot(dstSlot, names);
            if (isDirectory(dst.mode))
            {
                dst.nlink = 0;
                dstDir.nlink--;
            }
            else
            {
                dst.nlink--;
            }
            dst.ctimeNs = now;
            maybeFree(dst);
        }
        if (null != dst && srcDir == dstDir)
        {
            // Removing the destination's entry may have shifted the source's slot in this same table: find it again.
            srcDir.entries().removeSlot(srcDir.entries().slotOf(buffer, srcOffset, srcLength, srcHash), names);
        }
        else
        {
            srcDir.entries().removeSlot(srcSlot, names);
        }
        // The destination name is absent now: removed above, or never there (same entry returned early).
        dstDir.entries().putAbsent(buffer, dstOffset, dstLength, dstHash, src.ino, names);
        if (srcIsDir && srcDir != dstDir)
        {
            srcDir.nlink--;
            dstDir.nlink++;
            src.parent = dstDir.ino;
        }
        src.ctimeNs = now;
        srcDir.mtimeNs = now;
        srcDir.ctimeNs = now;
        dstDir.mtimeNs = now;
        dstDir.ctimeNs = now;
        return 0;
    }

    /** renameat2 RENAME_NOREPLACE. */
    public static final int RENAME_NOREPLACE = 1;

    private boolean isInSubtree(final Inode dir, final long ancestor)
    {
        Inode cursor = dir;
        while (true)
        {
            if (cursor.ino == ancestor)
            {
                return true;
            }
            if (cursor.ino == FsLimits.ROOT_INO)
            {
                return false;
            }
            cursor = inodes.get(cursor.parent);
        }
    }

    private long setattr(final FsOpFlyweight op)
    {
        final Inode node = inodes.get(op.ino());
        if (null == node)
        {
            return -ENOENT;
        }
        final int mask = op.flags();
        if ((mask & ~(SetAttrMask.ALL | SETATTR_VIA_HANDLE)) != 0)
        {
            return -EINVAL;
        }
        final int uid = op.uid();
        final int gid = op.gid();
        final boolean root = uid == 0;
        final boolean owner = root || uid == node.uid;

        // Check everything first: a failing setattr changes nothing.
        if ((mask & SetAttrMask.MODE) != 0 && !owner)
        {
            return -EPERM;
        }
        final boolean changeUid = (mask & SetAttrMask.UID) != 0 && op.arg(0) != node.uid;
        final boolean changeGid = (mask & SetAttrMask.GID) != 0 && op.arg(1) != node.gid;
        if ((mask & SetAttrMask.UID) != 0 && (op.arg(0) < 0 || op.arg(0) > 0xFFFF_FFFEL))
        {
            return -EINVAL;
        }
        if ((mask & SetAttrMask.GID) != 0 && (op.arg(1) < 0 || op.arg(1) > 0xFFFF_FFFEL))
        {
            return -EINVAL;
        }
        if (changeUid && !root)
        {
            return -EPERM;
        }
        if (changeGid && !root && !(uid == node.uid && op.arg(1) == gid))
        {
            return -EPERM;
        }
        if ((mask & SetAttrMask.SIZE) != 0)
        {
            final long size = op.arg(2);
            if (isDirectory(node.mode))
            {
                return -EISDIR;
            }
            if (!isRegular(node.mode))
            {
                return -EINVAL;
            }
            if (size < 0)
            {
                return -EINVAL;
            }
            if (size > FsLimits.MAX_FILE_SIZE)
            {
                return -EFBIG;
            }
            if ((mask & SETATTR_VIA_HANDLE) == 0 && !permits(node, uid, gid, W_OK))
            {
                return -EACCES;
            }
        }
        final boolean explicitTimes = (mask & (SetAttrMask.ATIME | SetAttrMask.MTIME)) != 0;
        final boolean nowTimes = (mask & (SetAttrMask.ATIME_NOW | SetAttrMask.MTIME_NOW)) != 0;
        if (explicitTimes && !owner)
        {
            return -EPERM;
        }
        if (nowTimes && !owner && !permits(node, uid, gid, W_OK))
        {
            return -EACCES;
        }

        final long now = op.timeNs();
        if ((mask & SetAttrMask.MODE) != 0)
        {
            int perm = op.mode() & PERMISSION_BITS;
            if (!root && node.gid != gid)
            {
                // chmod(2): "If the calling process is not privileged, and the group of the file does
                // not match the effective group ID of the process, the S_ISGID bit will be turned off".
                perm &= ~S_ISGID;
            }
            node.mode = (node.mode & S_IFMT) | perm;
        }
        if (changeUid || changeGid || (mask & (SetAttrMask.UID | SetAttrMask.GID)) != 0)
        {
            if (changeUid)
            {
                node.uid = (int)op.arg(0);
            }
            if (changeGid)
            {
                node.gid = (int)op.arg(1);
            }
            if (!isDirectory(node.mode) && (changeUid || changeGid))
            {
                // chown(2): "When the owner or group of an executable file is changed ... the
                // S_ISUID and S_ISGID mode bits are cleared" (S_ISGID only with group execute).
                clearSetIds(node);
            }
        }
        if ((mask & SetAttrMask.SIZE) != 0)
        {
            truncate(node, op.arg(2));
            node.mtimeNs = now;
            if (!root)
            {
                clearSetIds(node);
            }
        }
        if ((mask & SetAttrMask.ATIME_NOW) != 0)
        {
            node.atimeNs = now;
        }
        else if ((mask & SetAttrMask.ATIME) != 0)
        {
            node.atimeNs = op.arg(3);
        }
        if ((mask & SetAttrMask.MTIME_NOW) != 0)
        {
            node.mtimeNs = now;
        }
        else if ((mask & SetAttrMask.MTIME) != 0)
        {
            node.mtimeNs = op.arg(4);
        }
        node.ctimeNs = now;
        return 0;
    }

    /** SETATTR flag: the size change comes through an open handle (ftruncate); no permission check. */
    public static final int SETATTR_VIA_HANDLE = 256;

    private static void clearSetIds(final Inode node)
    {
        int mode = node.mode & ~S_ISUID;
        if ((mode & S_IXGRP) != 0)
        {
            mode &= ~S_ISGID;
        }
        node.mode = mode;
    }

    private void truncate(final Inode node, final long size)
    {
        node.size = size;
        if (null == node.blocks || node.blocks.isEmpty())
        {
            return;
        }
        freeScratch.clear();
        final Long2ObjectHashMap<Block>.KeyIterator keys = node.blocks.keySet().iterator();
        while (keys.hasNext())
        {
            final long index = keys.nextLong();
            final long start = index * FsLimits.BLOCK_SIZE;
            if (start >= size)
            {
                freeScratch.addLong(index);
            }
            else if (size - start < FsLimits.BLOCK_SIZE)
            {
                final Block block = node.blocks.get(index);
                final int keep = (int)(size - start);
                if (block.length > keep)
                {
                    java.util.Arrays.fill(block.data, keep, block.length, (byte)0);
                    block.length = keep;
                    block.crc = checksum(block);
                }
            }
        }
        for (int i = 0; i < freeScratch.size(); i++)
        {
            node.blocks.remove(freeScratch.getLong(i));
        }
    }

    private long write(final FsOpFlyweight op)
    {
        final Inode node = inodes.get(op.ino());
        if (null == node)
        {
            return -ENOENT;
        }
        if (isDirectory(node.mode))
        {
            return -EISDIR;
        }
        if (!isRegular(node.mode))
        {
            return -EINVAL;
        }
        final long offset = op.arg(0);
        final int length = op.dataLength();
        if (offset < 0 || op.name1Length() != 0 || op.name2Length() != 0)
        {
            return -EINVAL;
        }
        if (offset > FsLimits.MAX_FILE_SIZE - length)
        {
            return -EFBIG;
        }
        final long blockIndex = offset / FsLimits.BLOCK_SIZE;
        final int inBlock = (int)(offset - blockIndex * FsLimits.BLOCK_SIZE);
        if (inBlock + length > FsLimits.BLOCK_SIZE)
        {
            // One record carries one block's share so exactly one owner stores it; the client splits.
            return -EINVAL;
        }
        if (length == 0)
        {
            return 0;
        }
        final long now = op.timeNs();
        final long end = offset + length;
        if (end > node.size)
        {
            node.size = end;
        }
        node.mtimeNs = now;
        node.ctimeNs = now;
        if (op.uid() != 0)
        {
            // write(2) by an unprivileged process clears S_ISUID (and S_ISGID with group execute).
            clearSetIds(node);
        }
        if (ownsBlock(node.ino, blockIndex))
        {
            storeBlock(node, blockIndex, inBlock, op.buffer(), op.dataOffset(), length);
        }
        return length;
    }

    private void storeBlock(
        final Inode node, final long blockIndex, final int inBlock, final DirectBuffer src, final int srcOffset,
        final int length)
    {
        Block block = node.blocks().get(blockIndex);
        final int end = inBlock + length;
        if (null == block)
        {
            block = new Block(Math.max(end, 512));
            node.blocks().put(blockIndex, block);
        }
        else if (block.data.length < end)
        {
            block.data = java.util.Arrays.copyOf(block.data, Math.min(FsLimits.BLOCK_SIZE,
                Math.max(end, block.data.length * 2)));
        }
        src.getBytes(srcOffset, block.data, inBlock, length);
        if (end > block.length)
        {
            block.length = end;
        }
        block.crc = checksum(block);
    }

    private int checksum(final Block block)
    {
        crc.reset();
        crc.update(block.data, 0, block.length);
        return (int)crc.getValue();
    }

    private long open(final FsOpFlyweight op)
    {
        final Inode node = inodes.get(op.ino());
        if (null == node)
        {
            return -ENOENT;
        }
        final int access = op.flags() & (R_OK | W_OK);
        if (access != 0 && !permits(node, op.uid(), op.gid(), access))
        {
            return -EACCES;
        }
        node.openCount++;
        return 0;
    }

    private long release(final FsOpFlyweight op)
    {
        final Inode node = inodes.get(op.ino());
        if (null == node || node.openCount == 0)
        {
            return -EBADF;
        }
        node.openCount--;
        maybeFree(node);
        return 0;
    }

    private long clearOpens()
    {
        freeScratch.clear();
        final Long2ObjectHashMap<Inode>.ValueIterator values = inodes.values().iterator();
        while (values.hasNext())
        {
            final Inode node = values.next();
            node.openCount = 0;
            if (node.nlink == 0)
            {
                freeScratch.addLong(node.ino);
            }
        }
        for (int i = 0; i < freeScratch.size(); i++)
        {
            free(inodes.get(freeScratch.getLong(i)));
        }
        return freeScratch.size();
    }

    private void maybeFree(final Inode node)
    {
        if (node.nlink == 0 && node.openCount == 0)
        {
            free(node);
        }
    }

    /** Drop an inode no directory names and nobody has open; keep the object for the next create. */
    private void free(final Inode node)
    {
        inodes.remove(node.ino);
        if (freeInodes.size() < FREE_INODES_KEPT)
        {
            freeInodes.push(node.reuseAs(0)); // drops its tables now, not when it is reused
        }
    }

    /** @return freed inode objects held for reuse (tests). */
    int recycledInodes()
    {
        return freeInodes.size();
    }

    /** @return removed entries' name arrays held for reuse (tests). */
    int recycledNames()
    {
        return names.held();
    }

    private Inode newInode(final long ino)
    {
        final Inode recycled = freeInodes.poll();
        return null == recycled ? new Inode(ino) : recycled.reuseAs(ino);
    }

    // ------------------------------------------------------------------------------------------ reads

    /**
     * @param ino inode.
     * @param out filled on success.
     * @return 0 or -ENOENT.
     */
    public int getattr(final long ino, final Attr out)
    {
        final Inode node = inodes.get(ino);
        if (null == node)
        {
            return -ENOENT;
        }
        node.fill(out);
        return 0;
    }

    /**
     * Resolve one name in a directory; "." and ".." resolve to the directory and its parent.
     *
     * @param parent directory inode.
     * @param name   entry name.
     * @param uid    caller.
     * @param gid    caller.
     * @param out    attributes of the entry on success.
     * @return the entry's inode number or a negated errno.
     */
    public long lookup(final long parent, final String name, final int uid, final int gid, final Attr out)
    {
        final Inode dir = inodes.get(parent);
        final int check = checkName(name);
        final long refused = refuseLookup(dir, check, uid, gid);
        if (refused != 0)
        {
            return refused;
        }
        if (check == DOT_OR_DOTDOT)
        {
            return found(name.length() == 1 ? dir.ino : dir.parent, out);
        }
        return found(dir.entries().get(name), out);
    }

    /**
     * {@link #lookup(long, String, int, int, Attr)} of a name held as bytes (an op record's name field),
     * looked up where it lies: nothing is copied or allocated.
     *
     * @param length of the name, at most {@link FsOpFlyweight#MAX_NAME_FIELD} (a validated record's).
     */
    public long lookup(final long parent, final DirectBuffer buffer, final int offset, final int length,
        final int uid, final int gid, final Attr out)
    {
        final Inode dir = inodes.get(parent);
        final long checked = checkedName(buffer, offset, length);
        final int check = status(checked);
        final long refused = refuseLookup(dir, check, uid, gid);
        if (refused != 0)
        {
            return refused;
        }
        if (check == DOT_OR_DOTDOT)
        {
            return found(length == 1 ? dir.ino : dir.parent, out);
        }
        return found(dir.entries().get(buffer, offset, length, hash(checked)), out);
    }

    /**
     * The refusals of a lookup, in POSIX precedence: no such directory, not a directory, a bad name, no search
     * permission.
     *
     * @param check the status from {@link #checkName(String)} or {@link #checkedName} (pure, so computing it first
     *              changes no precedence).
     * @return 0 if the lookup may go ahead, else the negated errno.
     */
    private long refuseLookup(final Inode dir, final int check, final int uid, final int gid)
    {
        if (null == dir)
        {
            return -ENOENT;
        }
        if (!isDirectory(dir.mode))
        {
            return -ENOTDIR;
        }
        if (check != 0 && check != DOT_OR_DOTDOT)
        {
            return check;
        }
        if (!permits(dir, uid, gid, X_OK))
        {
            return -EACCES;
        }
        return 0;
    }

    private long found(final long ino, final Attr out)
    {
        if (ino == Inode.NO_ENTRY)
        {
            return -ENOENT;
        }
        inodes.get(ino).fill(out);
        return ino;
    }

    /**
     * Receives directory entries from {@link #readdir}.
     */
    @FunctionalInterface
    public interface DirEntryConsumer
    {
        /**
         * @param name entry name (bytes as ISO-8859-1 chars).
         * @param ino  inode of the entry.
         * @param mode st_mode of the entry.
         */
        void onEntry(String name, long ino, int mode);
    }

    /**
     * List a directory: ".", "..", then the entries in the map's (deterministic) order.
     *
     * @param ino      directory inode.
     * @param uid      caller.
     * @param gid      caller.
     * @param consumer receives each entry.
     * @return number of entries or a negated errno.
     */
    public int readdir(final long ino, final int uid, final int gid, final DirEntryConsumer consumer)
    {
        final Inode dir = inodes.get(ino);
        if (null == dir)
        {
            return -ENOENT;
        }
        if (!isDirectory(dir.mode))
        {
            return -ENOTDIR;
        }
        if (!permits(dir, uid, gid, R_OK))
        {
            return -EACCES;
        }
        consumer.onEntry(".", dir.ino, dir.mode);
        consumer.onEntry("..", dir.parent, inodes.get(dir.parent).mode);
        int count = 2;
        final DirectoryEntries entries = dir.entries();
        for (int slot = 0, n = entries.capacity(); slot < n; slot++)
        {
            final byte[] name = entries.nameAt(slot);
            if (null != name)
            {
                final long child = entries.inoAt(slot);
                consumer.onEntry(new String(name, StandardCharsets.ISO_8859_1), child, inodes.get(child).mode);
                count++;
            }
        }
        return count;
    }

    /**
     * @param ino symlink inode.
     * @return the target bytes, or null if the inode is missing or not a symlink.
     */
    public byte[] readlink(final long ino)
    {
        final Inode node = inodes.get(ino);
        return null == node || !isSymlink(node.mode) ? null : node.symlinkTarget;
    }

    /**
     * access(2) check for the caller.
     *
     * @param ino  inode.
     * @param uid  caller.
     * @param gid  caller.
     * @param mask R_OK | W_OK | X_OK, or 0 for existence.
     * @return 0, -ENOENT or -EACCES.
     */
    public int access(final long ino, final int uid, final int gid, final int mask)
    {
        final Inode node = inodes.get(ino);
        if (null == node)
        {
            return -ENOENT;
        }
        return permits(node, uid, gid, mask) ? 0 : -EACCES;
    }

    /**
     * Sum of file sizes: the data the file system holds, for statfs.
     *
     * @return bytes.
     */
    public long logicalBytes()
    {
        long total = 0;
        final Long2ObjectHashMap<Inode>.ValueIterator values = inodes.values().iterator();
        while (values.hasNext())
        {
            total += values.next().size;
        }
        return total;
    }

    /**
     * Read from one block this replica owns, verifying its CRC32C first. Bytes between the stored
     * length and the file size (holes, extended files) read as zero.
     *
     * @param ino        file.
     * @param offset     file offset; {@code offset .. offset+length} must lie in one block.
     * @param length     bytes wanted.
     * @param dst        destination.
     * @param dstOffset  in dst.
     * @return bytes read (0 at or beyond end of file), -ENOENT, -EISDIR, -EINVAL or -EIO on a bad checksum.
     * @throws IllegalArgumentException if this replica does not own the block (a routing bug).
     */
    public int readBlock(final long ino, final long offset, final int length, final byte[] dst, final int dstOffset)
    {
        final Inode node = inodes.get(ino);
        if (null == node)
        {
            return -ENOENT;
        }
        if (isDirectory(node.mode))
        {
            return -EISDIR;
        }
        if (!isRegular(node.mode) || offset < 0 || length < 0)
        {
            return -EINVAL;
        }
        final long blockIndex = offset / FsLimits.BLOCK_SIZE;
        final int inBlock = (int)(offset - blockIndex * FsLimits.BLOCK_SIZE);
        if (inBlock + length > FsLimits.BLOCK_SIZE)
        {
            return -EINVAL;
        }
        if (!ownsBlock(ino, blockIndex))
        {
            throw new IllegalArgumentException("replica " + replicaIndex + " does not own block " + blockIndex +
                " of inode " + ino + " (owner " + BlockPartitioner.owner(ino, blockIndex, replicaCount) + ")");
        }
        if (offset >= node.size)
        {
            return 0;
        }
        final int n = (int)Math.min(length, node.size - offset);
        final Block block = null == node.blocks ? null : node.blocks.get(blockIndex);
        int copied = 0;
        if (null != block)
        {
            if (checksum(block) != block.crc)
            {
                return -EIO;
            }
            copied = Math.max(0, Math.min(n, block.length - inBlock));
            if (copied > 0)
            {
                System.arraycopy(block.data, inBlock, dst, dstOffset, copied);
            }
        }
        java.util.Arrays.fill(dst, dstOffset + copied, dstOffset + n, (byte)0);
        return n;
    }

    // ------------------------------------------------------------------------------------------ checks

    /**
     * fsck over this replica's copy: every inode reachable from the root or held open, directory link
     * counts (2 + subdirectories), file link counts (= entries naming them), ".." pointers, stored
     * blocks within the file size, owned by this replica and with a good CRC32C.
     *
     * @return list of problems, empty when consistent.
     */
    public java.util.List<String> check()
    {
        final java.util.List<String> problems = new java.util.ArrayList<>();
        final org.agrona.collections.Long2LongHashMap refs = new org.agrona.collections.Long2LongHashMap(0);
        final Long2ObjectHashMap<Inode>.ValueIterator values = inodes.values().iterator();
        while (values.hasNext())
        {
            final Inode dir = values.next();
            if (!isDirectory(dir.mode))
            {
                continue;
            }
            int subdirs = 0;
            final DirectoryEntries entries = dir.entries();
            for (int slot = 0, n = entries.capacity(); slot < n; slot++)
            {
                final byte[] name = entries.nameAt(slot);
                if (null == name)
                {
                    continue;
                }
                final Inode child = inodes.get(entries.inoAt(slot));
                if (null == child)
                {
                    problems.add("dir " + dir.ino + " entry '" + new String(name, StandardCharsets.ISO_8859_1) +
                        "' -> missing inode " + entries.inoAt(slot));
                    continue;
                }
                refs.put(child.ino, refs.get(child.ino) + 1);
                if (isDirectory(child.mode))
                {
                    subdirs++;
                    if (child.parent != dir.ino)
                    {
                        problems.add("dir " + child.ino + " has parent " + child.parent + " but is in " + dir.ino);
                    }
                }
            }
            if (dir.nlink != 2 + subdirs)
            {
                problems.add("dir " + dir.ino + " nlink " + dir.nlink + " != 2 + " + subdirs + " subdirs");
            }
        }
        final Long2ObjectHashMap<Inode>.ValueIterator all = inodes.values().iterator();
        while (all.hasNext())
        {
            final Inode node = all.next();
            final long r = refs.get(node.ino);
            if (node.ino == FsLimits.ROOT_INO)
            {
                if (r != 0)
                {
                    problems.add("root is referenced by " + r + " entries");
                }
                continue;
            }
            if (r == 0 && node.openCount == 0)
            {
                problems.add("orphan inode " + node.ino + " (nlink " + node.nlink + ", not open)");
            }
            if (isDirectory(node.mode) && r > 1)
            {
                problems.add("dir " + node.ino + " has " + r + " entries");
            }
            if (!isDirectory(node.mode) && node.nlink != r)
            {
                problems.add("inode " + node.ino + " nlink " + node.nlink + " != " + r + " entries");
            }
            if (null != node.blocks)
            {
                final Long2ObjectHashMap<Block>.EntryIterator b = node.blocks.entrySet().iterator();
                while (b.hasNext())
                {
                    b.next();
                    final long index = b.getLongKey();
                    final Block block = b.getValue();
                    if (!ownsBlock(node.ino, index))
                    {
                        problems.add("inode " + node.ino + " block " + index + " held by non-owner " + replicaIndex);
                    }
                    if (index * FsLimits.BLOCK_SIZE + block.length > node.size)
                    {
                        problems.add("inode " + node.ino + " block " + index + " ends beyond size " + node.size);
                    }
                    if (checksum(block) != block.crc)
                    {
                        problems.add("inode " + node.ino + " block " + index + " bad CRC32C");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Digest of the replicated metadata (not the partitioned blocks): equal on every replica that
     * applied the same ops. Compared to turn silent divergence into an error.
     *
     * @return a 64-bit digest, independent of map iteration order.
     */
    public long metadataDigest()
    {
        long digest = nextIno * 31 + inodes.size();
        final Long2ObjectHashMap<Inode>.ValueIterator values = inodes.values().iterator();
        while (values.hasNext())
        {
            final Inode n = values.next();
            long h = n.ino;
            h = h * 31 + n.mode;
            h = h * 31 + n.uid;
            h = h * 31 + n.gid;
            h = h * 31 + n.size;
            h = h * 31 + n.nlink;
            h = h * 31 + n.atimeNs;
            h = h * 31 + n.mtimeNs;
            h = h * 31 + n.ctimeNs;
            h = h * 31 + n.openCount;
            if (null != n.entries)
            {
                final DirectoryEntries dir = n.entries;
                long entries = 0;
                for (int slot = 0, count = dir.capacity(); slot < count; slot++)
                {
                    if (null != dir.nameAt(slot))
                    {
                        // hashAt is String.hashCode of the ISO-8859-1 name: the digest of String-keyed maps.
                        entries += dir.hashAt(slot) * 0x9E3779B97F4A7C15L ^ dir.inoAt(slot);
                    }
                }
                h = h * 31 + entries;
            }
            if (null != n.symlinkTarget)
            {
                h = h * 31 + java.util.Arrays.hashCode(n.symlinkTarget);
            }
            h ^= h >>> 29;
            h *= 0xbf58476d1ce4e5b9L;
            digest += h;
        }
        return digest;
    }

    // ------------------------------------------------------------------------------------------ snapshot access

    long nextIno()
    {
        return nextIno;
    }

    void nextIno(final long nextIno)
    {
        this.nextIno = nextIno;
    }

    void lastSeq(final long seq)
    {
        this.lastSeq = seq;
    }

    Long2ObjectHashMap<Inode> inodes()
    {
        return inodes;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static final int DOT_OR_DOTDOT = 1;

    /**
     * @return 0 for a valid name, {@link #DOT_OR_DOTDOT}, or a negated errno.
     */
    /**
     * The name checks of {@link #checkName(String)} and {@link DirectoryEntries#hash} in one pass over the name's bytes (a mutation needs
     * both, and a lookup as well): the status ({@code 0}, {@link #DOT_OR_DOTDOT} or a negated errno) in the high int, the hash in the low
     * one; read them with {@link #status} and {@link #hash(long)}.
     */
    private static long checkedName(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length == 0)
        {
            return (long)-ENOENT << 32;
        }
        if (length > FsLimits.NAME_MAX)
        {
            return (long)-ENAMETOOLONG << 32;
        }
        int h = 0;
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b == '/' || b == 0)
            {
                return (long)-EINVAL << 32;
            }
            h = 31 * h + (b & 0xFF); // DirectoryEntries.hash
        }
        final boolean dots = buffer.getByte(offset) == '.' &&
            (length == 1 || (length == 2 && buffer.getByte(offset + 1) == '.'));
        return ((long)(dots ? DOT_OR_DOTDOT : 0) << 32) | (h & 0xFFFFFFFFL);
    }

    private static int status(final long checked)
    {
        return (int)(checked >> 32);
    }

    private static int hash(final long checked)
    {
        return (int)checked;
    }

    private static int checkName(final String name)
    {
        final int length = name.length();
        if (length == 0)
        {
            return -ENOENT;
        }
        if (length > FsLimits.NAME_MAX)
        {
            return -ENAMETOOLONG;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = name.charAt(i);
            if (c == '/' || c == 0 || c > 0xFF)
            {
                return -EINVAL;
            }
        }
        if (name.equals(".") || name.equals(".."))
        {
            return DOT_OR_DOTDOT;
        }
        return 0;
    }

    private static boolean permits(final Inode node, final int uid, final int gid, final int mask)
    {
        if (uid == 0)
        {
            // root: read/write always; execute if any execute bit is set or it is a directory.
            return (mask & X_OK) == 0 || isDirectory(node.mode) || (node.mode & 0111) != 0;
        }
        final int bits;
        if (uid == node.uid)
        {
            bits = (node.mode >> 6) & 7;
        }
        else if (gid == node.gid)
        {
            bits = (node.mode >> 3) & 7;
        }
        else
        {
            bits = node.mode & 7;
        }
        return (bits & mask) == mask;
    }

    /**
     * Sticky directories: "a file in that directory can be renamed or deleted only by the owner of the
     * file, by the owner of the directory, and by a privileged process" (inode(7), S_ISVTX).
     */
    private static boolean stickyForbids(final Inode dir, final Inode child, final int uid)
    {
        return (dir.mode & S_ISVTX) != 0 && uid != 0 && uid != child.uid && uid != dir.uid;
    }
}
