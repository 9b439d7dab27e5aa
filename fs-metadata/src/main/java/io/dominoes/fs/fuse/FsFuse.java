package io.dominoes.fs.fuse;

import io.dominoes.fs.Errno;
import io.dominoes.fs.FileMode;
import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.SetAttrMask;
import io.dominoes.fs.service.FsApi;
import io.dominoes.fs.service.Request;
import io.dominoes.fs.state.Attr;
import io.dominoes.fs.state.FsState;
import jnr.ffi.Pointer;
import org.agrona.concurrent.UnsafeBuffer;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FUSE front end (libfuse 2 high-level API through jnr-fuse) over an {@link FsApi} (the replicated {@code FsService}, or the plain {@code LockedFileSystem}). Paths are
 * resolved component by component through replicated lookups; open files carry their inode in
 * {@code fh}, so reads and writes go straight to the block owners.
 *
 * <p>Every callback catches everything: a failing request returns {@code -EIO} (and is counted)
 * but never kills the mount. Attribute and entry caching is off ({@code attr_timeout=0,
 * entry_timeout=0}) so the kernel always sees the replicated state.
 *
 * <p>Open-but-unlinked files: libfuse's default (no {@code hard_remove}) renames such a file to
 * {@code .fuse_hidden*} until it is released; the service's open count keeps the inode alive too.
 */
public final class FsFuse extends FuseStubFS
{
    /** Mount options: permission checks in the kernel, other users, inode numbers, no caching. */
    public static final String[] MOUNT_OPTIONS = {
        "-o", "default_permissions,allow_other,use_ino,attr_timeout=0,entry_timeout=0,negative_timeout=0," +
        "big_writes,max_write=131072,fsname=dominoes,subtype=dominoes",
    };

    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final long TOTAL_BYTES = 1L << 40;

    private final FsApi fs;
    private final AtomicLong failedRequests = new AtomicLong();
    private final ThreadLocal<UnsafeBuffer> views = ThreadLocal.withInitial(() -> new UnsafeBuffer(0, 0));

    /**
     * @param fs service to serve.
     */
    public FsFuse(final FsApi fs)
    {
        this.fs = fs;
    }

    /**
     * @param mountPoint directory.
     * @param blocking   true to serve on this thread until unmounted.
     */
    public void mountAt(final Path mountPoint, final boolean blocking)
    {
        mount(mountPoint, blocking, false, MOUNT_OPTIONS);
    }

    /**
     * @return requests that failed with an unexpected exception (answered with -EIO).
     */
    public long failedRequests()
    {
        return failedRequests.get();
    }

    private int uid()
    {
        final FuseContext c = getContext();
        return (int)c.uid.get();
    }

    private int gid()
    {
        final FuseContext c = getContext();
        return (int)c.gid.get();
    }

    private int fail(final Throwable t)
    {
        failedRequests.incrementAndGet();
        System.err.println("dominoes fs: request failed: " + t);
        return -Errno.EIO;
    }

    private long resolve(final String path, final Attr attr)
    {
        return fs.resolve(path, attr);
    }

    private long parentOf(final String path)
    {
        final int slash = path.lastIndexOf('/');
        return fs.resolve(slash <= 0 ? "/" : path.substring(0, slash), null);
    }

