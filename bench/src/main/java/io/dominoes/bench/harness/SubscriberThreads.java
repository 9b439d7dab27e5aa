package io.dominoes.bench.harness;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Two cache lines in front of {@link SubscriberThreads}' fields: subscriber threads read them on
 * every poll (the running flag, the counter array), and the objects allocated next to this one
 * (a harness's publisher-side state, a {@code BufferClaim}) are written by the publisher per message.
 */
abstract class SubscriberThreadsLhsPad
{
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

/**
 * The subscriber threads of a harness: their progress counters, their first failure, start/stop.
 * Padded on both sides (the fields sit between two 128-byte pads).
 */
final class SubscriberThreads extends SubscriberThreadsLhsPad
{
    /**
     * Counters 128 bytes apart so subscribers do not share a cache line (or an adjacent-line prefetch pair).
     */
    private static final int STRIDE = 16;

    private final String name;
    private final Thread[] threads;
    private final AtomicLongArray received;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    long p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32;

    SubscriberThreads(final String name, final int count)
    {
        this.name = name;
        this.received = new AtomicLongArray((count + 1) * STRIDE);
        this.threads = new Thread[count];
    }

    /**
     * Create and start the threads.
     *
     * @param body what thread {@code i} runs.
     */
    void start(final IntFunction<Runnable> body)
    {
        for (int i = 0; i < threads.length; i++)
        {
            final Runnable r = body.apply(i);
            final int index = i;
            threads[i] = new Thread(
                () ->
                {
                    try
                    {
                        r.run();
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                },
                name + "-subscriber-" + index);
            threads[i].setDaemon(true);
        }
        for (final Thread t : threads)
        {
            t.start();
        }
    }

    boolean isRunning()
    {
        return running;
    }

    /**
     * Release store: the publisher's acquire read in {@link #awaitDelivered} then also sees every
     * check the subscriber made before it (all checks happen-before the counter update).
     */
    void received(final int index, final long count)
    {
        received.lazySet((index + 1) * STRIDE, count);
    }

    void fail(final Throwable t)
    {
        failure.compareAndSet(null, t);
    }

    void checkFailure()
    {
        final Throwable t = failure.get();
        if (null != t)
        {
            throw t instanceof BenchmarkFailure ? (BenchmarkFailure)t : new BenchmarkFailure(name + ": subscriber failed: " + t, t);
        }
    }

    void awaitDelivered(final long published, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        for (int i = 0; i < threads.length; i++)
        {
            while (received.get((i + 1) * STRIDE) < published)
            {
                checkFailure();
                if (System.nanoTime() - deadline > 0)
                {
                    throw new BenchmarkFailure(name + ": subscriber " + i + " received " + received.get((i + 1) * STRIDE) +
                        " of " + published + " messages within " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
                }
                Thread.yield();
            }
            final long got = received.get((i + 1) * STRIDE);
            if (got != published)
            {
                throw new BenchmarkFailure(name + ": subscriber " + i + " received " + got + " messages, only " +
                    published + " were published");
            }
        }
        checkFailure();
    }

    void stop(final Runnable wakeUp)
    {
        running = false;
        wakeUp.run();
        for (final Thread t : threads)
        {
            if (null == t)
            {
                continue; // never started
            }
            try
            {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive())
            {
                throw new BenchmarkFailure(name + ": " + t.getName() + " did not stop within 10 s");
            }
        }
    }
}
