package io.dominoes.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises publication into a channel that is not multi-publisher. Replicas only ever
 * {@link #tryEnter()} (they never block on the lock: a busy lock means "drain the outbox later", so a
 * replica cannot stall its own cursor behind another publisher); outside publishers {@link #enter()}.
 * A multi-publisher channel gets {@link #replicaTurns()} (replicas take turns among themselves only);
 * {@link #NONE} takes no turns at all.
 */
abstract class PublishGuard
{
    static final PublishGuard NONE = new PublishGuard()
    {
        boolean tryEnter()
        {
            return true;
        }

        void enter()
        {
        }

        void exit()
        {
        }
    };

    /**
     * For a multi-publisher channel: replicas take turns (non-blocking), outside publishers do not take part.
     * The channel itself is safe for concurrent publishers, so this protects no data; it exists because a
     * multi-publisher ring commits in claim order, and a replica whose claim follows another replica's would spin
     * and yield until that one commits, which on an oversubscribed machine means until it is scheduled again
     * (misd TCP with 2 replicas on 2 shared cores: 15% of the replicas' CPU in ManyToManyRingPublisher's wait).
     * With turns, the second replica finds the turn taken and drains its outbox at a later loop instead. Outside
     * publishers ({@link #enter()}) still publish concurrently with either.
     */
    static PublishGuard replicaTurns()
    {
        final AtomicBoolean taken = new AtomicBoolean();
        return new PublishGuard()
        {
            boolean tryEnter()
            {
                // a plain test first: a taken turn costs a load, not a failed CAS on a shared line
                return !taken.get() && taken.compareAndSet(false, true);
            }

            void enter()
            {
            }

            void exit()
            {
                taken.set(false);
            }

            boolean turnIsOptional()
            {
                return true;
            }
        };
    }

    static PublishGuard lock()
    {
        final ReentrantLock lock = new ReentrantLock();
        return new PublishGuard()
        {
            boolean tryEnter()
            {
                return lock.tryLock();
            }

            void enter()
            {
                lock.lock();
            }

            void exit()
            {
                lock.unlock();
            }
        };
    }

    abstract boolean tryEnter();

    abstract void enter();

    abstract void exit();

    /**
     * @return true if publishing without the turn is still safe (the channel takes concurrent publishers), so a
     * replica whose outbox is filling may publish even while another replica holds the turn. False for the lock
     * of a single-publisher channel, which really serialises the publisher.
     */
    boolean turnIsOptional()
    {
        return false;
    }
}