    private static String leaf(final String path)
    {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void fill(final Attr a, final FileStat stat)
    {
        stat.st_ino.set(a.ino);
        stat.st_mode.set(a.mode);
        stat.st_nlink.set(a.nlink);
        stat.st_uid.set(a.uid);
        stat.st_gid.set(a.gid);
        stat.st_size.set(a.size);
        stat.st_blocks.set(a.blocks512());
        stat.st_blksize.set(FsLimits.BLOCK_SIZE);
        stat.st_atim.tv_sec.set(a.atimeNs / 1_000_000_000L);
        stat.st_atim.tv_nsec.set(a.atimeNs % 1_000_000_000L);
        stat.st_mtim.tv_sec.set(a.mtimeNs / 1_000_000_000L);
        stat.st_mtim.tv_nsec.set(a.mtimeNs % 1_000_000_000L);
        stat.st_ctim.tv_sec.set(a.ctimeNs / 1_000_000_000L);
        stat.st_ctim.tv_nsec.set(a.ctimeNs % 1_000_000_000L);
    }

    @Override
    public int getattr(final String path, final FileStat stat)
    {
        try
        {
            final Attr a = new Attr();
            final long ino = resolve(path, a);
            if (ino < 0)
            {
                return (int)ino;
            }
            fill(a, stat);
            return 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int fgetattr(final String path, final FileStat stat, final FuseFileInfo fi)
    {
        try
        {
            final Attr a = new Attr();
            final int r = fs.getattr(fi.fh.get(), a);
            if (r < 0)
            {
                return r;
            }
            fill(a, stat);
            return 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int readdir(final String path, final Pointer buf, final FuseFillDir filter, final long offset,
        final FuseFileInfo fi)
    {
        try
        {
            final long ino = resolve(path, null);
            if (ino < 0)
            {
                return (int)ino;
            }
            final List<Request.DirEntry> entries = new ArrayList<>();
            final int r = fs.readdir(uid(), gid(), ino, entries);
            if (r < 0)
            {
                return r;
            }
            for (final Request.DirEntry e : entries)
            {
                filter.apply(buf, e.name, null, 0);
            }
            return 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int readlink(final String path, final Pointer buf, final long size)
    {
        try
        {
            final long ino = resolve(path, null);
            if (ino < 0)
            {
                return (int)ino;
            }
            final String target = fs.readlink(ino);
            if (null == target)
            {
                return -Errno.EINVAL;
            }
            final byte[] b = target.getBytes(StandardCharsets.UTF_8);
            final int n = (int)Math.min(b.length, size - 1);
            buf.put(0, b, 0, n);
            buf.putByte(n, (byte)0);
            return 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int mknod(final String path, final long mode, final long rdev)
    {
        try
        {
            if (!FileMode.isRegular((int)mode))
            {
                return -Errno.EPERM;
            }
            final long parent = parentOf(path);
            if (parent < 0)
            {
                return (int)parent;
            }
            final long r = fs.mknod(uid(), gid(), parent, leaf(path), (int)mode, null);
            return r < 0 ? (int)r : 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int create(final String path, final long mode, final FuseFileInfo fi)
    {
        try
        {
            final long parent = parentOf(path);
            if (parent < 0)
            {
                return (int)parent;
            }
            final long ino = fs.create(uid(), gid(), parent, leaf(path), (int)mode, null);
            if (ino < 0)
            {
                return (int)ino;
            }
            final int r = fs.open(uid(), gid(), ino, 0);
            if (r < 0)
            {
                return r;
            }
            fi.fh.set(ino);
            return 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int mkdir(final String path, final long mode)
    {
        try
        {
            final long parent = parentOf(path);
            if (parent < 0)
            {
                return (int)parent;
            }
            final long r = fs.mkdir(uid(), gid(), parent, leaf(path), (int)mode, null);
            return r < 0 ? (int)r : 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int unlink(final String path)
    {
        try
        {
            final long parent = parentOf(path);
            return parent < 0 ? (int)parent : fs.unlink(uid(), gid(), parent, leaf(path));
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int rmdir(final String path)
    {
        try
        {
            final long parent = parentOf(path);
            return parent < 0 ? (int)parent : fs.rmdir(uid(), gid(), parent, leaf(path));
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int symlink(final String target, final String linkPath)
    {
        try
        {
            final long parent = parentOf(linkPath);
            if (parent < 0)
            {
                return (int)parent;
            }
            final long r = fs.symlink(uid(), gid(), parent, leaf(linkPath), target, null);
            return r < 0 ? (int)r : 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int rename(final String oldPath, final String newPath)
    {
        try
        {
            final long from = parentOf(oldPath);
            final long to = parentOf(newPath);
            if (from < 0 || to < 0)
            {
                return (int)Math.min(from, to);
            }
            return fs.rename(uid(), gid(), from, leaf(oldPath), to, leaf(newPath), 0);
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int link(final String oldPath, final String newPath)
    {
        try
        {
            final long ino = resolve(oldPath, null);
            final long parent = parentOf(newPath);
            if (ino < 0 || parent < 0)
            {
                return (int)Math.min(ino, parent);
            }
            final long r = fs.link(uid(), gid(), ino, parent, leaf(newPath), null);
            return r < 0 ? (int)r : 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int chmod(final String path, final long mode)
    {
        return setattr(path, SetAttrMask.MODE, (int)mode, 0, 0, 0, 0, 0);
    }

    @Override
    public int chown(final String path, final long uid, final long gid)
    {
        int mask = 0;
        if ((int)uid != -1)
        {
            mask |= SetAttrMask.UID;
        }
        if ((int)gid != -1)
        {
            mask |= SetAttrMask.GID;
        }
        return mask == 0 ? 0 : setattr(path, mask, 0, uid & 0xFFFF_FFFFL, gid & 0xFFFF_FFFFL, 0, 0, 0);
    }

    @Override
    public int truncate(final String path, final long size)
    {
        return setattr(path, SetAttrMask.SIZE, 0, 0, 0, size, 0, 0);
    }

    @Override
    public int ftruncate(final String path, final long size, final FuseFileInfo fi)
    {
        try
        {
            return fs.setattr(uid(), gid(), fi.fh.get(), SetAttrMask.SIZE | FsState.SETATTR_VIA_HANDLE, 0, 0, 0,
                size, 0, 0, null);
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int utimens(final String path, final Timespec[] timespec)
    {
        int mask = 0;
        long atime = 0;
        long mtime = 0;
        final long aNs = timespec[0].tv_nsec.longValue();
        final long mNs = timespec[1].tv_nsec.longValue();
        if (aNs == UTIME_NOW)
        {
            mask |= SetAttrMask.ATIME_NOW;
        }
        else if (aNs != UTIME_OMIT)
        {
            mask |= SetAttrMask.ATIME;
            atime = timespec[0].tv_sec.get() * 1_000_000_000L + aNs;
        }
        if (mNs == UTIME_NOW)
        {
            mask |= SetAttrMask.MTIME_NOW;
        }
        else if (mNs != UTIME_OMIT)
        {
            mask |= SetAttrMask.MTIME;
            mtime = timespec[1].tv_sec.get() * 1_000_000_000L + mNs;
        }
        return mask == 0 ? 0 : setattr(path, mask, 0, 0, 0, 0, atime, mtime);
    }

    private int setattr(final String path, final int mask, final int mode, final long newUid, final long newGid,
        final long size, final long atime, final long mtime)
    {
        try
        {
            final long ino = resolve(path, null);
            if (ino < 0)
            {
                return (int)ino;
            }
            return fs.setattr(uid(), gid(), ino, mask, mode, newUid, newGid, size, atime, mtime, null);
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int open(final String path, final FuseFileInfo fi)
    {
        try
        {
            final long ino = resolve(path, null);
            if (ino < 0)
            {
                return (int)ino;
            }
            // The kernel checked access (default_permissions); register the handle only.
            final int r = fs.open(uid(), gid(), ino, 0);
            if (r < 0)
            {
                return r;
            }
            fi.fh.set(ino);
            return 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int release(final String path, final FuseFileInfo fi)
    {
        try
        {
            fs.release(fi.fh.get());
            return 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int read(final String path, final Pointer buf, final long size, final long offset, final FuseFileInfo fi)
    {
        try
        {
            final UnsafeBuffer view = views.get();
            view.wrap(buf.address(), (int)size);
            final long n = fs.read(fi.fh.get(), offset, view, 0, (int)size);
            return (int)n;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int write(final String path, final Pointer buf, final long size, final long offset, final FuseFileInfo fi)
    {
        try
        {
            final byte[] data = new byte[(int)size];
            buf.get(0, data, 0, (int)size);
            final long n = fs.write(uid(), gid(), fi.fh.get(), offset, new UnsafeBuffer(data), 0, (int)size);
            return (int)n;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int statfs(final String path, final Statvfs stbuf)
    {
        try
        {
            final long[] s = new long[2];
            fs.statfs(s);
            final long blocks = TOTAL_BYTES / 4096;
            stbuf.f_bsize.set(4096);
            stbuf.f_frsize.set(4096);
            stbuf.f_blocks.set(blocks);
            stbuf.f_bfree.set(Math.max(0, blocks - s[1] / 4096));
            stbuf.f_bavail.set(Math.max(0, blocks - s[1] / 4096));
            stbuf.f_files.set(1L << 32);
            stbuf.f_ffree.set((1L << 32) - s[0]);
            stbuf.f_favail.set((1L << 32) - s[0]);
            stbuf.f_namemax.set(FsLimits.NAME_MAX);
            return 0;
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }

    @Override
    public int flush(final String path, final FuseFileInfo fi)
    {
        return 0;
    }

    @Override
    public int fsync(final String path, final int isdatasync, final FuseFileInfo fi)
    {
        // Every acknowledged write is already in the journal (and forced under SyncPolicy.SYNC).
        return 0;
    }

    @Override
    public int access(final String path, final int mask)
    {
        try
        {
            final long ino = resolve(path, null);
            return ino < 0 ? (int)ino : fs.access(uid(), gid(), ino, mask);
        }
        catch (final Throwable t)
        {
            return fail(t);
        }
    }
}
