package io.dominoes.fs.service;

import io.dominoes.core.idle.ContextSwitchCalibrator;
import org.agrona.concurrent.IdleStrategy;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Wake-on-publish for the replicas of one {@link FsService}: each replica idles with a
 * {@link ReplicaWaker.Idle} that announces when it is about to park, and the service's publishing
 * threads unpark an announced replica right after publishing an event for it. Without this, a
 * replica that went idle sleeps for its whole timed park (on Linux at least the ~50 us timer slack,
 * up to 1 ms after back-off) before it sees a request, and every blocking call, one per FUSE
 * request, pays that sleep.
 *
 * <p>Memory ordering (Dekker): the replica stores {@code parked = true} (volatile, so a full
 * StoreLoad fence follows it), returns to its duty cycle and polls the channel once more (a load of
 * the channel's commit position) before it parks. The publisher commits the event (a release
 * store), issues {@link VarHandle#fullFence()}, then loads {@code parked}. Both sides store, fence,
 * then load the other's variable, so at least one sees the other's store: either the replica's
 * extra poll finds the event, or the publisher sees {@code parked} and unparks. An unpark that
 * comes before the park leaves the permit set, so that park returns at once. The park stays timed
 * (back-off to 1 ms), so a replica waiting on something else (another replica's verdict, shutdown)
 * makes progress without a publish.
 */
final class ReplicaWaker
{
    private static final long MIN_PARK_NS = 1_000;
    private static final long MAX_PARK_NS = 1_000_000;

    private final Idle[] replicas;
    private final int count;

    /**
     * @param count  replicas.
     * @param spinNs each replica spins this long before announcing a park (0 when replicas outnumber cores).
     */
    ReplicaWaker(final int count, final long spinNs)
    {
        this.count = count;
        this.replicas = new Idle[count];
        for (int i = 0; i < count; i++)
        {
            replicas[i] = new Idle(spinNs);
        }
    }

    /**
     * @param count replicas.
     * @return a waker whose replicas spin one measured context switch before parking when each has a
     * core, and never spin when they outnumber the cores (the rule of {@code IdleStrategies.defaultFor}).
     */
    static ReplicaWaker forCores(final int count)
    {
        final boolean coreEach = count <= Runtime.getRuntime().availableProcessors();
        return new ReplicaWaker(count, coreEach ? ContextSwitchCalibrator.contextSwitchNs() : 0);
    }

    /**
     * @param index replica index.
     * @return that replica's idle strategy (handed out once, in index order, by the group's supplier).
     */
    IdleStrategy idle(final int index)
    {
        return replicas[index];
    }

    /**
     * Wake every replica that announced a park; call after publishing an event all replicas apply.
     */
    void wakeAll()
    {
        // Full fence after the channel's release store of the event, before loading parked (see class doc).
        VarHandle.fullFence();
        for (int i = 0; i < count; i++)
        {
            replicas[i].wake();
        }
    }

    /**
     * Wake replica {@code index} if it announced a park; call after publishing a partitioned event it owns.
     */
    void wake(final int index)
    {
        VarHandle.fullFence(); // see class doc
        replicas[index].wake();
    }

    /**
     * One replica's idle strategy: spin, announce, poll once more, then park until woken (timed).
     * Not thread safe: used by its replica's thread only; {@link #wake} is called by publishers.
     */
    static final class Idle implements IdleStrategy
    {
        private final long spinNs;
        private volatile Thread thread;
        private volatile boolean parked;
        private long idleStartNs = -1;
        private long parkNs = MIN_PARK_NS;

        Idle(final long spinNs)
        {
            this.spinNs = spinNs;
        }

        void wake()
        {
            // Acquire of parked: the replica stored thread before parked (both volatile).
            if (parked)
            {
                final Thread t = thread;
                if (null != t)
                {
                    LockSupport.unpark(t);
                }
            }
        }

        public void idle(final int workCount)
        {
            if (workCount > 0)
            {
                reset();
            }
            else
            {
                idle();
            }
        }

        public void idle()
        {
            if (!parked)
            {
                if (spinNs > 0)
                {
                    final long now = System.nanoTime();
                    if (idleStartNs < 0)
                    {
                        idleStartNs = now;
                    }
                    if (now - idleStartNs < spinNs)
                    {
                        Thread.onSpinWait();
                        return;
                    }
                }
                if (null == thread)
                {
                    thread = Thread.currentThread();
                }
                // Announce, then return so the duty cycle polls once more before the park (see ReplicaWaker).
                parked = true;
                return;
            }
            LockSupport.parkNanos(this, parkNs);
            parkNs = Math.min(parkNs << 1, MAX_PARK_NS);
        }

        public void reset()
        {
            if (parked)
            {
                parked = false;
            }
            idleStartNs = -1;
            parkNs = MIN_PARK_NS;
        }

        public String alias()
        {
            return "wake-on-publish";
        }
    }
}
