package io.dominoes.fs.service;

import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.core.ChannelFactory;
import io.dominoes.core.EventPublisher;
import io.dominoes.core.ReplicaGroup;
import io.dominoes.core.ShutdownMode;
import io.dominoes.fs.Errno;
import io.dominoes.fs.FsLimits;
import io.dominoes.fs.journal.Journal;
import io.dominoes.fs.journal.SyncPolicy;
import io.dominoes.fs.ops.FsOpEncoder;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.ops.OpCode;
import io.dominoes.fs.state.Attr;
import io.dominoes.fs.state.BlockPartitioner;
import io.dominoes.fs.state.FsSnapshot;
import io.dominoes.fs.state.FsState;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;

/**
 * The replicated file-system service with a blocking client API, used by tests, the FUSE front end
 * and benchmarks. It runs on the replica runtime (dominoes-core): one {@link ReplicaGroup} of
 * {@link FsDomain}s over an in-memory broadcast ring, with the {@link Journal} in front of it.
 *
 * <p>Mutations: the caller's thread encodes the op (with its credentials and the current time from
 * the injected clock); under the sequencer lock the op gets the next sequence number, is appended to
 * the journal, and only then published into the group's channel. A blocking call usually also applies the
 * op itself, to copy 0, before publishing it (no hand-off, see {@link #applyOnCaller}); then the other
 * replicas apply it in the background and nobody replies. Every replica applies it in channel
 * order (a replicated handler), which is journal order because both happen under the one lock; the
 * event's owner replica emits the reply (emit once). A mutation is therefore acknowledged only once it
 * is in the journal (and forced to disk first under {@link SyncPolicy#SYNC}).
 *
 * <p>Reads never touch the journal: each is a partitioned event served by one replica from its own copy
 * (metadata reads by inode, block reads by (inode, block)). Because a read enters the same channel
 * after every mutation the caller saw acknowledged, it sees them (read-your-writes) without any wait
 * beyond channel order.
 *
 * <p>All methods are thread safe. Results: {@code >= 0} on success, a negated {@link Errno} on
 * failure. Recovery ({@link #open}): load the snapshot into every replica, replay the journal records
 * after it through the same channel and handlers (see {@link JournalReplay} for damaged journals), then
 * append a CLEAR_OPENS op so files left open-but-unlinked by the previous process are freed.
 */
public final class FsService implements FsApi
{
    /** Concurrent calls in flight; more callers wait for a free request context. */
    public static final int MAX_REQUESTS = 256;

    private static final String SNAPSHOT_FILE = "snapshot.bin";
    private static final String JOURNAL_DIR = "journal";
    private static final int SPIN_BEFORE_PARK = 2_000;
    /** {@code Request.expectedSeq} of a mutation applied on its caller's thread: no reply to wait for. */
    private static final long APPLIED_ON_CALLER = 0;
    /** The one copy callers apply their mutations to. */
    private static final int CALLER_COPY = 0;

