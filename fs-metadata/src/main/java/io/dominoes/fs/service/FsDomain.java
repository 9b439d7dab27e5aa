package io.dominoes.fs.service;

import io.dominoes.core.Domain;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.state.FsState;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;

/**
 * One replica's private copy of the file system for the replica runtime: the {@link FsState} plus the
 * scratch its handlers reuse (no allocation per event). Only the replica's thread touches it while the
 * group runs.
 *
 * <p>{@link #stateDigest()} is the replicated metadata's digest (blocks are partitioned and left out),
 * so a group built with {@code digestEvery(K)} stops with a divergence error naming the event window
 * if two replicas' namespaces ever differ.
 */
final class FsDomain implements Domain
{
    final FsState state;
    final Request[] requests;
    final SnapshotBarrier barrier;
    final FsOpFlyweight op = new FsOpFlyweight();
    final UnsafeBuffer reply = new UnsafeBuffer(new byte[FsEvents.REPLY_LENGTH]);
    /** Attributes of a pre-filled stream's reads (the stream's replies carry only the result). */
    final io.dominoes.fs.state.Attr scratchAttr = new io.dominoes.fs.state.Attr();
    long invalidRecords;
    /**
     * Whether this replica's own reads take {@link #readLock}: needed when callers may apply mutations to
     * this copy on their own threads ({@code FsService.Context.callerThreadMutations}); otherwise only this
     * replica's thread writes the state and its reads need no lock.
     */
    final boolean lockReads;
    /**
     * Guards {@link #state} once more than this replica's thread may touch it. Written (exclusive) by the replica
     * around each mutation it applies and by a client thread that applies its mutation to this copy before
     * publishing it (caller-thread mutations, {@code FsService.applyOnCaller}); read (shared) by a client
     * thread that serves a read from this copy itself ({@code FsService.lockCaughtUpReplica}) and, when
     * {@link #lockReads}, by the replica around its own reads. Release (unlock) and acquire (the next holder's
     * lock) make the state, and {@code state.lastSeq()}, visible to the next holder; without caller-thread
     * mutations the replica's own reads take no lock (only this replica's thread writes the state then).
     */
    final StampedLock stateLock = new StampedLock();
    final Lock readLock = stateLock.asReadLock();
    final Lock writeLock = stateLock.asWriteLock();
    /**
     * Highest sequence a caller applied to this copy itself ({@code FsService.applyOnCaller}); the copy then
     * holds every op up to it. Volatile: stored after the apply and before the op is published (a release
     * the channel's commit repeats), so the replica thread, having polled the op, sees it and skips the op
     * without taking {@link #stateLock}.
     */
    volatile long appliedByCallerUpTo;

    FsDomain(final FsState state, final Request[] requests, final SnapshotBarrier barrier, final boolean lockReads)
    {
        this.lockReads = lockReads;
        this.state = state;
        this.requests = requests;
        this.barrier = barrier;
    }

    /**
     * The runtime's progress measure for direct reads (their fences are the service's {@code lastSeq}): the
     * highest sequence this copy holds. Called on the replica's thread between events. For a copy only this
     * thread writes it is exact; for copy 0 with caller-thread mutations a caller may be raising it under
     * {@link #writeLock} meanwhile: the load is racy but of a monotonic 64-bit field (atomic on the 64-bit JVMs
     * this runs on), so it is a value the copy held at some point, never one ahead of it; too low only delays
     * the read, and the read itself takes {@link #readLock} (acquire) before it looks at the state.
     */
    long progress()
    {
        return state.lastSeq();
    }

    @Override
    public long stateDigest()
    {
        return state.metadataDigest();
    }
}
