package io.dominoes.tasks.local;

import io.dominoes.tasks.api.ForkTask;
import io.dominoes.tasks.api.Joinable;

/**
 * A forked {@link ForkTask}: runs once (inline by its joiner, or by a thief), then holds its result.
 */
final class ForkNode<A> extends Node implements Joinable<A>
{
    private final ForkTask<A> task;
    private final ResultSink sink;
    private final Worker forker;
    private volatile int state;
    private A result;
    private Throwable failure;

    private static final int NEW = 0;
    private static final int DONE = 2;

    ForkNode(final JobHandle<?> job, final ForkTask<A> task, final ResultSink sink, final Worker forker)
    {
        super(job);
        this.task = task;
        this.sink = sink;
        this.forker = forker;
    }

    Node run(final Worker worker)
    {
        try
        {
            result = task.compute(worker.forker());
        }
        catch (final Throwable t)
        {
            failure = t;
        }
        // Volatile write after result/failure: a joiner that reads DONE sees them.
        state = DONE;
        worker.onExecuted();
        if (sink != null)
        {
            if (failure != null)
            {
                job.fail(failure);
                return null;
            }
            return sink.deliver(0, result, worker);
        }
        return null;
    }

    public A join()
    {
        if (state != DONE)
        {
            forker.helpUntilDone(this);
        }
        if (failure != null)
        {
            throw failure instanceof RuntimeException ? (RuntimeException)failure : new RuntimeException(failure);
        }
        return result;
    }

    boolean isDone()
    {
        return state == DONE;
    }

    String path()
    {
        return "fork task " + task.getClass().getName();
    }
}
