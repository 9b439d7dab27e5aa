package io.dominoes.tasks.local;

import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskId;

/**
 * A spawned {@link Task} waiting to run.
 */
final class TaskNode extends Node
{
    final Task<?> task;
    final TaskId id;
    final ResultSink successor;
    final int slot;

    TaskNode(final JobHandle<?> job, final Task<?> task, final TaskId id, final ResultSink successor, final int slot)
    {
        super(job);
        this.task = task;
        this.id = id;
        this.successor = successor;
        this.slot = slot;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    Node run(final Worker worker)
    {
        if (job.isDone())
        {
            return null;
        }
        final WorkerTaskContext ctx = worker.context;
        ctx.begin(job, id);
        ((Task)task).execute(ctx);
        return ctx.finish(worker, successor, slot);
    }

    String path()
    {
        return String.valueOf(id);
    }
}
