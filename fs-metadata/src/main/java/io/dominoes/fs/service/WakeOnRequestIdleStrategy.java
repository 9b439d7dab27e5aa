package io.dominoes.fs.service;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A replica's idle strategy when most mutations are applied on their callers' threads
 * ({@code FsService.Context.callerThreadMutations}): the replicas then have nothing urgent to do for most
 * events (they catch their copies up in the background), so an idle replica does not spin (on a machine with
 * fewer cores than busy threads a spinning replica takes the core a client or the FUSE kernel thread needs);
 * it parks (spinning about one context switch first only while clients are waiting on it), backing off from {@code minParkNs} to {@code maxParkNs} (back to the minimum only after a wake
 * request, not after background work), and a client that publishes an event it
 * will wait for (a read served by a replica, a mutation a replica applies and answers) wakes the event's owner
 * with {@link #wake()} at once. Events nobody waits for (caller-applied mutations) are applied within
 * {@code maxParkNs}.
 *
 * <p>No lost wake-up (Dekker through volatiles): the replica stores {@code sleeping = true}, then loads
 * {@link #wakeRequests}; a client publishes its event, increments {@code wakeRequests}, then loads
 * {@code sleeping}. Sequential consistency of volatile accesses means at least one sees the other's store:
 * either the replica sees the new count and polls again instead of parking, or the client sees
 * {@code sleeping} and unparks it (a permit, so a park that starts after the unpark returns at once). Either
 * way the replica polls after the event was published.
 *
 * <p>{@link #idle} is called by one replica thread only; {@link #wake()} by any thread.
 */
final class WakeOnRequestIdleStrategy implements IdleStrategy
{
    /** First park of an idle spell. */
    static final long MIN_PARK_NS = 1_000;
    /** Longest park: how long a caller-applied mutation may wait before a non-caller replica applies it. */
    static final long MAX_PARK_NS = 1_000_000;

    private final long minParkNs;
    private final long maxParkNs;
    private final AtomicLong wakeRequests = new AtomicLong();
    private volatile boolean sleeping;
    private volatile Thread thread;
    private long seenWakeRequests;
    private long parkNs;
    private final long spinNs;
    private long idleStartNs = -1;
    private boolean waitedOn;

    WakeOnRequestIdleStrategy()
    {
        this(io.dominoes.core.idle.ContextSwitchCalibrator.contextSwitchNs(), MIN_PARK_NS, MAX_PARK_NS);
    }

    /**
     * @param spinNs    spin before parking while clients wait on this replica, {@code >= 0}.
     * @param minParkNs first park of an idle spell, {@code > 0}.
     * @param maxParkNs longest park, {@code >= minParkNs}.
     */
    WakeOnRequestIdleStrategy(final long spinNs, final long minParkNs, final long maxParkNs)
    {
        if (spinNs < 0 || minParkNs <= 0 || maxParkNs < minParkNs)
        {
            throw new IllegalArgumentException("need spinNs >= 0, 0 < minParkNs <= maxParkNs: spinNs=" + spinNs +
                " minParkNs=" + minParkNs + " maxParkNs=" + maxParkNs);
        }
        this.spinNs = spinNs;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.parkNs = minParkNs;
    }

    public void idle(final int workCount)
    {
        // Work alone does not shorten the parks: most events are background work (catching up on
        // caller-applied mutations), and a replica that went back to 1 us parks after each of them would
        // wake tens of thousands of times a second on cores the clients need. Parks shorten, and a short
        // spin comes before them, only while clients wait on this replica (a wake request was seen), see idle().
        if (workCount > 0)
        {
            idleStartNs = -1;
        }
        else
        {
            idle();
        }
    }

    public void idle()
    {
        if (waitedOn)
        {
            // Someone waits on this replica (e.g. a pipelined client with requests in flight): spin about one
            // context switch before parking, as the two-phase strategy does, so a stream of requests does not
            // pay a park and an unpark each.
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
        sleeping = true;
        final long requests = wakeRequests.get();
        if (requests == seenWakeRequests)
        {
            LockSupport.parkNanos(this, parkNs);
            parkNs = Math.min(parkNs << 1, maxParkNs);
            // A park that ended without a wake request: nobody is waiting, back to background mode.
            waitedOn = wakeRequests.get() != requests;
        }
        else
        {
            parkNs = minParkNs; // someone waits on this replica: poll now, and keep parks short for a while
            waitedOn = true;
        }
        seenWakeRequests = requests;
        sleeping = false;
    }

    /**
     * Deliberately leaves the park length alone (see {@link #idle(int)}): only a wake request shortens it.
     */
    public void reset()
    {
    }

    /**
     * Make the replica poll its channel soon: call after publishing an event someone will wait for.
     */
    void wake()
    {
        wakeRequests.incrementAndGet();
        // One unpark per sleep: the first waker clears the flag (a stream of requests from a pipelined client
        // would otherwise pay an unpark each while the replica is still waking up).
        if (sleeping && SLEEPING.compareAndSet(this, true, false))
        {
            final Thread t = thread;
            if (null != t)
            {
                LockSupport.unpark(t);
            }
        }
    }

    private static final java.lang.invoke.VarHandle SLEEPING;

    static
    {
        try
        {
            SLEEPING = java.lang.invoke.MethodHandles.lookup()
                .findVarHandle(WakeOnRequestIdleStrategy.class, "sleeping", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    public String alias()
    {
        return "wake-on-request";
    }
}
