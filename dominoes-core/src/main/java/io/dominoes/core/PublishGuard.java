package io.dominoes.core;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises publication into a channel that is not multi-publisher. Replicas only ever
 * {@link #tryEnter()} (they never block on the lock: a busy lock means "drain the outbox later", so a
 * replica cannot stall its own cursor behind another publisher); outside publishers {@link #enter()}.
 * A multi-publisher channel gets {@link #NONE}.
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
}
