package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.FsLimits;
import io.dominoes.fs.journal.Journal;
import io.dominoes.fs.journal.SyncPolicy;
import io.dominoes.fs.ops.FsOpEncoder;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.state.Attr;
import io.dominoes.fs.state.BlockPartitioner;
import io.dominoes.fs.state.FsSnapshot;
import io.dominoes.fs.state.FsState;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The replicated file-system service with a blocking client API, used by tests, the FUSE front end
 * and benchmarks.
 *
 * <p>Mutations: the caller's thread encodes the op (with its credentials and the current time from
 * the injected clock), the sequencer assigns the next sequence number and appends the record to the
 * {@link Journal} under one lock, every replica applies it in journal order, and one designated
 * replica completes the call. A mutation is therefore acknowledged only once it is in the journal
 * (and forced to disk first under {@link SyncPolicy#SYNC}).
 *
 * <p>Reads never touch the journal: each is routed to one replica (metadata reads by inode, block
 * reads to the block's owner), which serves it from its own copy once it has applied every mutation
 * appended before the read started, so a client always reads its own acknowledged writes.
 *
 * <p>All methods are thread safe. Results: {@code >= 0} on success, a negated {@link Errno} on
 * failure. Recovery: {@link #open} loads the snapshot, replays the journal after it, then appends a
 * CLEAR_OPENS op so files left open-but-unlinked by the previous process are freed.
 */
public final class FsService implements AutoCloseable
{
    /** Concurrent calls in flight; more callers wait for a free request context. */
    public static final int MAX_REQUESTS = 256;

    private static final String SNAPSHOT_FILE = "snapshot.bin";
    private static final String JOURNAL_DIR = "journal";

    private final Context ctx;
    private final Journal journal;
    private final FsReplica[] replicas;
    private final Request[] requests = new Request[MAX_REQUESTS];
    private final ManyToManyConcurrentArrayQueue<Request> free = new ManyToManyConcurrentArrayQueue<>(MAX_REQUESTS);
    private final Object appendLock = new Object();
    private final FsOpFlyweight validator = new FsOpFlyweight();
    private volatile long lastAppendedSeq;
    private volatile Throwable replicaFailure;
    private long lastSeq;
    private long lastIndex;
    private long opsSinceSnapshot;
    private boolean closed;

    /**
     * Configuration, validated once by {@link #conclude()}.
     */
    public static final class Context
    {
        private Path directory;
        private int replicas = 1;
        private SyncPolicy syncPolicy = SyncPolicy.NONE;
        private long snapshotEveryOps = 100_000;
        private boolean snapshotOnClose = true;
        private EpochNanoClock clock = new SystemEpochNanoClock();

        /** @param dir holding the journal and snapshot; created if missing. @return this. */
        public Context directory(final Path dir)
        {
            this.directory = dir;
            return this;
        }

        /** @param count replicas (threads with a private copy), {@code >= 1}. @return this. */
        public Context replicas(final int count)
        {
            this.replicas = count;
            return this;
        }

        /** @param policy journal sync policy; default {@link SyncPolicy#NONE}. @return this. */
        public Context syncPolicy(final SyncPolicy policy)
        {
            this.syncPolicy = policy;
            return this;
        }

        /** @param ops take a snapshot after this many mutations; 0 disables. @return this. */
        public Context snapshotEveryOps(final long ops)
        {
            this.snapshotEveryOps = ops;
            return this;
        }

        /** @param enabled take a snapshot on a clean close (default true). @return this. */
        public Context snapshotOnClose(final boolean enabled)
        {
            this.snapshotOnClose = enabled;
            return this;
        }

        /** @param clock source of the time stamped into each op. @return this. */
        public Context clock(final EpochNanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        /**
         * @return this, validated.
         * @throws IllegalArgumentException naming the bad value.
         */
        public Context conclude()
        {
            if (null == directory)
            {
                throw new IllegalArgumentException("directory is required");
            }
            if (replicas < 1 || replicas > 256)
            {
                throw new IllegalArgumentException("replicas " + replicas + " outside 1..256");
            }
            if (snapshotEveryOps < 0)
            {
                throw new IllegalArgumentException("snapshotEveryOps " + snapshotEveryOps + " < 0");
            }
            if (null == syncPolicy || null == clock)
            {
                throw new IllegalArgumentException("syncPolicy and clock must not be null");
            }
            return this;
        }
    }

    private FsService(final Context ctx) throws IOException
    {
        this.ctx = ctx;
        Files.createDirectories(ctx.directory);
        final int n = ctx.replicas;
        final Path snapshot = ctx.directory.resolve(SNAPSHOT_FILE);
        final FsState[] states = new FsState[n];
        final FsSnapshot.Header header = new FsSnapshot.Header();
        final boolean haveSnapshot = Files.exists(snapshot);
        for (int i = 0; i < n; i++)
        {
            states[i] = haveSnapshot ? FsSnapshot.read(snapshot, i, n, header) : new FsState(i, n);
        }
        journal = new Journal(ctx.directory.resolve(JOURNAL_DIR), ctx.syncPolicy);
        lastSeq = header.lastSeq;
        lastIndex = header.journalIndex;
        final FsOpFlyweight last = new FsOpFlyweight();
        journal.readLast((buffer, offset, length, index) ->
        {
            last.wrap(buffer, offset, length);
            if (last.validate(length) == FsOpFlyweight.VALID && last.seq() > lastSeq)
            {
                lastSeq = last.seq();
                lastIndex = index;
            }
        });
        for (int i = 0; i < MAX_REQUESTS; i++)
        {
            requests[i] = new Request(i);
            free.offer(requests[i]);
        }
        replicas = new FsReplica[n];
        for (int i = 0; i < n; i++)
        {
            final Journal.Reader reader = journal.newReader();
            if (haveSnapshot && header.lastSeq > 0 && !reader.moveAfter(header.journalIndex))
            {
                // Fall back to a full scan: replicas skip records their snapshot already holds.
                reader.close();
                replicas[i] = new FsReplica(this, states[i], journal.newReader(), lastSeq);
            }
            else
            {
                replicas[i] = new FsReplica(this, states[i], reader, lastSeq);
            }
        }
        lastAppendedSeq = lastSeq;
        for (int i = 0; i < n; i++)
        {
            replicas[i].start("fs-replica-" + i);
        }
        awaitApplied(lastSeq);
        final Request r = acquire();
        try
        {
            mutate(r, r.encoder.clearOpens(now()));
        }
        finally
        {
            release(r);
        }
    }

    /**
     * Open (recover or create) a file system.
     *
     * @param ctx configuration.
     * @return the running service.
     * @throws UncheckedIOException if the journal or snapshot cannot be read.
     */
    public static FsService open(final Context ctx)
    {
        try
        {
            return new FsService(ctx.conclude());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public int replicaCount()
    {
        return replicas.length;
    }

    long lastAppendedSeq()
    {
        return lastAppendedSeq;
    }

    Request request(final int slot)
    {
        return slot >= 0 && slot < MAX_REQUESTS ? requests[slot] : null;
    }

    void replicaFailed(final FsReplica replica, final Throwable t)
    {
        replicaFailure = t;
        t.printStackTrace();
    }

    private long now()
    {
        return ctx.clock.nanoTime();
    }

    private Request acquire()
    {
        Request r;
        while (null == (r = free.poll()))
        {
            Thread.yield();
        }
        r.waiter = Thread.currentThread();
        return r;
    }

    private void release(final Request r)
    {
        r.name = null;
        free.offer(r);
    }

    private long mutate(final Request r, final int length)
    {
        final FsOpFlyweight op = r.encoder.flyweight();
        op.replySlot(r.slot);
        final long seq;
        final boolean snapshotDue;
        synchronized (appendLock)
        {
            if (closed)
            {
                throw new IllegalStateException("file system is closed");
            }
            validator.wrap(r.encoder.buffer(), 0, length);
            if (validator.validate(length) != FsOpFlyweight.VALID)
            {
                return -Errno.EINVAL;
            }
            seq = ++lastSeq;
            op.seq(seq);
            r.expectedSeq = seq;
            lastIndex = journal.append(r.encoder.buffer(), 0, length);
            // Volatile store after the append; replicas' idle check loads it (see FsReplica.idle).
            lastAppendedSeq = seq;
            snapshotDue = ctx.snapshotEveryOps > 0 && ++opsSinceSnapshot >= ctx.snapshotEveryOps;
            if (snapshotDue)
            {
                opsSinceSnapshot = 0;
            }
        }
        for (final FsReplica replica : replicas)
        {
            replica.wake();
        }
        await(r, seq);
        final long result = r.result;
        if (snapshotDue)
        {
            snapshot();
        }
        return result;
    }

    private long read(final Request r, final int replica)
    {
        r.minSeq = lastAppendedSeq;
        final long expected = r.expectedSeq = r.expectedSeq < 0 ? r.expectedSeq - 1 : -1;
        final FsReplica target = replicas[replica];
        while (!target.offerRead(r))
        {
            Thread.yield();
        }
        target.wake();
        await(r, expected);
        return r.result;
    }

    private void await(final Request r, final long expected)
    {
        // Acquire: completedSeq is stored last by the replier, after the result fields.
        while (r.completedSeq != expected)
        {
            final Throwable failure = replicaFailure;
            if (null != failure)
            {
                throw new IllegalStateException("replica failed", failure);
            }
            LockSupport.parkNanos(this, 100_000);
        }
    }

    private int metadataReplica(final long ino)
    {
        return BlockPartitioner.owner(ino, -1, replicas.length);
    }

    // ------------------------------------------------------------------------------------------ mutations

    private static boolean nameFits(final String... names)
    {
        for (final String name : names)
        {
            if (null != name && name.length() * 3 > FsOpFlyweight.MAX_NAME_FIELD &&
                name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > FsOpFlyweight.MAX_NAME_FIELD)
            {
                return false;
            }
        }
        return true;
    }

    private long mutateWithAttr(final Request r, final int length, final Attr out)
    {
        final long result = mutate(r, length);
        if (result >= 0 && null != out)
        {
            out.copyFrom(r.attr);
        }
        return result;
    }

    public long create(final int uid, final int gid, final long parent, final String name, final int mode,
        final Attr out)
    {
        if (!nameFits(name))
        {
            return -Errno.ENAMETOOLONG;
        }
        final Request r = acquire();
        try
        {
            return mutateWithAttr(r, r.encoder.create(now(), uid, gid, parent, name, mode), out);
        }
        finally
        {
            release(r);
        }
    }

    public long mknod(final int uid, final int gid, final long parent, final String name, final int mode,
        final Attr out)
    {
        if (!nameFits(name))
        {
            return -Errno.ENAMETOOLONG;
        }
        final Request r = acquire();
        try
        {
            return mutateWithAttr(r, r.encoder.mknod(now(), uid, gid, parent, name, mode), out);
        }
        finally
        {
            release(r);
        }
    }

    public long mkdir(final int uid, final int gid, final long parent, final String name, final int mode,
        final Attr out)
    {
        if (!nameFits(name))
        {
            return -Errno.ENAMETOOLONG;
        }
        final Request r = acquire();
        try
        {
            return mutateWithAttr(r, r.encoder.mkdir(now(), uid, gid, parent, name, mode), out);
        }
        finally
        {
            release(r);
        }
    }

    public long symlink(final int uid, final int gid, final long parent, final String name, final String target,
        final Attr out)
    {
        if (!nameFits(name, target))
        {
            return -Errno.ENAMETOOLONG;
        }
        final Request r = acquire();
        try
        {
            return mutateWithAttr(r, r.encoder.symlink(now(), uid, gid, parent, name, target), out);
        }
        finally
        {
            release(r);
        }
    }

    public long link(final int uid, final int gid, final long ino, final long newParent, final String newName,
        final Attr out)
    {
        if (!nameFits(newName))
        {
            return -Errno.ENAMETOOLONG;
        }
        final Request r = acquire();
        try
        {
            return mutateWithAttr(r, r.encoder.link(now(), uid, gid, ino, newParent, newName), out);
        }
        finally
        {
            release(r);
        }
    }

    public int unlink(final int uid, final int gid, final long parent, final String name)
    {
        if (!nameFits(name))
        {
            return -Errno.ENAMETOOLONG;
        }
        final Request r = acquire();
        try
        {
            return (int)mutate(r, r.encoder.unlink(now(), uid, gid, parent, name));
        }
        finally
        {
            release(r);
        }
    }

    public int rmdir(final int uid, final int gid, final long parent, final String name)
    {
        if (!nameFits(name))
        {
            return -Errno.ENAMETOOLONG;
        }
        final Request r = acquire();
        try
        {
            return (int)mutate(r, r.encoder.rmdir(now(), uid, gid, parent, name));
        }
        finally
        {
            release(r);
        }
    }

    public int rename(final int uid, final int gid, final long parent, final String name, final long newParent,
        final String newName, final int flags)
    {
        if (!nameFits(name, newName))
        {
            return -Errno.ENAMETOOLONG;
        }
        final Request r = acquire();
        try
        {
            return (int)mutate(r, r.encoder.rename(now(), uid, gid, parent, name, newParent, newName, flags));
        }
        finally
        {
            release(r);
        }
    }

    /**
     * @param mask {@link io.dominoes.fs.ops.SetAttrMask} bits, plus FsState.SETATTR_VIA_HANDLE.
     * @return 0 or a negated errno; out holds the new attributes on success.
     */
    public int setattr(final int uid, final int gid, final long ino, final int mask, final int mode,
        final long newUid, final long newGid, final long size, final long atimeNs, final long mtimeNs, final Attr out)
    {
        final Request r = acquire();
        try
        {
            return (int)mutateWithAttr(r, r.encoder.setattr(now(), uid, gid, ino, mask, mode, newUid, newGid, size,
                atimeNs, mtimeNs), out);
        }
        finally
        {
            release(r);
        }
    }

    /**
     * Register an open handle: an open file survives unlink until {@link #release(long)}.
     *
     * @param accessMask R_OK/W_OK checked against the caller.
     * @return 0 or a negated errno.
     */
    public int open(final int uid, final int gid, final long ino, final int accessMask)
    {
        final Request r = acquire();
        try
        {
            return (int)mutate(r, r.encoder.open(now(), uid, gid, ino, accessMask));
        }
        finally
        {
            release(r);
        }
    }

    public int release(final long ino)
    {
        final Request r = acquire();
        try
        {
            return (int)mutate(r, r.encoder.release(now(), ino));
        }
        finally
        {
            release(r);
        }
    }

    /**
     * Write bytes, split at block boundaries into one replicated op per block.
     *
     * @return bytes written, or a negated errno if nothing was written.
     */
    public long write(final int uid, final int gid, final long ino, final long offset, final DirectBuffer src,
        final int srcOffset, final int length)
    {
        if (length < 0 || offset < 0)
        {
            return -Errno.EINVAL;
        }
        final Request r = acquire();
        try
        {
            long done = 0;
            while (done < length)
            {
                final long pos = offset + done;
                final int inBlock = (int)(pos % FsLimits.BLOCK_SIZE);
                final int chunk = (int)Math.min(length - done, FsLimits.BLOCK_SIZE - inBlock);
                final long result = mutate(r, r.encoder.write(now(), uid, gid, ino, pos, src,
                    srcOffset + (int)done, chunk));
                if (result < 0)
                {
                    return done > 0 ? done : result;
                }
                done += chunk;
            }
            return done;
        }
        finally
        {
            release(r);
        }
    }

    // ------------------------------------------------------------------------------------------ reads

    public int getattr(final long ino, final Attr out)
    {
        final Request r = acquire();
        try
        {
            r.readType = Request.READ_GETATTR;
            r.ino = ino;
            final int result = (int)read(r, metadataReplica(ino));
            if (result >= 0)
            {
                out.copyFrom(r.attr);
            }
            return result;
        }
        finally
        {
            release(r);
        }
    }

    public long lookup(final int uid, final int gid, final long parent, final String name, final Attr out)
    {
        final Request r = acquire();
        try
        {
            r.readType = Request.READ_LOOKUP;
            r.ino = parent;
            r.uid = uid;
            r.gid = gid;
            final byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            r.name = new String(utf8, java.nio.charset.StandardCharsets.ISO_8859_1);
            final long result = read(r, metadataReplica(parent));
            if (result >= 0 && null != out)
            {
                out.copyFrom(r.attr);
            }
            return result;
        }
        finally
        {
            release(r);
        }
    }

    /**
     * @param out receives ".", ".." and the entries (names decoded as UTF-8).
     * @return entry count or a negated errno.
     */
    public int readdir(final int uid, final int gid, final long ino, final List<Request.DirEntry> out)
    {
        final Request r = acquire();
        try
        {
            r.readType = Request.READ_READDIR;
            r.ino = ino;
            r.uid = uid;
            r.gid = gid;
            final int result = (int)read(r, metadataReplica(ino));
            if (result >= 0)
            {
                out.addAll(r.entries);
            }
            r.entries.clear();
            return result;
        }
        finally
        {
            release(r);
        }
    }

    /**
     * @return the symlink target (UTF-8 decoded), or null if the inode is not a symlink.
     */
    public String readlink(final long ino)
    {
        final Request r = acquire();
        try
        {
            r.readType = Request.READ_READLINK;
            r.ino = ino;
            final long result = read(r, metadataReplica(ino));
            return result < 0 ? null : new String(r.link, java.nio.charset.StandardCharsets.UTF_8);
        }
        finally
        {
            r.link = null;
            release(r);
        }
    }

    public int access(final int uid, final int gid, final long ino, final int mask)
    {
        final Request r = acquire();
        try
        {
            r.readType = Request.READ_ACCESS;
            r.ino = ino;
            r.uid = uid;
            r.gid = gid;
            r.mask = mask;
            return (int)read(r, metadataReplica(ino));
        }
        finally
        {
            release(r);
        }
    }

    /**
     * @param out {@code out[0]} = inode count, {@code out[1]} = bytes held (sum of file sizes).
     */
    public void statfs(final long[] out)
    {
        final Request r = acquire();
        try
        {
            r.readType = Request.READ_STATFS;
            out[0] = read(r, 0);
            out[1] = r.offset;
        }
        finally
        {
            release(r);
        }
    }

    /**
     * Read file bytes; each block's share is served (and checksum-verified) by its owner replica.
     *
     * @return bytes read (short at end of file) or a negated errno (-EIO on a bad checksum).
     */
    public long read(final long ino, final long offset, final MutableDirectBuffer dst, final int dstOffset,
        final int length)
    {
        if (length < 0 || offset < 0)
        {
            return -Errno.EINVAL;
        }
        final Request r = acquire();
        try
        {
            long done = 0;
            while (done < length)
            {
                final long pos = offset + done;
                final long blockIndex = pos / FsLimits.BLOCK_SIZE;
                final int inBlock = (int)(pos - blockIndex * FsLimits.BLOCK_SIZE);
                final int chunk = (int)Math.min(length - done, FsLimits.BLOCK_SIZE - inBlock);
                r.readType = Request.READ_BLOCK;
                r.ino = ino;
                r.offset = pos;
                r.length = chunk;
                final long n = read(r, BlockPartitioner.owner(ino, blockIndex, replicas.length));
                if (n < 0)
                {
                    return done > 0 ? done : n;
                }
                dst.putBytes(dstOffset + (int)done, r.data, 0, (int)n);
                done += n;
                if (n < chunk)
                {
                    break;
                }
            }
            return done;
        }
        finally
        {
            release(r);
        }
    }

    // ------------------------------------------------------------------------------------------ paths

    /**
     * Resolve an absolute path component by component (no symlink following), as uid 0.
     *
     * @param path e.g. "/a/b".
     * @param out  attributes of the result, may be null.
     * @return inode or a negated errno.
     */
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

    // ------------------------------------------------------------------------------------------ admin

    /**
     * fsck every replica on its own thread and compare their metadata digests.
     *
     * @return problems found; empty when consistent.
     */
    public List<String> check()
    {
        final List<String> problems = new ArrayList<>();
        long digest = 0;
        for (int i = 0; i < replicas.length; i++)
        {
            final Request r = acquire();
            try
            {
                r.readType = Request.READ_CHECK;
                read(r, i);
                for (final String p : r.problems)
                {
                    problems.add("replica " + i + ": " + p);
                }
                if (i == 0)
                {
                    digest = r.digest;
                }
                else if (r.digest != digest)
                {
                    problems.add("replica " + i + " metadata digest differs from replica 0 (divergence)");
                }
            }
            finally
            {
                r.problems = null;
                release(r);
            }
        }
        return problems;
    }

    /**
     * Write a snapshot of the current state. Appends wait meanwhile.
     */
    public void snapshot()
    {
        synchronized (appendLock)
        {
            if (closed)
            {
                return;
            }
            snapshotLocked();
        }
    }

    private void snapshotLocked()
    {
        awaitApplied(lastSeq);
        final FsState[] states = new FsState[replicas.length];
        for (int i = 0; i < replicas.length; i++)
        {
            states[i] = replicas[i].state();
        }
        try
        {
            // Safe to read replica state from this thread: every replica's appliedSeq (volatile,
            // acquired in awaitApplied) covers lastSeq, no append can happen while appendLock is
            // held, and reads served concurrently do not modify the fields the snapshot reads.
            FsSnapshot.write(ctx.directory.resolve(SNAPSHOT_FILE), states, lastIndex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void awaitApplied(final long seq)
    {
        for (final FsReplica replica : replicas)
        {
            while (replica.appliedSeq() < seq)
            {
                if (null != replicaFailure)
                {
                    throw new IllegalStateException("replica failed", replicaFailure);
                }
                replica.wake();
                LockSupport.parkNanos(100_000);
            }
        }
    }

    @Override
    public void close()
    {
        synchronized (appendLock)
        {
            if (closed)
            {
                return;
            }
            if (ctx.snapshotOnClose && null == replicaFailure)
            {
                snapshotLocked();
            }
            closed = true;
        }
        for (final FsReplica replica : replicas)
        {
            replica.stop();
        }
        for (final FsReplica replica : replicas)
        {
            try
            {
                replica.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        journal.close();
    }
}
