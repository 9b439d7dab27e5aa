package io.dominoes.fs.service;

import io.dominoes.core.Domain;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.state.FsState;
import org.agrona.concurrent.UnsafeBuffer;

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
     * Held by the replica around each mutation it applies, and by a client thread that serves a read from
     * this copy itself ({@link FsService}'s caller-thread reads). Release (unlock after an apply) and acquire
     * (a reader's lock) make the applied state, and {@code state.lastSeq()}, visible to that reader; the
     * replica's own partitioned reads take no lock (readers do not exclude each other, and only this
     * replica's thread writes the state).
     */
    final java.util.concurrent.locks.ReentrantLock applyLock = new java.util.concurrent.locks.ReentrantLock();

    FsDomain(final FsState state, final Request[] requests, final SnapshotBarrier barrier)
    {
        this.state = state;
        this.requests = requests;
        this.barrier = barrier;
    }

    @Override
    public long stateDigest()
    {
        return state.metadataDigest();
    }
}
