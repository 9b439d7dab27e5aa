package io.dominoes.bench.jmh.tasks;

import io.dominoes.tasks.api.Args;
import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the same application {@link Task}/{@link Compose} classes on {@link java.util.concurrent.ForkJoinPool}, for a
 * comparison on identical work: a task that spawns forks all children but the first, computes the first inline,
 * joins the rest, then runs the compose (which may spawn again) the same way.
 */
public final class ForkJoinPoolAdapter
{
    private ForkJoinPoolAdapter()
    {
    }

    /**
     * @param pool to run on.
     * @param root task.
     * @param <R>  result type.
     * @return the root's result.
     */
    @SuppressWarnings("unchecked")
    public static <R> R invoke(final ForkJoinPool pool, final Task<R> root)
    {
        return (R)pool.invoke(new Adapted(root, null));
    }

    private static final class Adapted extends RecursiveTask<Object>
    {
        private static final long serialVersionUID = 1L;
        private final Task<?> task;
        private final ArgsView args;

        Adapted(final Task<?> task, final ArgsView args)
        {
            this.task = task;
            this.args = args;
        }

        @SuppressWarnings({ "unchecked", "rawtypes" })
        protected Object compute()
        {
            Capture capture = new Capture();
            ((Task)task).execute(capture);
            while (!capture.completed)
            {
                final int n = capture.children.size();
                final Adapted[] forked = new Adapted[n];
                for (int i = n - 1; i >= 1; i--)
                {
                    forked[i] = new Adapted(capture.children.get(i), null);
                    forked[i].fork();
                }
                final Object[] results = new Object[n];
                results[0] = new Adapted(capture.children.get(0), null).compute();
                for (int i = 1; i < n; i++)
                {
                    results[i] = forked[i].join();
                }
                final Compose compose = capture.compose;
                capture = new Capture();
                compose.compose(new ArgsView(results), capture);
            }
            return capture.value;
        }
    }

    private static final class ArgsView implements Args<Object>
    {
        private final Object[] values;

        ArgsView(final Object[] values)
        {
            this.values = values;
        }

        public int count()
        {
            return values.length;
        }

        public Object get(final int index)
        {
            return values[index];
        }
    }

    private static final class Capture implements TaskContext<Object>
    {
        private static final AtomicLong INCUMBENT = new AtomicLong(Long.MIN_VALUE);
        final List<Task<?>> children = new ArrayList<>(2);
        Compose<?, ?> compose;
        Object value;
        boolean completed;

        public void complete(final Object value)
        {
            this.value = value;
            completed = true;
        }

        public <A> void spawn(final Task<A> child)
        {
            children.add(child);
        }

        public <A> void compose(final Compose<A, Object> successor)
        {
            compose = successor;
        }

        public long incumbent()
        {
            return INCUMBENT.get();
        }

        public boolean offerIncumbent(final long value)
        {
            return INCUMBENT.accumulateAndGet(value, Math::max) == value;
        }

        public int workerIndex()
        {
            return 0;
        }
    }
}
