package io.dominoes.tasks.local;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * One submitted job: its result (the root task's result), failure, and incumbent. Thread safe.
 *
 * @param <R> result type.
 */
public final class JobHandle<R> implements ResultSink
{
    private final int jobId;
    private final Incumbent incumbent;
    private final BiConsumer<? super R, Throwable> listener;
    private volatile boolean done;
    private volatile Thread waiter;
    private Object result;
    private Throwable failure;

    JobHandle(final int jobId, final Incumbent incumbent, final BiConsumer<? super R, Throwable> listener)
    {
        this.jobId = jobId;
        this.incumbent = incumbent;
        this.listener = listener;
    }

    /**
     * @return job number, the first component of its task ids.
     */
    public int jobId()
    {
        return jobId;
    }

    /**
     * @return the job's incumbent.
     */
    public Incumbent incumbent()
    {
        return incumbent;
    }

    /**
     * @return true once the job completed or failed.
     */
    public boolean isDone()
    {
        return done;
    }

    /**
     * Wait for the result.
     *
     * @return the root task's result.
     * @throws RuntimeException when a task of the job threw (the cause is the task's exception).
     */
    public R join()
    {
        try
        {
            return join(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Wait for the result at most the given time.
     *
     * @param timeout how long.
     * @param unit    of timeout.
     * @return the root task's result.
     * @throws TimeoutException when not done in time.
     */
    @SuppressWarnings("unchecked")
    public R join(final long timeout, final TimeUnit unit) throws TimeoutException
    {
        final long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 4);
        waiter = Thread.currentThread();
        while (!done)
        {
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                throw new TimeoutException("job " + jobId + " not done after " + timeout + " " + unit);
            }
            // Parks until complete/fail unparks us (waiter is written before done is re-read, and they write done
            // before reading waiter, so one of us sees the other); the 10 ms cap covers a spurious race anyway.
            LockSupport.parkNanos(this, Math.min(left, 10_000_000L));
        }
        waiter = null;
        // done is volatile and written after result/failure: this read of done acquires them.
        if (failure != null)
        {
            throw new RuntimeException("job " + jobId + " failed", failure);
        }
        return (R)result;
    }

    public Node deliver(final int slot, final Object value, final Worker worker)
    {
        if (!finish(value, null))
        {
            worker.onDuplicate();
        }
        return null;
    }

    void fail(final Throwable cause)
    {
        finish(null, cause);
    }

    @SuppressWarnings("unchecked")
    private boolean finish(final Object value, final Throwable cause)
    {
        synchronized (this)
        {
            // Rare, once per job: a lock keeps the first outcome and makes a later one (duplicate, or a failure after
            // completion) a no-op.
            if (done)
            {
                return false;
            }
            result = value;
            failure = cause;
            done = true;
        }
        final Thread t = waiter;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
        if (listener != null)
        {
            listener.accept((R)value, cause);
        }
        return true;
    }
}
