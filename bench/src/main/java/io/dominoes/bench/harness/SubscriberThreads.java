package io.dominoes.bench.harness;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The subscriber threads of a harness: their progress counters, their first failure, start/stop.
 */
final class SubscriberThreads
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

    SubscriberThreads(final String name, final int count, final IntFunction<Runnable> body)
    {
        this.name = name;
        this.received = new AtomicLongArray((count + 1) * STRIDE);
        this.threads = new Thread[count];
        for (int i = 0; i < count; i++)
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
    }

    void start()
    {
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
