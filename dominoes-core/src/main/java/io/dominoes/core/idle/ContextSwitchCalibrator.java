package io.dominoes.core.idle;

import java.util.concurrent.locks.LockSupport;

/**
 * Measures, once per JVM, what one context switch costs: two threads hand a token back and forth with
 * {@link LockSupport#park()}/{@link LockSupport#unpark(Thread)}, and a one-way hand-over (wake-up
 * latency, the cost an idle thread pays when it blocks instead of spinning) is half a round trip.
 * Implicit coscheduling (Arpaci-Dusseau et al.) spins for about this long before blocking: waits
 * shorter than a switch are cheaper to spin through, longer ones are cheaper to sleep through.
 *
 * <p>The measurement is clamped to [{@link #MIN_NS}, {@link #MAX_NS}] so a noisy machine cannot make
 * a spin strategy spin for milliseconds. Wall time is fine here: this tunes scheduling, never state.
 */
public final class ContextSwitchCalibrator
{
    /**
     * Lower clamp of the measurement.
     */
    public static final long MIN_NS = 1_000;

    /**
     * Upper clamp of the measurement.
     */
    public static final long MAX_NS = 100_000;

    private static final int ROUND_TRIPS = 2_000;
    private static volatile long measuredNs = -1;

    private ContextSwitchCalibrator()
    {
    }

    /**
     * @return the one-way hand-over time in nanoseconds, measured on first call (a few ms), cached.
     */
    public static long contextSwitchNs()
    {
        long ns = measuredNs;
        if (ns < 0)
        {
            synchronized (ContextSwitchCalibrator.class)
            {
                ns = measuredNs;
                if (ns < 0)
                {
                    ns = Math.max(MIN_NS, Math.min(MAX_NS, measure(ROUND_TRIPS)));
                    measuredNs = ns;
                }
            }
        }
        return ns;
    }

    /**
     * Run the ping-pong.
     *
     * @param roundTrips to time, {@code > 0}.
     * @return median-free mean one-way hand-over in ns (unclamped).
     */
    static long measure(final int roundTrips)
    {
        final Token token = new Token();
        final Thread pinger = Thread.currentThread();
        final Thread ponger = new Thread(() ->
        {
            for (int i = 0; i < roundTrips; i++)
            {
                while (token.turn != 1)
                {
                    LockSupport.park();
                }
                token.turn = 0;
                LockSupport.unpark(pinger);
            }
        }, "dominoes-ctx-switch-calibrator");
        ponger.setDaemon(true);
        ponger.start();
        final long start = System.nanoTime();
        for (int i = 0; i < roundTrips; i++)
        {
            token.turn = 1;
            LockSupport.unpark(ponger);
            while (token.turn != 0)
            {
                LockSupport.park();
            }
        }
        final long elapsed = System.nanoTime() - start;
        try
        {
            ponger.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return elapsed / (2L * roundTrips);
    }

    private static final class Token
    {
        // volatile: the hand-over itself is the synchronisation being timed.
        volatile int turn;
    }
}
