package io.dominoes.fs.service;

import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.FsOpEncoder;
import io.dominoes.fs.state.Attr;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A pooled per-call context: the client's op encoder, the reply the owner replica fills in,
 * and the fields of a read request. Pooled so a call allocates nothing in steady state.
 *
 * <p>Ordering: the replica writes the result fields, then {@link #complete} stores
 * {@code completedSeq} (volatile, a release); the client spins/parks until it reads that value
 * (volatile, an acquire), after which the result fields are visible to it. The client writes the
 * request fields before publishing the event that names the request (the channel's commit is a
 * release) and the replica reads them after polling it (acquire), so those are visible too.
 */
public final class Request
{
    public static final int READ_GETATTR = 1;
    public static final int READ_LOOKUP = 2;
    public static final int READ_READDIR = 3;
    public static final int READ_READLINK = 4;
    public static final int READ_BLOCK = 5;
    public static final int READ_ACCESS = 6;
    public static final int READ_CHECK = 7;
    public static final int READ_STATFS = 8;
    /** Resolve {@link #name} (an absolute path) from the root in one event; every replica holds all metadata. */
    public static final int READ_RESOLVE = 9;

    final int slot;
    final FsOpEncoder encoder = new FsOpEncoder();
    final Attr attr = new Attr();
    final byte[] data = new byte[FsLimits.BLOCK_SIZE];
    final List<DirEntry> entries = new ArrayList<>();
    volatile Thread waiter;
    /** Set by the waiter just before it parks (see {@link #complete}). */
    volatile boolean parked;
    volatile long completedSeq;
    long expectedSeq;
    /** Key of the event this request waits on (its owner replica is woken when the caller waits). */
    long ownerKey;
    /** Last read token used by this request (decreasing from -1; see FsService.nextReadToken). */
    long lastReadToken;
    /** Set by the sequencer when this request's mutation made a snapshot due (taken by its caller). */
    boolean snapshotDue;
    /** Pipelined use: the caller's tag and op code. */
    long tag;
    int opCode;
    long result;
    byte[] link;
    List<String> problems;
    long digest;

    /** This request's handle on the replicas' channel (a handle is used by one thread at a time). */
    io.dominoes.core.EventPublisher publisher;
    /** Body of this request's READ events: | slot | token |. */
    final org.agrona.concurrent.UnsafeBuffer body = new org.agrona.concurrent.UnsafeBuffer(new byte[16]);

    // Read request fields, written by the client before it publishes the READ event.
    int readType;
    long ino;
    String name;
    long offset;
    int length;
    int uid;
    int gid;
    int mask;

    Request(final int slot)
    {
        this.slot = slot;
    }

    void complete(final long seq, final long result)
    {
        this.result = result;
        completedSeq = seq;
        // Unpark only a waiter that announced it parks: completedSeq and parked are both volatile, so the
        // waiter's (store parked, load completedSeq) and this (store completedSeq, load parked) cannot both
        // miss each other; a pipelined client that is busy submitting is not unparked per reply.
        final Thread t = waiter;
        if (null != t && parked)
        {
            LockSupport.unpark(t);
        }
    }

    /**
     * One directory entry of a readdir reply.
     */
    public static final class DirEntry
    {
        public final String name;
        public final long ino;
        public final int mode;

        DirEntry(final String name, final long ino, final int mode)
        {
            this.name = name;
            this.ino = ino;
            this.mode = mode;
        }

        @Override
        public String toString()
        {
            return name + "=" + ino;
        }
    }
}
