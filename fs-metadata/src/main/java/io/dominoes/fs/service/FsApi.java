package io.dominoes.fs.service;

import io.dominoes.fs.state.Attr;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.List;

/**
 * The blocking file-system calls a front end (FUSE) makes, implemented by the replicated
 * {@link FsService} and by the plain single copy {@link LockedFileSystem} (the baseline it is measured
 * against). Results: {@code >= 0} on success, a negated {@link io.dominoes.fs.Errno} on failure; every
 * method is thread safe. See {@link FsService} for each call's contract.
 */
public interface FsApi extends AutoCloseable
{
    long create(int uid, int gid, long parent, String name, int mode, Attr out);

    long mknod(int uid, int gid, long parent, String name, int mode, Attr out);

    long mkdir(int uid, int gid, long parent, String name, int mode, Attr out);

    long symlink(int uid, int gid, long parent, String name, String target, Attr out);

    long link(int uid, int gid, long ino, long newParent, String newName, Attr out);

    int unlink(int uid, int gid, long parent, String name);

    int rmdir(int uid, int gid, long parent, String name);

    int rename(int uid, int gid, long parent, String name, long newParent, String newName, int flags);

    int setattr(int uid, int gid, long ino, int mask, int mode, long newUid, long newGid, long size, long atimeNs,
        long mtimeNs, Attr out);

    int open(int uid, int gid, long ino, int accessMask);

    int release(long ino);

    long write(int uid, int gid, long ino, long offset, DirectBuffer src, int srcOffset, int length);

    int getattr(long ino, Attr out);

    long lookup(int uid, int gid, long parent, String name, Attr out);

    int readdir(int uid, int gid, long ino, List<Request.DirEntry> out);

    /** @return the symlink target, or null if the inode is not a symlink. */
    String readlink(long ino);

    int access(int uid, int gid, long ino, int mask);

    /** @param out {@code out[0]} = inode count, {@code out[1]} = bytes held. */
    void statfs(long[] out);

    long read(long ino, long offset, MutableDirectBuffer dst, int dstOffset, int length);

    /**
     * Resolve an absolute path component by component (no symlink following), as uid 0.
     *
     * @return inode or a negated errno; {@code out} (may be null) holds the result's attributes.
     */
    long resolve(String path, Attr out);

    @Override
    void close();
}
