package io.dominoes.fs.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A parked replica is woken by {@link WakeOnRequestIdleStrategy#wake()}: with parks of up to an hour, a lost
 * wake-up would leave the idling thread parked and the join below would time out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeOnRequestIdleStrategyTest
{
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);

    @Test
    void everyWakeIsSeenByAThreadThatIdlesUntilItsWorkArrives() throws Exception
    {
        final WakeOnRequestIdleStrategy idle = new WakeOnRequestIdleStrategy(0, 1_000, HOUR_NS);
        final int rounds = 2_000;
        final AtomicBoolean[] work = new AtomicBoolean[rounds];
        for (int i = 0; i < rounds; i++)
        {
            work[i] = new AtomicBoolean();
        }
        final Thread replica = new Thread(() ->
        {
            for (int i = 0; i < rounds; i++)
            {
                while (!work[i].get()) // the "poll": nothing yet, idle
                {
                    idle.idle(0);
                }
                idle.idle(1);
            }
        });
        replica.start();
        for (int i = 0; i < rounds; i++)
        {
            if ((i & 7) == 0)
            {
                Thread.sleep(0, 200_000); // sometimes let it reach a long park first
            }
            work[i].set(true); // "publish", then wake, as FsService does
            idle.wake();
        }
        replica.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(replica.isAlive(), "a wake-up was lost: the replica thread is still parked");
    }

    @Test
    void wakesWithASpinPhaseToo() throws Exception
    {
        final WakeOnRequestIdleStrategy idle = new WakeOnRequestIdleStrategy(20_000, 1_000, HOUR_NS);
        final AtomicBoolean[] work = { new AtomicBoolean(), new AtomicBoolean(), new AtomicBoolean() };
        final Thread replica = new Thread(() ->
        {
            for (final AtomicBoolean w : work)
            {
                while (!w.get())
                {
                    idle.idle(0);
                }
                idle.idle(1);
            }
        });
        replica.start();
        for (final AtomicBoolean w : work)
        {
            Thread.sleep(20); // long enough to be parked (after any spin)
            w.set(true);
            idle.wake();
        }
        replica.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(replica.isAlive(), "a wake-up was lost: the replica thread is still parked");
    }

    @Test
    void rejectsBadParkBounds()
    {
        assertThrows(IllegalArgumentException.class, () -> new WakeOnRequestIdleStrategy(0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new WakeOnRequestIdleStrategy(0, 10, 5));
        assertThrows(IllegalArgumentException.class, () -> new WakeOnRequestIdleStrategy(-1, 10, 10));
    }
}
