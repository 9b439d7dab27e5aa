package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.ops.OpCode;
import io.dominoes.fs.state.Attr;

/**
 * A pipelined client of {@link FsService} for one thread: submit returns at once (false when the window
 * is full), and completed operations are handed to a {@link Completion} by {@link #poll} on the caller's
 * thread, so one client keeps up to {@code window} operations in flight and the replicas work through a
 * batch per wake-up instead of one hand-off per call. Nothing is allocated per operation (requests are
 * preallocated; ASCII names are encoded without allocation).
 *
 * <p>Order: ops are published in submission order into the one channel, so a later op of this pipeline
 * sees every earlier one (a lookup submitted after a create finds the file) even before the create's
 * completion is polled. Completions may be delivered in any order (replies come from different replicas).
 *
 * <p>Not thread safe: one pipeline per client thread. {@link #close()} waits for what is in flight and
 * returns the requests to the service's pool.
 */
public final class FsPipeline implements AutoCloseable
{
    /**
     * Receives a completed operation.
     */
    @FunctionalInterface
    public interface Completion
    {
        /**
         * @param tag    what the caller passed at submit.
         * @param opCode {@link OpCode} of the operation ({@link OpCode#GETATTR}, {@link OpCode#LOOKUP}, ...).
         * @param result {@code >= 0} on success (an inode for lookup/create), or a negated errno.
         * @param attr   the entry's attributes for getattr, lookup and create on success; valid only
         *               during the call.
         */
        void onComplete(long tag, int opCode, long result, Attr attr);
    }

    private final FsService fs;
    private final Request[] all;
    private final Request[] idle;
    private final Request[] inFlight;
    private int idleCount;
    private int inFlightCount;
    private boolean closed;

    FsPipeline(final FsService fs, final Request[] requests)
    {
        this.fs = fs;
        this.all = requests;
        this.idle = requests.clone();
        this.inFlight = new Request[requests.length];
        this.idleCount = requests.length;
    }

    /** @return operations submitted and not yet handed to a completion. */
    public int outstanding()
    {
        return inFlightCount;
    }

    /** @return the most operations in flight at once. */
    public int window()
    {
        return all.length;
    }

    public boolean getattr(final long ino, final long tag)
    {
        final Request r = take(OpCode.GETATTR, tag);
        if (null == r)
        {
            return false;
        }
        fs.submitReadOp(r, r.encoder.getattr(0, 0, ino));
        return true;
    }

    /**
     * @return false if the window is full (poll, then retry); a name too long completes with -ENAMETOOLONG.
     */
    public boolean lookup(final int uid, final int gid, final long parent, final String name, final long tag)
    {
        final Request r = take(OpCode.LOOKUP, tag);
        if (null == r)
        {
            return false;
        }
        if (!FsService.nameFits(name))
        {
            completeLocally(r, -Errno.ENAMETOOLONG);
            return true;
        }
        fs.submitReadOp(r, r.encoder.lookup(uid, gid, parent, name));
        return true;
    }

    public boolean create(final int uid, final int gid, final long parent, final String name, final int mode,
        final long tag)
    {
        final Request r = take(OpCode.CREATE, tag);
        if (null == r)
        {
            return false;
        }
        if (!FsService.nameFits(name))
        {
            completeLocally(r, -Errno.ENAMETOOLONG);
            return true;
        }
        submitMutation(r, r.encoder.create(fs.nowNs(), uid, gid, parent, name, mode));
        return true;
    }

    public boolean rename(final int uid, final int gid, final long parent, final String name, final long newParent,
        final String newName, final int flags, final long tag)
    {
        final Request r = take(OpCode.RENAME, tag);
        if (null == r)
        {
            return false;
        }
        if (!FsService.nameFits(name, newName))
        {
            completeLocally(r, -Errno.ENAMETOOLONG);
            return true;
        }
        submitMutation(r, r.encoder.rename(fs.nowNs(), uid, gid, parent, name, newParent, newName, flags));
        return true;
    }

    public boolean unlink(final int uid, final int gid, final long parent, final String name, final long tag)
    {
        final Request r = take(OpCode.UNLINK, tag);
        if (null == r)
        {
            return false;
        }
        if (!FsService.nameFits(name))
        {
            completeLocally(r, -Errno.ENAMETOOLONG);
            return true;
        }
        submitMutation(r, r.encoder.unlink(fs.nowNs(), uid, gid, parent, name));
        return true;
    }

    private void submitMutation(final Request r, final int length)
    {
        final long seq = fs.submitMutation(r, length);
        if (seq < 0)
        {
            completeLocally(r, seq);
        }
        else
        {
            fs.snapshotIfDue(r);
        }
    }

    private void completeLocally(final Request r, final long result)
    {
        r.expectedSeq = Long.MIN_VALUE; // no reply can carry this token
        r.result = result;
        r.completedSeq = Long.MIN_VALUE;
    }

    private Request take(final int opCode, final long tag)
    {
        if (closed)
        {
            throw new IllegalStateException("pipeline is closed");
        }
        if (idleCount == 0)
        {
            return null;
        }
        final Request r = idle[--idleCount];
        r.tag = tag;
        r.opCode = opCode;
        r.waiter = Thread.currentThread();
        inFlight[inFlightCount++] = r;
        return r;
    }

    /**
     * Hand every completed operation to {@code completion} (on this thread), freeing its window slot.
     *
     * @return operations completed by this call.
     */
    public int poll(final Completion completion)
    {
        int done = 0;
        for (int i = 0; i < inFlightCount; )
        {
            final Request r = inFlight[i];
            // Acquire: completedSeq is stored last by the reply channel, after the result fields.
            if (r.completedSeq == r.expectedSeq)
            {
                inFlight[i] = inFlight[--inFlightCount];
                idle[idleCount++] = r;
                done++;
                final long result = r.result;
                completion.onComplete(r.tag, r.opCode, result, r.attr);
            }
            else
            {
                i++;
            }
        }
        if (done == 0 && inFlightCount > 0)
        {
            // The doorbell: nothing answered yet, so make sure the replicas are awake (requests are published
            // without waking anyone, so a window of them costs one wake-up, see FsService's await).
            fs.wakeAll();
        }
        return done;
    }

    /**
     * Wait (spin, then park) until at least one operation is complete and hand the completed ones over.
     *
     * @return operations completed (0 only if none was in flight).
     */
    public int awaitSome(final Completion completion)
    {
        if (inFlightCount == 0)
        {
            return 0;
        }
        int done;
        while ((done = poll(completion)) == 0) // an empty poll rings the doorbell
        {
            fs.await(inFlight[0]);
        }
        return done;
    }

    /**
     * Wait until nothing is in flight.
     */
    public void drain(final Completion completion)
    {
        while (inFlightCount > 0)
        {
            awaitSome(completion);
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        drain((tag, opCode, result, attr) -> { });
        closed = true;
        fs.releaseAll(all);
    }
}
