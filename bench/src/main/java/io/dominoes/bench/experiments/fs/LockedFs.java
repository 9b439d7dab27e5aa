package io.dominoes.bench.experiments.fs;

import io.dominoes.fs.journal.Journal;
import io.dominoes.fs.journal.SyncPolicy;
import io.dominoes.fs.ops.FsOpEncoder;
import io.dominoes.fs.state.Attr;
import io.dominoes.fs.state.FsState;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The conventional baseline: one copy of the same {@link FsState}, guarded by a
 * {@link ReentrantReadWriteLock}. Reads take the read lock; a mutation takes the write lock, gets its
 * sequence number, is appended to the same {@link Journal} (same durability as the replicated
 * service) and applied. Callers' threads do all the work, no hand-off.
 */
final class LockedFs implements MetadataOps
{
    private final FsState state = new FsState(0, 1);
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Journal journal;
    private final ThreadLocal<FsOpEncoder> encoders = ThreadLocal.withInitial(FsOpEncoder::new);
    private long seq;

    LockedFs(final Path dir)
    {
        journal = new Journal(dir, SyncPolicy.NONE);
    }

    private long mutate(final FsOpEncoder encoder, final int length)
    {
        lock.writeLock().lock();
        try
        {
            encoder.flyweight().seq(++seq);
            journal.append(encoder.buffer(), 0, length);
            return state.apply(encoder.flyweight(), length);
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    public long getattr(final long ino, final Attr out)
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

    public long lookup(final long parent, final String name, final Attr out)
    {
        lock.readLock().lock();
        try
        {
            return state.lookup(parent, name, 0, 0, out);
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    public long create(final long parent, final String name, final Attr out)
    {
        final FsOpEncoder e = encoders.get();
        final long ino = mutate(e, e.create(System.nanoTime(), 0, 0, parent, name, 0644));
        if (ino > 0)
        {
            getattr(ino, out);
        }
        return ino;
    }

    public long rename(final long parent, final String name, final long newParent, final String newName)
    {
        final FsOpEncoder e = encoders.get();
        return mutate(e, e.rename(System.nanoTime(), 0, 0, parent, name, newParent, newName, 0));
    }

    public long unlink(final long parent, final String name)
    {
        final FsOpEncoder e = encoders.get();
        return mutate(e, e.unlink(System.nanoTime(), 0, 0, parent, name));
    }

    public void close()
    {
        journal.close();
    }
}
