package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.FsLimits;
import io.dominoes.fs.journal.Journal;
import io.dominoes.fs.journal.JournalRecordHandler;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.ops.OpCode;
import io.dominoes.fs.state.BlockPartitioner;
import io.dominoes.fs.state.FsState;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * One replica: a thread that owns an {@link FsState}, applies every journal record in order
 * (replicated), serves the reads routed to it from its own copy (partitioned), and sends each
 * mutation's reply exactly once (only the designated replica completes the request).
 *
 * <p>This is the replica loop that dominoes-core's ReplicaGroup is meant to provide; it lives here
 * until that runtime exists and is small enough to swap out.
 */
final class FsReplica implements Runnable, JournalRecordHandler
{
    private static final int POLL_LIMIT = 64;
    private static final long MAX_PARK_NS = 1_000_000;

    private final FsService service;
    private final FsState state;
    private final Journal.Reader reader;
    private final ManyToOneConcurrentArrayQueue<Request> reads;
    private final ArrayDeque<Request> waitingReads = new ArrayDeque<>(FsService.MAX_REQUESTS);
    private final FsOpFlyweight op = new FsOpFlyweight();
    private final long replyAfterSeq;
    private volatile long appliedSeq;
    private volatile long appliedIndex;
    private volatile boolean sleeping;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long invalidRecords;
    private Thread thread;

    FsReplica(final FsService service, final FsState state, final Journal.Reader reader, final long replyAfterSeq)
    {
        this.service = service;
        this.state = state;
        this.reader = reader;
        this.reads = new ManyToOneConcurrentArrayQueue<>(FsService.MAX_REQUESTS);
        this.replyAfterSeq = replyAfterSeq;
        this.appliedSeq = state.lastSeq();
    }

    void start(final String name)
    {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run()
    {
        try
        {
            while (running)
            {
                int work = reader.poll(this, POLL_LIMIT);
                work += serveReads();
                if (work == 0)
                {
                    idle();
                }
            }
        }
        catch (final Throwable t)
        {
            failure = t;
            service.replicaFailed(this, t);
        }
        finally
        {
            reader.close();
        }
    }

    /**
     * Park until woken. Dekker-style handshake with clients: store {@code sleeping} (volatile), then
     * re-check for work via volatile loads; a client stores its work (volatile lastAppendedSeq or the
     * queue's CAS) and then loads {@code sleeping}. Sequential consistency of volatiles means at least
     * one side sees the other, so a wake-up is never lost; the park is also bounded as a backstop.
     */
    private void idle()
    {
        sleeping = true;
        if (service.lastAppendedSeq() <= appliedSeq && reads.isEmpty() && running)
        {
            LockSupport.parkNanos(this, MAX_PARK_NS);
        }
        sleeping = false;
    }

    void wake()
    {
        if (sleeping)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void onRecord(final DirectBuffer buffer, final int offset, final int length, final long index)
    {
        op.wrap(buffer, offset, length);
        if (op.validate(length) != FsOpFlyweight.VALID)
        {
            invalidRecords++;
            return;
        }
        final long seq = op.seq();
        if (seq <= state.lastSeq())
        {
            return; // already contained in the snapshot this replica started from
        }
        final long result = state.apply(op, length);
        // Release: the state writes above happen-before any reader that acquires appliedSeq.
        appliedIndex = index;
        appliedSeq = seq;
        if (seq > replyAfterSeq && replier(op) == state.replicaIndex())
        {
            final Request request = service.request(op.replySlot());
            if (null != request && request.expectedSeq == seq)
            {
                fillReplyAttr(request, result);
                request.complete(seq, result);
            }
        }
    }

    /**
     * Emit once: the replica that replies to a mutation. A write's block owner (it did the data
     * work); any other mutation spreads over replicas by sequence number.
     */
    private int replier(final FsOpFlyweight op)
    {
        final int n = state.replicaCount();
        if (op.opCode() == OpCode.WRITE)
        {
            return BlockPartitioner.owner(op.ino(), op.arg(0) / FsLimits.BLOCK_SIZE, n);
        }
        return (int)Long.remainderUnsigned(op.seq(), n);
    }

    private void fillReplyAttr(final Request request, final long result)
    {
        final int code = op.opCode();
        final long ino;
        switch (code)
        {
            case OpCode.CREATE:
            case OpCode.MKDIR:
            case OpCode.MKNOD:
            case OpCode.SYMLINK:
            case OpCode.LINK:
                ino = result;
                break;
            case OpCode.SETATTR:
            case OpCode.WRITE:
                ino = op.ino();
                break;
            default:
                ino = 0;
        }
        if (ino > 0 && result >= 0)
        {
            state.getattr(ino, request.attr);
        }
    }

    boolean offerRead(final Request request)
    {
        return reads.offer(request);
    }

    private int serveReads()
    {
        int work = 0;
        final long applied = appliedSeq;
        for (int i = waitingReads.size(); i > 0; i--)
        {
            final Request r = waitingReads.pollFirst();
            if (r.minSeq <= applied)
            {
                serve(r);
                work++;
            }
            else
            {
                waitingReads.addLast(r);
            }
        }
        Request r;
        while (null != (r = reads.poll()))
        {
            work++;
            if (r.minSeq <= applied)
            {
                serve(r);
            }
            else
            {
                // Read-your-writes: wait until this replica has applied what the client saw acknowledged.
                waitingReads.addLast(r);
            }
        }
        return work;
    }

    private void serve(final Request r)
    {
        long result;
        try
        {
            switch (r.readType)
            {
                case Request.READ_GETATTR:
                    result = state.getattr(r.ino, r.attr);
                    break;
                case Request.READ_LOOKUP:
                    result = state.lookup(r.ino, r.name, r.uid, r.gid, r.attr);
                    break;
                case Request.READ_READDIR:
                    r.entries.clear();
                    result = state.readdir(r.ino, r.uid, r.gid,
                        (name, ino, mode) -> r.entries.add(new Request.DirEntry(
                            new String(name.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), ino, mode)));
                    break;
                case Request.READ_READLINK:
                    r.link = state.readlink(r.ino);
                    result = null == r.link ? -Errno.EINVAL : r.link.length;
                    break;
                case Request.READ_BLOCK:
                    result = state.readBlock(r.ino, r.offset, r.length, r.data, 0);
                    break;
                case Request.READ_ACCESS:
                    result = state.access(r.ino, r.uid, r.gid, r.mask);
                    break;
                case Request.READ_CHECK:
                    r.problems = state.check();
                    r.digest = state.metadataDigest();
                    result = r.problems.size();
                    break;
                case Request.READ_STATFS:
                    r.offset = state.logicalBytes();
                    result = state.inodeCount();
                    break;
                default:
                    result = -Errno.EINVAL;
            }
        }
        catch (final RuntimeException ex)
        {
            // A routing bug must not kill the replica; report it as an I/O error to the caller.
            result = -Errno.EIO;
        }
        r.complete(r.expectedSeq, result);
    }

    long appliedSeq()
    {
        return appliedSeq;
    }

    long appliedIndex()
    {
        return appliedIndex;
    }

    FsState state()
    {
        return state;
    }

    long invalidRecords()
    {
        return invalidRecords;
    }

    Throwable failure()
    {
        return failure;
    }

    void stop()
    {
        running = false;
        LockSupport.unpark(thread);
    }

    void join() throws InterruptedException
    {
        if (null != thread)
        {
            thread.join(10_000);
        }
    }
}
