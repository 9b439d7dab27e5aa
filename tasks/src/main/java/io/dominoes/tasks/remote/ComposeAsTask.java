package io.dominoes.tasks.remote;

import io.dominoes.tasks.api.Args;
import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskContext;

/**
 * A compose successor received from the server together with its arguments, run as a task on a worker.
 */
final class ComposeAsTask implements Task<Object>, Args<Object>
{
    private static final long serialVersionUID = 1L;
    private final Compose<Object, Object> compose;
    private final Object[] args;

    @SuppressWarnings("unchecked")
    ComposeAsTask(final Compose<?, ?> compose, final Object[] args)
    {
        this.compose = (Compose<Object, Object>)compose;
        this.args = args;
    }

    public void execute(final TaskContext<Object> ctx)
    {
        compose.compose(this, ctx);
    }

    public int count()
    {
        return args.length;
    }

    public Object get(final int index)
    {
        return args[index];
    }
}