    private final Context ctx;
    private Journal journal;
    private final int replicaCount;
    private final ReplicaGroup<FsDomain> group;
    private final ReplyChannel replies;
    private final SnapshotBarrier barrier;
    private final EventPublisher sequencer;
    private final Request[] requests = new Request[MAX_REQUESTS];
    private final ManyToManyConcurrentArrayQueue<Request> free = new ManyToManyConcurrentArrayQueue<>(MAX_REQUESTS);
    private final Object appendLock = new Object();
    private final FsOpFlyweight validator = new FsOpFlyweight();
    private final UnsafeBuffer snapshotBody = new UnsafeBuffer(new byte[8]);
    private final JournalReplay.Report recovery;
    /**
     * Last sequence published. Volatile: stored (under the sequencer lock) before the mutation's event is
     * published, so a caller that saw any mutation acknowledged (its reply comes after the publish) loads a
     * value at least that mutation's sequence (see {@link #lockCaughtUpReplica}).
     */
    private volatile long lastSeq;
    private final FsDomain[] domains;
    /** Caller-thread mutations in effect (the option, and no digest checkpoints). */
    private final boolean callerMutations;
    /** Mutations applied on their caller's thread / sent to the replicas and awaited; under the sequencer lock. */
    private long appliedOnCaller;
    private long appliedByReplicas;
    /** The replicas' idle strategies when they are this service's own (see {@link WakeOnRequestIdleStrategy}). */
    private final WakeOnRequestIdleStrategy[] wakers;
    private final LongAdder eventReads = new LongAdder();
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
        private int digestEvery;
        private int channelCapacity = 1 << 21;
        private int directCapacity = 1 << 20;
        private boolean pinReplicas;
        private Supplier<IdleStrategy> idleStrategy;
        private boolean callerThreadReads = true;
        private boolean callerThreadMutations = true;
        private boolean parkUntilWoken;
        private ChannelFactory channel;

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
         * @param k compare every replica's metadata digest every {@code k} channel events (0 = off, the
         *          default: the digest walks every inode, so use it in tests and checks, not in production).
         * @return this.
         */
        public Context digestEvery(final int k)
        {
            this.digestEvery = k;
            return this;
        }

        /** @param bytes capacity of the replicas' in-memory channel, a power of two (default 2 MiB). @return this. */
        public Context channelCapacity(final int bytes)
        {
            this.channelCapacity = bytes;
            return this;
        }

        /**
         * @param bytes capacity of each replica's direct input, the ring that hands it the reads it owns (reads
         *              are not broadcast: see {@code FsEvents}); a power of two (default 1 MiB). A pre-filled
         *              stream ({@link FsService#runStream}) must fit its reads of one owner in it.
         * @return this.
         */
        public Context directCapacity(final int bytes)
        {
            this.directCapacity = bytes;
            return this;
        }

        /**
         * @param enabled pin replica {@code i} to the {@code i mod k}-th CPU this process may use (default false).
         *                For runs where only the replicas work while it matters (a pre-filled stream); with client
         *                or FUSE threads on the same cores the scheduler does better unpinned.
         * @return this.
         */
        public Context pinReplicas(final boolean enabled)
        {
            this.pinReplicas = enabled;
            return this;
        }

        /**
         * @param factory the replicas' channel (any {@code BroadcastChannel}; it only carries events in
         *                memory, the journal is the durable log); default: the own ring, direct memory,
         *                {@link #channelCapacity} bytes. {@link FsService#runStream} checks that a stream's
         *                mutations fit only for the default ring: a custom channel that refuses one midway leaves
         *                the ops before it journaled and the service unusable (reopen to recover from the journal).
         * @return this.
         */
        public Context channel(final ChannelFactory factory)
        {
            this.channel = factory;
            return this;
        }

        /**
         * @param enabled serve getattr/lookup/resolve on the calling thread from a replica's copy that has
         *                applied every published mutation, when one is free (default true); otherwise, and
         *                always when false, a read is an event served by its owner replica.
         * @return this.
         */
        public Context callerThreadReads(final boolean enabled)
        {
            this.callerThreadReads = enabled;
            return this;
        }

        /**
         * @param enabled let a blocking mutation be applied by its caller's thread to one replica's copy that
         *                holds every published mutation and is free, before it is published to the others
         *                (default true; see {@link FsService#applyOnCaller}); otherwise, and always when
         *                {@link #digestEvery} is on (a copy would then run ahead of its channel position at a
         *                digest checkpoint), the owner replica applies it and replies.
         * @return this.
         */
        public Context callerThreadMutations(final boolean enabled)
        {
            this.callerThreadMutations = enabled;
            return this;
        }

        /**
         * @param enabled idle replicas park without spinning and are woken only when a client waits on them
         *                ({@link WakeOnRequestIdleStrategy}; default false: the runtime's default strategy). Suits
         *                blocking clients whose mutations are applied on their own threads (a FUSE mount): the
         *                replicas then only catch up in the background and should leave the cores to the clients.
         *                A pipelined client does better with the default (a replica that wakes on its own timer
         *                overlaps with the client's submitting). Ignored when {@link #idleStrategy} is set or
         *                caller-thread mutations are off.
         * @return this.
         */
        public Context parkUntilWoken(final boolean enabled)
        {
            this.parkUntilWoken = enabled;
            return this;
        }

        /** @param idle one idle strategy per replica; default: the runtime's choice for the core count. @return this. */
        public Context idleStrategy(final Supplier<IdleStrategy> idle)
        {
            this.idleStrategy = idle;
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
            if (digestEvery < 0)
            {
                throw new IllegalArgumentException("digestEvery " + digestEvery + " < 0");
            }
            final int minCapacity = 8 * (FsOpFlyweight.MAX_RECORD_LENGTH + 64);
            if (channelCapacity < minCapacity || Integer.bitCount(channelCapacity) != 1)
            {
                throw new IllegalArgumentException("channelCapacity " + channelCapacity +
                    " must be a power of two >= " + minCapacity + " (8 largest op records)");
            }
            final int minDirect = 8 * (FsOpFlyweight.HEADER_LENGTH + FsOpFlyweight.MAX_NAME_FIELD + 64);
            if (directCapacity < minDirect || Integer.bitCount(directCapacity) != 1)
            {
                throw new IllegalArgumentException("directCapacity " + directCapacity +
                    " must be a power of two >= " + minDirect + " (8 largest read records)");
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
        this.replicaCount = n;
        final Path snapshot = ctx.directory.resolve(SNAPSHOT_FILE);
        final FsSnapshot.Header header = new FsSnapshot.Header();
        final boolean haveSnapshot = Files.exists(snapshot);
        domains = new FsDomain[n];
        callerMutations = ctx.callerThreadMutations && ctx.digestEvery == 0;
        for (int i = 0; i < MAX_REQUESTS; i++)
        {
            requests[i] = new Request(i);
        }
        barrier = new SnapshotBarrier(n);
        for (int i = 0; i < n; i++)
        {
            final FsState state = haveSnapshot ? FsSnapshot.read(snapshot, i, n, header) : new FsState(i, n);
            // Callers apply only to copy 0 (see lockCopyHoldingAllPublished): the other replicas' own reads need no lock.
            domains[i] = new FsDomain(state, requests, barrier, callerMutations && i == CALLER_COPY);
        }
        journal = new Journal(ctx.directory.resolve(JOURNAL_DIR), ctx.syncPolicy);
        replies = new ReplyChannel(requests);
        final ReplicaGroup.Builder<FsDomain> builder = ReplicaGroup.builder(i -> domains[i])
            .name("fs")
            .replicas(n)
            .channel(null != ctx.channel ? ctx.channel : subscribers -> BroadcastRing.builder()
                .capacity(ctx.channelCapacity).subscribers(subscribers).direct().build())
            .handlers(FsEvents.handlers())
            .directInput(ctx.directCapacity, FsDomain::progress)
            .output(replies, true)
            .digestEvery(ctx.digestEvery);
        if (ctx.pinReplicas)
        {
            builder.pinToAllowedCpus();
        }
        if (null != ctx.idleStrategy)
        {
            wakers = null;
            builder.idleStrategy(ctx.idleStrategy);
        }
        else if (callerMutations && ctx.parkUntilWoken)
        {
            // The group asks for one instance per replica, replica 0 first (a wrong order would only delay
            // wake-ups to the strategy's longest park).
            wakers = new WakeOnRequestIdleStrategy[n];
            final int[] created = new int[1];
            builder.idleStrategy(() ->
            {
                final WakeOnRequestIdleStrategy w = new WakeOnRequestIdleStrategy();
                if (created[0] < n)
                {
                    wakers[created[0]++] = w;
                }
                return w;
            });
        }
        else
        {
            wakers = null;
        }
        group = builder.start();
        sequencer = group.newPublisher();
        for (int i = 0; i < MAX_REQUESTS; i++)
        {
            requests[i].publisher = group.newPublisher();
        }
        try
        {
            recovery = JournalReplay.replay(journal, header, haveSnapshot,
                (buffer, offset, length) -> sequencer.publish(FsEvents.REPLAY, 0, buffer, offset, length));
            lastSeq = recovery.lastSeq;
            lastIndex = recovery.lastIndex;
            synchronized (appendLock)
            {
                snapshotLocked();
            }
            if (recovery.damaged)
            {
                quarantineDamagedJournal();
            }
        }
        catch (final RuntimeException | IOException ex)
        {
            barrier.cancel();
            journal.close();
            try
            {
                group.close();
            }
            catch (final RuntimeException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
        for (int i = 0; i < MAX_REQUESTS; i++)
        {
            free.offer(requests[i]);
        }
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
     * The snapshot just written holds everything up to the last whole record; move the damaged journal
     * aside (kept for inspection, never replayed again) and start a new one, so new records are never
     * appended behind the damage. A crash before the rename replays the same damaged tail again, which
     * ends the same way.
     */
    private void quarantineDamagedJournal() throws IOException
    {
        journal.close();
        final Path dir = ctx.directory.resolve(JOURNAL_DIR);
        Path aside = ctx.directory.resolve(JOURNAL_DIR + ".damaged");
        for (int i = 1; Files.exists(aside); i++)
        {
            aside = ctx.directory.resolve(JOURNAL_DIR + ".damaged." + i);
        }
        Files.move(dir, aside);
        journal = new Journal(dir, ctx.syncPolicy);
        recovery.quarantinedAs = aside;
        System.err.println("fs: " + recovery);
    }

    /**
     * Open (recover or create) a file system.
     *
     * @param ctx configuration.
     * @return the running service.
     * @throws UncheckedIOException if the journal or snapshot cannot be read.
     * @throws JournalReplay.JournalCorruptException if a journal record in the middle is damaged.
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
        return replicaCount;
    }

    /**
     * @return what recovery found at open: records replayed, and any damaged journal tail it dropped.
     */
    public JournalReplay.Report recoveryReport()
    {
        return recovery;
    }

    private long now()
    {
        return ctx.clock.nanoTime();
    }

    long nowNs()
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
        final long seq = submitMutation(r, length, callerMutations);
        if (seq < 0)
        {
            return seq;
        }
        if (r.expectedSeq != APPLIED_ON_CALLER)
        {
            await(r, seq);
        }
        final long result = r.result;
        if (r.snapshotDue)
        {
            r.snapshotDue = false;
            snapshot();
        }
        return result;
    }

    /**
     * Sequence, journal and publish a mutation without waiting for its reply (the pipelined path; the
     * blocking calls wait after this). On return the reply may already have arrived.
     *
     * @return the op's sequence number (its reply token), or a negated errno if the record is invalid.
     */
    long submitMutation(final Request r, final int length)
    {
        return submitMutation(r, length, false);
    }

    /**
     * @param mayApplyHere whether this thread may apply the op to a free caught-up copy itself
     *                     ({@link #applyOnCaller}); then {@code r.expectedSeq} is {@link #APPLIED_ON_CALLER} on
     *                     return and {@code r.result}/{@code r.attr} hold the reply.
     */
    private long submitMutation(final Request r, final int length, final boolean mayApplyHere)
    {
        final FsOpFlyweight op = r.encoder.flyweight();
        final long seq;
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
            seq = lastSeq + 1;
            op.seq(seq);
            // Journal first: the mutation is acknowledged (this method returns, or a replica replies to it) only
            // once it is in the journal. Copies are not locked meanwhile, so reads go on. The record's replySlot
            // is set after the append: replay never replies, so the journaled value does not matter.
            lastIndex = journal.append(r.encoder.buffer(), 0, length);
            final FsDomain here = mayApplyHere && op.opCode() != OpCode.WRITE ? lockCopyHoldingAllPublished() : null;
            RuntimeException applyFailure = null;
            if (null != here)
            {
                op.replySlot(FsEvents.NO_REPLY_SLOT);
                r.expectedSeq = APPLIED_ON_CALLER;
                try
                {
                    applyOnCaller(here, r, op, length);
                }
                catch (final RuntimeException ex)
                {
                    // Journaled: publish it anyway, so no copy misses a sequence; a replica that fails on it
                    // too fails the group, as it would have without this path.
                    applyFailure = ex;
                }
                finally
                {
                    // Before the unlock: a read that sees this op on this copy completes after the unlock, so
                    // any read starting after that one loads lastSeq >= seq (see lockCaughtUpReplica).
                    lastSeq = seq;
                    here.writeLock.unlock();
                }
                appliedOnCaller++;
            }
            else
            {
                op.replySlot(r.slot);
                r.expectedSeq = seq;
                lastSeq = seq; // before the publish (see lockCaughtUpReplica)
                appliedByReplicas++;
            }
            if (op.opCode() == OpCode.WRITE)
            {
                final long key = BlockPartitioner.key(op.ino(), op.arg(0) / FsLimits.BLOCK_SIZE);
                sequencer.publish(FsEvents.WRITE, key, r.encoder.buffer(), 0, length);
                r.ownerKey = key; // woken when its caller waits (await)
            }
            else
            {
                sequencer.publish(FsEvents.MUTATE, seq, r.encoder.buffer(), 0, length);
                r.ownerKey = seq; // its owner replies; woken when its caller waits (await)
            }
            if (ctx.snapshotEveryOps > 0 && ++opsSinceSnapshot >= ctx.snapshotEveryOps)
            {
                opsSinceSnapshot = 0;
                r.snapshotDue = true;
            }
            if (null != applyFailure)
            {
                throw applyFailure;
            }
        }
        return seq;
    }

    /**
     * Copy {@link #CALLER_COPY}, locked for writing, if it holds every mutation published so far (its replica
     * has applied, or callers have given it, all of them); called under the sequencer lock, so no mutation is
     * published meanwhile. Always the same copy: its replica then reads under the lock, the others need none
     * ({@code FsDomain.lockReads}), and it stays caught up for caller-thread reads. If readers hold it this
     * waits for them (reads are short and never take the sequencer lock, so this cannot deadlock).
     *
     * @return the locked domain, or null (not caught up: the replicas apply the op).
     */
    private FsDomain lockCopyHoldingAllPublished()
    {
        final FsDomain d = domains[CALLER_COPY];
        if (!d.writeLock.tryLock())
        {
            d.writeLock.lock();
        }
        if (d.state.lastSeq() == lastSeq)
        {
            return d;
        }
        d.writeLock.unlock();
        return null;
    }

    /**
     * Apply a mutation on the caller's thread to one copy, then (the caller) publish it to every replica: the
     * copy's own replica skips it when it reaches it (its {@code lastSeq} already covers the op's sequence,
     * checked under {@code stateLock}), the other replicas apply it in channel order as usual, and nobody
     * replies (NO_REPLY_SLOT). The caller thus pays one apply instead of a hand-off to a replica and back.
     *
     * <p>Why every copy still sees the same order: this runs under the sequencer lock with the op's sequence
     * {@code lastSeq + 1}, on a copy that holds every op up to {@code lastSeq} (checked under its lock), and the
     * op is published after this, also under the sequencer lock; so on this copy too it comes after every op
     * published before it and before every op published after it: channel order.
     *
     * <p>Why it is linearizable: the op takes effect here, inside the call, when the copy is unlocked; the
     * service's {@code lastSeq} is raised to the op's sequence before that unlock, so any read that saw the op on
     * this copy, and any read that starts after this call returned, loads {@code lastSeq >=} the op's sequence and
     * then uses only a copy that holds it ({@link #lockCaughtUpReplica}) or goes as an event behind it in the
     * channel. A read this copy's replica serves from an event published before the op but polled after this
     * apply sees the op: that read was in flight while the op took effect, so ordering it after the op is
     * allowed. The journal append comes before all this (the acknowledgement needs it) and outside the copy's
     * lock, so reads of the copy go on while the journal is written.
     *
     * <p>Memory: the copy's replica thread reads its state only under {@code stateLock} while this is
     * enabled ({@code FsDomain.lockReads}), so the unlock here (release) orders these writes before its
     * next read or apply (acquire).
     */
    private static void applyOnCaller(final FsDomain d, final Request r, final FsOpFlyweight op, final int length)
    {
        final long result = d.state.apply(op, length);
        d.appliedByCallerUpTo = op.seq();
        r.result = result;
        FsEvents.fillReplyAttr(d.state, op, r, result);
    }

    /** @return mutations applied on their caller's thread so far (the rest were applied and answered by replicas). */
    public long mutationsAppliedOnCaller()
    {
        synchronized (appendLock)
        {
            return appliedOnCaller;
        }
    }

    /** @return blocking and pipelined mutations answered by a replica (not applied on the caller's thread). */
    public long mutationsAppliedByReplicas()
    {
        synchronized (appendLock)
        {
            return appliedByReplicas;
        }
    }

    private long read(final Request r, final long key)
    {
        final long expected = nextReadToken(r);
        FsEvents.encodeRead(r.body, r.slot, expected);
        // Fence: every mutation acknowledged before this read began has raised lastSeq (see lockCaughtUpReplica),
        // so the owner, which waits until its copy holds lastSeq as loaded here, serves it with them applied.
        r.publisher.publishDirect(FsEvents.READ, key, lastSeq, r.body, 0, FsEvents.READ_LENGTH);
        r.ownerKey = key;
        await(r, expected);
        return r.result;
    }

    private static long nextReadToken(final Request r)
    {
        // Read tokens are negative (mutations' are their positive sequences), fresh per use of the slot: a
        // counter of the request's own, since a mutation applied on the caller's thread leaves completedSeq as
        // the previous read's token (nothing replies to it), so restarting at -1 could match a stale value.
        return r.expectedSeq = --r.lastReadToken;
    }

    /**
     * Publish the read op record in {@code r.encoder} (GETATTR, LOOKUP) without waiting: the partitioned
     * owner of its key ({@link FsEvents#readOpKey}) serves it into {@code r.attr}.
     *
     * @return the reply token to wait for.
     */
    long submitReadOp(final Request r, final int length)
    {
        final long token = nextReadToken(r);
        final FsOpFlyweight op = r.encoder.flyweight();
        op.replySlot(r.slot);
        op.seq(token);
        final long key = FsEvents.readOpKey(op);
        r.publisher.publishDirect(FsEvents.READ_OP, key, lastSeq, r.encoder.buffer(), 0, length); // fence: see read()
        r.ownerKey = key; // woken when its caller waits (await)
        return token;
    }

    private void await(final Request r, final long expected)
    {
        // The doorbell: wake the replica that answers only now that this thread is about to wait, so a pipelined
        // client that publishes a window of requests rings once per wait rather than once per request.
        wakeOwner(r.ownerKey);
        // Acquire: completedSeq is stored last by the reply channel, after the result fields.
        for (int i = 0; i < SPIN_BEFORE_PARK; i++)
        {
            if (r.completedSeq == expected)
            {
                return;
            }
            Thread.onSpinWait();
        }
        while (r.completedSeq != expected)
        {
            checkGroup();
            r.parked = true;
            if (r.completedSeq != expected) // re-check after announcing (see Request.complete)
            {
                LockSupport.parkNanos(this, 100_000);
            }
            r.parked = false;
        }
    }

    /** Wake the replica that owns {@code key} if it is parked: it has an event someone waits for. */
    private void wakeOwner(final long key)
    {
        final WakeOnRequestIdleStrategy[] w = wakers;
        if (null != w)
        {
            w[FsEvents.OWNER.owner(key, replicaCount)].wake();
        }
    }

    void wakeAll()
    {
        final WakeOnRequestIdleStrategy[] w = wakers;
        if (null != w)
        {
            for (final WakeOnRequestIdleStrategy x : w)
            {
                x.wake();
            }
        }
    }

    private void checkGroup()
    {
        final Throwable failure = group.failure();
        if (null != failure)
        {
            throw new IllegalStateException("replica failed", failure);
        }
    }

    private long metadataKey(final long ino)
    {
        return FsEvents.metadataKey(ino);
    }

    /**
     * Find a replica whose copy already holds every mutation published so far and read-lock it against the
     * next apply, so this thread can serve a read from it without a hand-off.
     *
     * <p>Why it is linearizable: a mutation acknowledged to anyone before this read began had {@link #lastSeq}
     * raised to its sequence before it was acknowledged (before its event was published, or, applied on its
     * caller's thread, before the copy holding it was unlocked), so the volatile load below returns at least
     * its sequence; a copy with {@code lastSeq() >=} that value holds it (and everything before it, in channel
     * order). The same holds for an op another read has already seen: the copy it read was unlocked only after
     * {@code lastSeq} covered it, so a read that starts after that one loads a value that covers it too (reads
     * never go back in time). Mutations published after the load are concurrent with this read, so seeing them
     * or not is both allowed. Memory: writers (the replica, or a caller applying to copy 0) change the copy
     * under {@code stateLock}'s write lock and unlock (release); this thread's read lock (acquire) sees the
     * state and {@code lastSeq()} they wrote. While read-locked, no writer changes the copy under the read.
     *
     * @return the locked domain (the caller unlocks it), or null: serve the read as an event instead.
     */
    private FsDomain lockCaughtUpReplica()
    {
        if (!ctx.callerThreadReads)
        {
            return null;
        }
        final FsDomain d = lockCaughtUpReplica((int)Thread.currentThread().getId());
        if (null == d)
        {
            eventReads.increment();
        }
        return d;
    }

    /** @return getattr/lookup/resolve calls that found no caught-up free copy and went to a replica as events. */
    public long readsServedByReplicas()
    {
        return eventReads.sum();
    }

    private FsDomain lockCaughtUpReplica(final int start)
    {
        final long published = lastSeq;
        final int n = replicaCount;
        for (int k = 0; k < n; k++)
        {
            final FsDomain d = domains[((start + k) & Integer.MAX_VALUE) % n];
            if (d.readLock.tryLock())
            {
                if (d.state.lastSeq() >= published)
                {
                    return d;
                }
                d.readLock.unlock();
            }
        }
        // Every copy was being written. A copy a caller applied the newest mutation to is caught up (so it is
        // only a short caller apply away): wait for it rather than fall back to an event and a hand-off.
        for (int k = 0; k < n; k++)
        {
            final FsDomain d = domains[((start + k) & Integer.MAX_VALUE) % n];
            if (d.appliedByCallerUpTo >= published)
            {
                d.readLock.lock();
                if (d.state.lastSeq() >= published)
                {
                    return d;
                }
                d.readLock.unlock();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ mutations

    private static String isoBytes(final String name)
    {
        // ASCII (the common case) is the same string in both forms: no copy.
        boolean ascii = true;
        for (int i = 0, n = name.length(); i < n && ascii; i++)
        {
            ascii = name.charAt(i) < 0x80;
        }
        if (ascii)
        {
            return name;
        }
        return new String(name.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static boolean nameFits(final String name)
    {
        return null == name || name.length() * 3 <= FsOpFlyweight.MAX_NAME_FIELD ||
            name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= FsOpFlyweight.MAX_NAME_FIELD;
    }

    static boolean nameFits(final String name, final String name2)
    {
        return nameFits(name) && nameFits(name2);
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
        return newNode(OpCode.CREATE, uid, gid, parent, name, mode, out);
    }

    public long mknod(final int uid, final int gid, final long parent, final String name, final int mode,
        final Attr out)
    {
        return newNode(OpCode.MKNOD, uid, gid, parent, name, mode, out);
    }

    public long mkdir(final int uid, final int gid, final long parent, final String name, final int mode,
        final Attr out)
    {
        return newNode(OpCode.MKDIR, uid, gid, parent, name, mode, out);
    }

    private long newNode(final int opCode, final int uid, final int gid, final long parent, final String name,
        final int mode, final Attr out)
    {
        if (!nameFits(name))
        {
            return -Errno.ENAMETOOLONG;
        }
        final Request r = acquire();
        try
        {
            return mutateWithAttr(r, r.encoder.newNode(opCode, now(), uid, gid, parent, name, mode), out);
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
        final FsDomain local = lockCaughtUpReplica();
        if (null != local)
        {
            try
            {
                return local.state.getattr(ino, out);
            }
            finally
            {
                local.readLock.unlock();
            }
        }
        final Request r = acquire();
        try
        {
            final long token = submitReadOp(r, r.encoder.getattr(0, 0, ino));
            await(r, token);
            final int result = (int)r.result;
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
        if (!nameFits(name))
        {
            return -Errno.ENAMETOOLONG;
        }
        final FsDomain local = lockCaughtUpReplica();
        if (null != local)
        {
            try
            {
                // The name as a LOOKUP record's name field is decoded: UTF-8 bytes as ISO-8859-1 chars.
                return local.state.lookup(parent, isoBytes(name), uid, gid, null == out ? new Attr() : out);
            }
            finally
            {
                local.readLock.unlock();
            }
        }
        final Request r = acquire();
        try
        {
            final long token = submitReadOp(r, r.encoder.lookup(uid, gid, parent, name));
            await(r, token);
            final long result = r.result;
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
            final int result = (int)read(r, metadataKey(ino));
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
            final long result = read(r, metadataKey(ino));
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
            return (int)read(r, metadataKey(ino));
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
                final long n = read(r, BlockPartitioner.key(ino, blockIndex));
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
        // One event for the whole path (a FUSE request resolves its path first, so this was one hand-off per
        // component plus one for the root); served by any replica (see FsEvents.resolve), spread by slot.
        // The replica's directory maps are keyed by the name's UTF-8 bytes as ISO-8859-1 chars (as a LOOKUP
        // record's name is decoded); '/' is one byte in both, so the replica can split the converted path.
        final String key = isoBytes(path);
        final FsDomain local = lockCaughtUpReplica();
        if (null != local)
        {
            try
            {
                return FsEvents.resolve(local.state, key, null == out ? new Attr() : out);
            }
            finally
            {
                local.readLock.unlock();
            }
        }
        final Request r = acquire();
        try
        {
            r.readType = Request.READ_RESOLVE;
            r.name = key;
            final long result = read(r, metadataKey(FsLimits.ROOT_INO + r.slot));
            if (null != out)
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

    // ------------------------------------------------------------------------------------------ pipelined

    /**
     * A pipelined client of this service for one thread: up to {@code window} operations in flight, each
     * completed through a callback on the client's thread ({@link FsPipeline#poll}).
     *
     * @param window outstanding operations, 1..{@link #MAX_REQUESTS}/2 (the requests are taken from this
     *               service's pool until the pipeline is closed).
     * @return the pipeline.
     */
    public FsPipeline newPipeline(final int window)
    {
        if (window < 1 || window > MAX_REQUESTS / 2)
        {
            throw new IllegalArgumentException("window " + window + " outside 1.." + (MAX_REQUESTS / 2));
        }
        final Request[] taken = new Request[window];
        for (int i = 0; i < window; i++)
        {
            taken[i] = acquire();
        }
        return new FsPipeline(this, taken);
    }

    void await(final Request r)
    {
        await(r, r.expectedSeq);
    }

    void releaseAll(final Request[] taken)
    {
        for (final Request r : taken)
        {
            release(r);
        }
    }

    void snapshotIfDue(final Request r)
    {
        if (r.snapshotDue)
        {
            r.snapshotDue = false;
            snapshot();
        }
    }

    // ------------------------------------------------------------------------------------------ pre-filled

    /**
     * What {@link #runStream} observed: every op answered exactly once with its expected result class
     * when {@link #ok()}.
     */
    public record StreamResult(long ops, long answered, long duplicates, long unexpected, long stale,
        String firstUnexpected)
    {
        /** @return whether every op was answered once, as expected, and nothing else was replied. */
        public boolean ok()
        {
            return answered == ops && duplicates == 0 && unexpected == 0 && stale == 0;
        }
    }

    /**
     * Run a pre-encoded op list through the replicas with no client in the loop: stop every replica at a
     * barrier event, publish the whole list behind it (mutations sequenced and journaled as usual, each read
     * to its owner's direct input, fenced at the mutations before it in the list, so it is served at its place),
     * then release the replicas and wait until every op's reply has been
     * emitted (each exactly once, by its owner, into preallocated slots). {@code onStart} runs just before
     * the release and {@code onEnd} right after the last reply is seen, so a caller can time the replicas
     * alone. Mutations from other callers wait meanwhile (the sequencer lock is held).
     *
     * @param stream    the ops; the channel must hold all its mutations and each direct input its owner's reads
     *                  at once ({@link Context#channelCapacity}, {@link Context#directCapacity}; see
     *                  {@link StreamFootprint}).
     * @param onStart   run on this thread before the replicas are released.
     * @param onEnd     run on this thread once every reply arrived.
     * @param timeoutMs give up waiting for replies after this long.
     * @return what was answered.
     * @throws IllegalArgumentException if an op is not a valid read or metadata mutation (nothing is run).
     * @throws IllegalStateException    if the stream does not fit (nothing is run), a replica failed or the wait
     *                                  timed out.
     */
    public StreamResult runStream(final FsOpStream stream, final Runnable onStart, final Runnable onEnd,
        final long timeoutMs)
    {
        final StreamFootprint footprint = StreamFootprint.of(stream, replicaCount);
        // Both rings are empty when the replicas stop at the barrier; a wrap may pad up to one record.
        final long slack = 2L * FsOpFlyweight.MAX_RECORD_LENGTH;
        if (footprint.channelBytes() + slack > ctx.channelCapacity && null == ctx.channel)
        {
            throw new IllegalStateException("stream does not fit the channel: its " + footprint.mutations() +
                " mutations need " + footprint.channelBytes() + " bytes plus " + slack + " slack, channelCapacity is " +
                ctx.channelCapacity + " (raise it, e.g. StreamFootprint.capacityFor)");
        }
        if (footprint.maxDirectBytes() + slack > ctx.directCapacity)
        {
            throw new IllegalStateException("stream does not fit the direct input: the reads of one replica need " +
                footprint.maxDirectBytes() + " bytes plus " + slack + " slack, directCapacity is " + ctx.directCapacity +
                " (raise it, e.g. StreamFootprint.capacityFor)");
        }
        final StreamReplies sink = new StreamReplies(stream, replicaCount);
        final long staleBefore = replies.staleReplies();
        synchronized (appendLock)
        {
            if (closed)
            {
                throw new IllegalStateException("file system is closed");
            }
            replies.stream(sink);
            try
            {
                stopReplicasAtBarrier();
                try
                {
                    publishStream(stream, sink);
                    sink.sealed();
                    onStart.run();
                }
                finally
                {
                    barrier.release();
                }
                sink.awaitAnswered(System.nanoTime() + timeoutMs * 1_000_000L, this::checkGroup);
                onEnd.run();
            }
            finally
            {
                replies.stream(null);
            }
        }
        return sink.result(replies.staleReplies() - staleBefore);
    }

    private void publishStream(final FsOpStream stream, final StreamReplies sink)
    {
        final org.agrona.MutableDirectBuffer buffer = stream.mutableBuffer();
        final FsOpFlyweight op = new FsOpFlyweight();
        for (int i = 0, n = stream.count(); i < n; i++)
        {
            final int offset = stream.offset(i);
            final int length = stream.length(i);
            op.wrap(buffer, offset, length);
            final long key;
            if (OpCode.isRead(op.opCode()))
            {
                if (op.validateRead(length) != FsOpFlyweight.VALID)
                {
                    throw new IllegalArgumentException("stream op " + i + " is not a valid read record");
                }
                op.replySlot(FsEvents.STREAM_READ_SLOT).seq(i);
                key = FsEvents.readOpKey(op);
                sink.read(i, FsEvents.OWNER.owner(key, replicaCount));
                // To its owner alone, fenced at the mutations before it in the list: served at its place.
                if (sequencer.offerDirect(FsEvents.READ_OP, key, lastSeq, buffer, offset, length) < 0)
                {
                    throw new IllegalStateException("stream does not fit the direct input: read op " + i + " of " +
                        n + " refused; direct capacity " + ctx.directCapacity + " bytes per replica, records " +
                        stream.recordBytes() + " bytes in all plus framing");
                }
                continue;
            }
            else
            {
                if (op.validate(length) != FsOpFlyweight.VALID || op.opCode() == OpCode.WRITE)
                {
                    throw new IllegalArgumentException("stream op " + i + " is not a valid metadata mutation");
                }
                final long seq = lastSeq + 1;
                op.replySlot(FsEvents.STREAM_MUTATION_SLOT).seq(seq);
                lastIndex = journal.append(buffer, offset, length);
                lastSeq = seq;
                key = seq;
                sink.mutation(i, seq, FsEvents.OWNER.owner(key, replicaCount));
            }
            final long result = sequencer.offer(FsEvents.MUTATE, key, buffer, offset, length);
            if (result < 0)
            {
                throw new IllegalStateException("stream does not fit the channel: op " + i + " of " + n +
                    " refused (" + result + "); channel capacity " + ctx.channelCapacity + " bytes, records " +
                    stream.recordBytes() + " bytes plus framing");
            }
        }
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
        for (int i = 0; i < replicaCount; i++)
        {
            final Request r = acquire();
            try
            {
                r.readType = Request.READ_CHECK;
                read(r, i); // key i: replica i is the owner (key mod N)
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

    /**
     * Stop every replica at a barrier event (no mutation can follow it while the sequencer lock is held),
     * write their states, release them.
     */
    private void snapshotLocked()
    {
        stopReplicasAtBarrier();
        try
        {
            writeSnapshot(barrier::state);
        }
        finally
        {
            barrier.release();
        }
    }

    /**
     * Under the sequencer lock: publish the barrier event and wait until every replica has stopped at it (the
     * caller then reads their states or fills the channel behind it, and releases them).
     *
     * @throws IllegalStateException if a replica failed instead of arriving.
     */
    private void stopReplicasAtBarrier()
    {
        barrier.reset();
        sequencer.publish(FsEvents.SNAPSHOT, 0, snapshotBody, 0, 0);
        wakeAll();
        if (!barrier.awaitArrivals(() -> null != group.failure()))
        {
            checkGroup();
        }
    }

    private void writeSnapshot(final java.util.function.IntFunction<FsState> states)
    {
        final FsState[] all = new FsState[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            all[i] = states.apply(i);
        }
        try
        {
            FsSnapshot.write(ctx.directory.resolve(SNAPSHOT_FILE), all, lastIndex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
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
            closed = true;
        }
        barrier.cancel();
        RuntimeException failure = null;
        try
        {
            // Drain: reads already published are answered before the replicas stop.
            group.close(ShutdownMode.DRAIN);
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        try
        {
            if (ctx.snapshotOnClose && null == failure)
            {
                // The replica threads are joined: their states are readable from here.
                writeSnapshot(i -> group.domain(i).state);
            }
        }
        finally
        {
            replies.close();
            journal.close();
        }
        if (null != failure)
        {
            throw failure;
        }
    }
}
