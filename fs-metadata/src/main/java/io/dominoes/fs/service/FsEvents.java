package io.dominoes.fs.service;

import io.dominoes.core.EventContext;
import io.dominoes.core.HandlerRegistry;
import io.dominoes.core.Partitioner;
import io.dominoes.fs.Errno;
import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.ops.OpCode;
import io.dominoes.fs.state.BlockPartitioner;
import io.dominoes.fs.state.FsState;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The file system's event types and handlers on the replica runtime.
 *
 * <table>
 *   <caption>event types</caption>
 *   <tr><th>type</th><th>kind</th><th>body</th><th>key (owner = key mod N, unsigned)</th></tr>
 *   <tr><td>{@link #MUTATE}</td><td>replicated</td><td>an op record (also the journal record)</td>
 *       <td>the op's sequence: replies spread over replicas</td></tr>
 *   <tr><td>{@link #WRITE}</td><td>replicated</td><td>a WRITE op record (one block)</td>
 *       <td>{@link BlockPartitioner#key}(ino, block): the block's owner stores it and replies</td></tr>
 *   <tr><td>{@link #READ}</td><td>direct</td><td>| slot int32 | pad | token int64 |</td>
 *       <td>metadata: key(ino, -1); block: key(ino, block); check: the replica index</td></tr>
 *   <tr><td>{@link #READ_OP}</td><td>direct</td><td>a read op record ({@link OpCode#GETATTR},
 *       {@link OpCode#LOOKUP}): replySlot names the caller's request (or a stream), seq is the reply token</td>
 *       <td>key(ino, -1)</td></tr>
 *   <tr><td>{@link #REPLAY}</td><td>replicated</td><td>an op record read back from the journal at
 *       recovery: applied like MUTATE/WRITE, never replied to (its caller was an earlier process)</td>
 *       <td>0</td></tr>
 *   <tr><td>{@link #SNAPSHOT}</td><td>replicated</td><td>empty</td><td>0</td></tr>
 *   <tr><td>{@link #REPLY} (emitted)</td><td>-</td><td>| slot int32 | pad | token int64 | result int64 |</td>
 *       <td>slot</td></tr>
 * </table>
 *
 * <p>Reads are direct events ({@code HandlerRegistry.direct}): only their owner sees them, fenced at the
 * service's {@code lastSeq} when the read starts, and served once the owner's copy holds it
 * ({@link FsDomain#progress}); see {@code FsService.read} for why that is linearizable.
 *
 * <p>Read requests do not travel in the body: the body names the caller's pooled {@link Request}, whose
 * fields the caller wrote before publishing (the channel's commit is a release, the replica's poll the
 * acquire). The owner writes the result payload (attributes, entries, block bytes) into the request and
 * emits the REPLY; the reply channel's completion is the release the caller acquires
 * ({@link ReplyChannel}). Emit once: mutations' replies are emitted from the replicated handler and
 * sent only by the event's owner ({@link EventContext#emit}); other replicas skip even the encoding.
 */
final class FsEvents
{
    static final int MUTATE = 10;
    static final int WRITE = 11;
    static final int READ = 12;
    static final int SNAPSHOT = 13;
    static final int REPLAY = 14;
    static final int READ_OP = 15;
    static final int REPLY = 20;

    static final int READ_LENGTH = 16;
    private static final long NOT_APPLIED = Long.MIN_VALUE;
    static final int REPLY_LENGTH = 24;
    /** replySlot of a pre-filled stream's read: the token is the op's index in the stream. */
    static final int STREAM_READ_SLOT = -2;
    /** replySlot of a pre-filled stream's mutation: the token is the op's sequence number. */
    static final int STREAM_MUTATION_SLOT = -3;
    /** replySlot of a mutation a caller already applied to one copy and acknowledged itself: no reply. */
    static final int NO_REPLY_SLOT = -4;

    /** Unsigned key mod N; the same function as {@link BlockPartitioner#owner(long, int)}. */
    static final Partitioner OWNER = BlockPartitioner::owner;

    private FsEvents()
    {
    }

    static HandlerRegistry<FsDomain> handlers()
    {
        return new HandlerRegistry<FsDomain>()
            .replicated(MUTATE, FsEvents::onMutation).partitioner(MUTATE, OWNER)
            .replicated(WRITE, FsEvents::onMutation).partitioner(WRITE, OWNER)
            .direct(READ, FsEvents::onRead).partitioner(READ, OWNER)
            .direct(READ_OP, FsEvents::onReadOp).partitioner(READ_OP, OWNER)
            .replicated(REPLAY, (d, ctx, b, o, l) -> apply(d, b, o, l))
            .replicated(SNAPSHOT, (d, ctx, b, o, l) -> d.barrier.arriveAndAwait(ctx.replicaIndex(), d.state));
    }

    static long metadataKey(final long ino)
    {
        return BlockPartitioner.key(ino, -1);
    }

    /**
     * The partition key of a {@link #READ_OP}: GETATTR goes to the owner of the inode's metadata; LOOKUP to
     * the owner of (directory, name), so the lookups of one busy directory spread over the replicas instead
     * of all landing on the directory's owner (every replica applies every mutation, so any copy can answer
     * any metadata read at its place in the channel; the owner only decides who does the work).
     *
     * @param op a read record that passed {@link FsOpFlyweight#validateRead(int)}.
     * @return the key to publish the read with.
     */
    static long readOpKey(final FsOpFlyweight op)
    {
        if (op.opCode() != OpCode.LOOKUP)
        {
            return metadataKey(op.ino());
        }
        final DirectBuffer buffer = op.buffer();
        final int offset = op.name1Offset();
        long h = op.ino();
        for (int i = 0, n = op.name1Length(); i < n; i++)
        {
            h = h * 31 + (buffer.getByte(offset + i) & 0xFF);
        }
        return BlockPartitioner.key(h, -2); // -2: not the block -1 key space of the directory's own metadata
    }

    static void encodeRead(final MutableDirectBuffer body, final int slot, final long token)
    {
        body.putInt(0, slot);
        body.putInt(4, 0);
        body.putLong(8, token);
    }

    /**
     * Every replica applies the op; the event's owner replies.
     */
    private static void onMutation(
        final FsDomain d, final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        final boolean owner = ctx.isOwner();
        final long result = apply(d, buffer, offset, length, owner);
        if (result != NOT_APPLIED && owner)
        {
            final FsOpFlyweight op = d.op;
            final int slot = op.replySlot();
            if (slot >= 0 && slot < d.requests.length || slot == STREAM_MUTATION_SLOT)
            {
                reply(d, ctx, slot, op.seq(), result);
            }
            // NO_REPLY_SLOT: applied on the caller's thread already (FsService.applyOnCaller), nobody waits.
        }
    }

    private static long apply(final FsDomain d, final DirectBuffer buffer, final int offset, final int length)
    {
        return apply(d, buffer, offset, length, false);
    }

    /**
     * Every replica, in channel order: apply the op to this replica's copy (unless the copy already holds
     * it: it came with the snapshot this replica started from, or a caller applied it to this copy before
     * publishing it, see {@code FsService.applyOnCaller}). The owner also fills the waiting request's reply
     * attributes, under the same lock.
     *
     * @return the op's result, or {@link #NOT_APPLIED}.
     */
    private static long apply(
        final FsDomain d, final DirectBuffer buffer, final int offset, final int length, final boolean fillReply)
    {
        final FsOpFlyweight op = d.op;
        op.wrap(buffer, offset, length);
        if (op.validate(length) != FsOpFlyweight.VALID)
        {
            // The sequencer and recovery validate before publishing; count rather than throw if not.
            d.invalidRecords++;
            return NOT_APPLIED;
        }
        if (op.seq() <= d.appliedByCallerUpTo)
        {
            return NOT_APPLIED; // a caller applied it to this copy before publishing it (FsService.applyOnCaller)
        }
        d.writeLock.lock(); // see FsDomain.stateLock
        try
        {
            if (op.seq() <= d.state.lastSeq())
            {
                return NOT_APPLIED; // already in this copy: from its snapshot, or applied by a caller
            }
            final long result = d.state.applyValidated(op); // validated above
            if (fillReply)
            {
                final int slot = op.replySlot();
                if (slot >= 0 && slot < d.requests.length && d.requests[slot].expectedSeq == op.seq())
                {
                    fillReplyAttr(d.state, op, d.requests[slot], result);
                }
            }
            return result;
        }
        finally
        {
            d.writeLock.unlock();
        }
    }

    static void fillReplyAttr(final FsState state, final FsOpFlyweight op, final Request request, final long result)
    {
        final long ino;
        switch (op.opCode())
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

    /**
     * The owner only: serve a read from this replica's own copy. Its fence gives read-your-writes: the runtime
     * runs it only once this copy holds every mutation acknowledged before the read was published.
     */
    private static void onRead(
        final FsDomain d, final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < READ_LENGTH)
        {
            d.invalidRecords++;
            return;
        }
        final int slot = buffer.getInt(offset);
        final long token = buffer.getLong(offset + 8);
        if (slot < 0 || slot >= d.requests.length || d.requests[slot].expectedSeq != token)
        {
            d.invalidRecords++;
            return;
        }
        final long result;
        if (d.lockReads)
        {
            d.readLock.lock(); // a caller may be applying a mutation to this copy (FsService.applyOnCaller)
            try
            {
                result = serve(d.state, d.requests[slot]);
            }
            finally
            {
                d.readLock.unlock();
            }
        }
        else
        {
            result = serve(d.state, d.requests[slot]);
        }
        reply(d, ctx, slot, token, result);
    }

    /**
     * The owner only: serve a read carried as an op record. Nothing is allocated: a lookup's name is looked
     * up where it lies in the channel buffer.
     */
    private static void onReadOp(
        final FsDomain d, final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        final FsOpFlyweight op = d.op;
        op.wrap(buffer, offset, length);
        if (op.validateRead(length) != FsOpFlyweight.VALID)
        {
            d.invalidRecords++;
            return;
        }
        final int slot = op.replySlot();
        final long token = op.seq();
        final io.dominoes.fs.state.Attr out;
        if (slot == STREAM_READ_SLOT)
        {
            out = d.scratchAttr;
        }
        else if (slot >= 0 && slot < d.requests.length && d.requests[slot].expectedSeq == token)
        {
            out = d.requests[slot].attr;
        }
        else
        {
            d.invalidRecords++;
            return;
        }
        long result;
        final boolean lock = d.lockReads;
        if (lock)
        {
            d.readLock.lock(); // a caller may be applying a mutation to this copy (FsService.applyOnCaller)
        }
        try
        {
            result = op.opCode() == OpCode.GETATTR ? d.state.getattr(op.ino(), out) :
                d.state.lookup(op.ino(), op.buffer(), op.name1Offset(), op.name1Length(), op.uid(), op.gid(), out);
        }
        catch (final RuntimeException ex)
        {
            result = -Errno.EIO; // a bad request must not stop the replica
        }
        finally
        {
            if (lock)
            {
                d.readLock.unlock();
            }
        }
        reply(d, ctx, slot, token, result);
    }

    private static long serve(final FsState state, final Request r)
    {
        try
        {
            switch (r.readType)
            {
                case Request.READ_GETATTR:
                    return state.getattr(r.ino, r.attr);
                case Request.READ_LOOKUP:
                    return state.lookup(r.ino, r.name, r.uid, r.gid, r.attr);
                case Request.READ_READDIR:
                    r.entries.clear();
                    return state.readdir(r.ino, r.uid, r.gid,
                        (name, ino, mode) -> r.entries.add(new Request.DirEntry(
                            new String(name.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), ino, mode)));
                case Request.READ_READLINK:
                    r.link = state.readlink(r.ino);
                    return null == r.link ? -Errno.EINVAL : r.link.length;
                case Request.READ_BLOCK:
                    return state.readBlock(r.ino, r.offset, r.length, r.data, 0);
                case Request.READ_ACCESS:
                    return state.access(r.ino, r.uid, r.gid, r.mask);
                case Request.READ_CHECK:
                    r.problems = state.check();
                    r.digest = state.metadataDigest();
                    return r.problems.size();
                case Request.READ_STATFS:
                    r.offset = state.logicalBytes();
                    return state.inodeCount();
                case Request.READ_RESOLVE:
                    return resolve(state, r.name, r.attr);
                default:
                    return -Errno.EINVAL;
            }
        }
        catch (final RuntimeException ex)
        {
            // A bad request must not stop the replica (and with it the group): report an I/O error.
            return -Errno.EIO;
        }
    }

    /**
     * Walk an absolute path from the root as uid 0 (no symlink following), as {@link FsService#resolve}
     * did with one lookup event per component: every replica applies every mutation, so any replica's copy
     * holds the whole namespace, and the walk sees the state at this event's place in the channel, the same
     * one the component-by-component walk saw when no mutation came between its lookups.
     *
     * @param path absolute path, its UTF-8 bytes as ISO-8859-1 chars (the directory maps' key form).
     */
    static long resolve(final FsState state, final String path, final io.dominoes.fs.state.Attr attr)
    {
        long ino = FsLimits.ROOT_INO;
        state.getattr(ino, attr);
        final int end = path.length();
        int start = 0;
        while (start < end)
        {
            int slash = path.indexOf('/', start);
            if (slash < 0)
            {
                slash = end;
            }
            if (slash - start > FsOpFlyweight.MAX_NAME_FIELD)
            {
                return -Errno.ENAMETOOLONG; // what the LOOKUP record of this component was refused with
            }
            if (slash > start)
            {
                ino = state.lookup(ino, path.substring(start, slash), 0, 0, attr);
                if (ino < 0)
                {
                    return ino;
                }
            }
            start = slash + 1;
        }
        return ino;
    }

    private static void reply(final FsDomain d, final EventContext ctx, final int slot, final long token, final long result)
    {
        final MutableDirectBuffer reply = d.reply;
        reply.putInt(0, slot);
        reply.putInt(4, 0);
        reply.putLong(8, token);
        reply.putLong(16, result);
        ctx.emit(REPLY, slot, reply, 0, REPLY_LENGTH);
    }
}
