package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.FsOpEncoder;
import io.dominoes.fs.state.Attr;
import io.dominoes.fs.state.FsState;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The plain single-copy file system the replicated service is measured against: one {@link FsState}
 * guarded by a {@link ReentrantReadWriteLock}, all work on the caller's thread, no replicas, no channel and
 * <b>no journal</b> (nothing is durable; it is a baseline for speed, not a product). Mutations are the same
 * op records applied with the next sequence number under the write lock; getattr, lookup, readlink and
 * access take the read lock; readdir and block reads take the write lock (FsState's checksum scratch and
 * directory iterators are single-threaded).
 */
public final class LockedFileSystem implements FsApi
{
    private final FsState state = new FsState(0, 1);
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ThreadLocal<FsOpEncoder> encoders = ThreadLocal.withInitial(FsOpEncoder::new);
    private final ThreadLocal<byte[]> blocks = ThreadLocal.withInitial(() -> new byte[FsLimits.BLOCK_SIZE]);
    private final EpochNanoClock clock;
    private long seq;

    public LockedFileSystem()
    {
        this(new SystemEpochNanoClock());
    }

    /** @param clock stamps each mutation's time. */
    public LockedFileSystem(final EpochNanoClock clock)
    {
        this.clock = clock;
    }

    private long apply(final FsOpEncoder e, final int length, final Attr out, final boolean attrOfResult)
    {
        lock.writeLock().lock();
        try
        {
            e.flyweight().seq(++seq);
            final long result = state.apply(e.flyweight(), length);
            if (result >= 0 && null != out)
            {
                state.getattr(attrOfResult ? result : e.flyweight().ino(), out);
            }
            return result;
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    private static boolean fits(final String name)
    {
        return FsService.nameFits(name);
    }

    public long create(final int uid, final int gid, final long parent, final String name, final int mode, final Attr out)
    {
        final FsOpEncoder e = encoders.get();
        return fits(name) ? apply(e, e.create(clock.nanoTime(), uid, gid, parent, name, mode), out, true) :
            -Errno.ENAMETOOLONG;
    }

    public long mknod(final int uid, final int gid, final long parent, final String name, final int mode, final Attr out)
    {
        final FsOpEncoder e = encoders.get();
        return fits(name) ? apply(e, e.mknod(clock.nanoTime(), uid, gid, parent, name, mode), out, true) :
            -Errno.ENAMETOOLONG;
    }

    public long mkdir(final int uid, final int gid, final long parent, final String name, final int mode, final Attr out)
    {
        final FsOpEncoder e = encoders.get();
        return fits(name) ? apply(e, e.mkdir(clock.nanoTime(), uid, gid, parent, name, mode), out, true) :
            -Errno.ENAMETOOLONG;
    }

    public long symlink(final int uid, final int gid, final long parent, final String name, final String target,
        final Attr out)
    {
        final FsOpEncoder e = encoders.get();
        return fits(name) && fits(target) ?
            apply(e, e.symlink(clock.nanoTime(), uid, gid, parent, name, target), out, true) : -Errno.ENAMETOOLONG;
    }

    public long link(final int uid, final int gid, final long ino, final long newParent, final String newName,
        final Attr out)
    {
        final FsOpEncoder e = encoders.get();
        return fits(newName) ? apply(e, e.link(clock.nanoTime(), uid, gid, ino, newParent, newName), out, true) :
            -Errno.ENAMETOOLONG;
    }

    public int unlink(final int uid, final int gid, final long parent, final String name)
    {
        final FsOpEncoder e = encoders.get();
        return fits(name) ? (int)apply(e, e.unlink(clock.nanoTime(), uid, gid, parent, name), null, false) :
            -Errno.ENAMETOOLONG;
    }

    public int rmdir(final int uid, final int gid, final long parent, final String name)
    {
        final FsOpEncoder e = encoders.get();
        return fits(name) ? (int)apply(e, e.rmdir(clock.nanoTime(), uid, gid, parent, name), null, false) :
            -Errno.ENAMETOOLONG;
    }

    public int rename(final int uid, final int gid, final long parent, final String name, final long newParent,
        final String newName, final int flags)
    {
        final FsOpEncoder e = encoders.get();
        return fits(name) && fits(newName) ? (int)apply(e,
            e.rename(clock.nanoTime(), uid, gid, parent, name, newParent, newName, flags), null, false) :
            -Errno.ENAMETOOLONG;
    }

    public int setattr(final int uid, final int gid, final long ino, final int mask, final int mode, final long newUid,
        final long newGid, final long size, final long atimeNs, final long mtimeNs, final Attr out)
    {
        final FsOpEncoder e = encoders.get();
        return (int)apply(e, e.setattr(clock.nanoTime(), uid, gid, ino, mask, mode, newUid, newGid, size, atimeNs,
            mtimeNs), out, false);
    }

    public int open(final int uid, final int gid, final long ino, final int accessMask)
    {
        final FsOpEncoder e = encoders.get();
        return (int)apply(e, e.open(clock.nanoTime(), uid, gid, ino, accessMask), null, false);
    }

    public int release(final long ino)
    {
        final FsOpEncoder e = encoders.get();
        return (int)apply(e, e.release(clock.nanoTime(), ino), null, false);
    }

    public long write(final int uid, final int gid, final long ino, final long offset, final DirectBuffer src,
        final int srcOffset, final int length)
    {
        if (length < 0 || offset < 0)
        {
            return -Errno.EINVAL;
        }
        final FsOpEncoder e = encoders.get();
        long done = 0;
        while (done < length)
        {
            final long pos = offset + done;
            final int chunk = (int)Math.min(length - done, FsLimits.BLOCK_SIZE - pos % FsLimits.BLOCK_SIZE);
            final long result = apply(e, e.write(clock.nanoTime(), uid, gid, ino, pos, src, srcOffset + (int)done,
                chunk), null, false);
            if (result < 0)
            {
                return done > 0 ? done : result;
            }
            done += chunk;
        }
        return done;
    }

    public int getattr(final long ino, final Attr out)
    {
        lock.readLock().lock();
        try
        {
            return state.getattr(ino, out);
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    public long lookup(final int uid, final int gid, final long parent, final String name, final Attr out)
    {
        if (!fits(name))
        {
            return -Errno.ENAMETOOLONG;
        }
        // FsState keys names by their UTF-8 bytes held as ISO-8859-1 chars (what op records decode to).
        final String key = new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        lock.readLock().lock();
        try
        {
            return state.lookup(parent, key, uid, gid, null == out ? new Attr() : out);
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    public int readdir(final int uid, final int gid, final long ino, final List<Request.DirEntry> out)
    {
        lock.writeLock().lock();
        try
        {
            return state.readdir(ino, uid, gid, (name, entry, mode) -> out.add(new Request.DirEntry(
                new String(name.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), entry, mode)));
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    public String readlink(final long ino)
    {
        lock.readLock().lock();
        try
        {
            final byte[] target = state.readlink(ino);
            return null == target ? null : new String(target, StandardCharsets.UTF_8);
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    public int access(final int uid, final int gid, final long ino, final int mask)
    {
        lock.readLock().lock();
        try
        {
            return state.access(ino, uid, gid, mask);
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    public void statfs(final long[] out)
    {
        lock.writeLock().lock();
        try
        {
            out[0] = state.inodeCount();
            out[1] = state.logicalBytes();
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    public long read(final long ino, final long offset, final MutableDirectBuffer dst, final int dstOffset,
        final int length)
    {
        if (length < 0 || offset < 0)
        {
            return -Errno.EINVAL;
        }
        final byte[] block = blocks.get();
        long done = 0;
        while (done < length)
        {
            final long pos = offset + done;
            final int chunk = (int)Math.min(length - done, FsLimits.BLOCK_SIZE - pos % FsLimits.BLOCK_SIZE);
            final int n;
            lock.writeLock().lock();
            try
            {
                n = state.readBlock(ino, pos, chunk, block, 0);
            }
            finally
            {
                lock.writeLock().unlock();
            }
            if (n < 0)
            {
                return done > 0 ? done : n;
            }
            dst.putBytes(dstOffset + (int)done, block, 0, n);
            done += n;
            if (n < chunk)
            {
                break;
            }
        }
        return done;
    }

    public long resolve(final String path, final Attr out)
    {
        long ino = FsLimits.ROOT_INO;
        final Attr attr = null == out ? new Attr() : out;
        getattr(ino, attr);
        for (final String part : path.split("/"))
        {
            if (part.isEmpty())
            {
                continue;
            }
            ino = lookup(0, 0, ino, part, attr);
            if (ino < 0)
            {
                return ino;
            }
        }
        return ino;
    }

    public void close()
    {
    }
}
