package io.dominoes.tasks.remote;

import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a task received with {@code split} once, capturing its outcome instead of running its children, so the worker
 * can return the children and compose to the server (which expands the graph there). Completes with either a
 * {@link Completed} or a {@link Spawned}.
 */
final class SplitProbe implements Task<Object>
{
    private static final long serialVersionUID = 1L;
    private final Task<?> task;

    SplitProbe(final Task<?> task)
    {
        this.task = task;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    public void execute(final TaskContext<Object> ctx)
    {
        final Capture capture = new Capture(ctx);
        ((Task)task).execute(capture);
        if (capture.completed)
        {
            ctx.complete(new Completed(capture.value));
        }
        else if (capture.compose != null)
        {
            ctx.complete(new Spawned(capture.children, capture.compose));
        }
        else
        {
            throw new IllegalStateException("task returned without complete() or spawn()+compose()");
        }
    }

    /**
     * The task completed with a value.
     */
    static final class Completed
    {
        final Object value;

        Completed(final Object value)
        {
            this.value = value;
        }
    }

    /**
     * The task spawned children and a compose.
     */
    static final class Spawned
    {
        final List<Task<?>> children;
        final Compose<?, ?> compose;

        Spawned(final List<Task<?>> children, final Compose<?, ?> compose)
        {
            this.children = children;
            this.compose = compose;
        }
    }

    private static final class Capture implements TaskContext<Object>
    {
        private final TaskContext<Object> outer;
        final List<Task<?>> children = new ArrayList<>();
        Compose<?, ?> compose;
        Object value;
        boolean completed;

        Capture(final TaskContext<Object> outer)
        {
            this.outer = outer;
        }

        public void complete(final Object value)
        {
            if (completed || !children.isEmpty())
            {
                throw new IllegalStateException("complete() after another outcome");
            }
            this.value = value;
            completed = true;
        }

        public <A> void spawn(final Task<A> child)
        {
            if (completed || compose != null || child == null)
            {
                throw new IllegalStateException("spawn() after complete()/compose(), or of null");
            }
            children.add(child);
        }

        public <A> void compose(final Compose<A, Object> successor)
        {
            if (children.isEmpty() || compose != null || successor == null)
            {
                throw new IllegalStateException("compose() needs spawn() before it, once, non-null");
            }
            compose = successor;
        }

        public long incumbent()
        {
            return outer.incumbent();
        }

        public boolean offerIncumbent(final long value)
        {
            return outer.offerIncumbent(value);
        }

        public int workerIndex()
        {
            return outer.workerIndex();
        }
    }
}
