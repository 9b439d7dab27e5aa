package io.dominoes.tasks.examples;

import io.dominoes.tasks.api.Args;
import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.ForkTask;
import io.dominoes.tasks.api.Forker;
import io.dominoes.tasks.api.Joinable;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskContext;

/**
 * CX's benchmark: F(n) by the doubly recursive definition, every task (each decomposition and each sum) doing W us of
 * synthetic work. {@link #sequential(int, long)} is the same computation as plain recursive code (T_SEQ).
 */
public final class Fibonacci implements Task<Long>
{
    private static final long serialVersionUID = 1L;

    private final int n;
    private final long workloadUs;

    /**
     * @param n          argument, 0..92 (F(92) is the largest that fits a long).
     * @param workloadUs synthetic work per task in microseconds, 0 for none.
     */
    public Fibonacci(final int n, final long workloadUs)
    {
        if (n < 0 || n > 92)
        {
            throw new IllegalArgumentException("n must be in [0, 92]: " + n);
        }
        this.n = n;
        this.workloadUs = workloadUs;
    }

    public void execute(final TaskContext<Long> ctx)
    {
        Workload.burn(workloadUs);
        if (n < 2)
        {
            ctx.complete((long)n);
        }
        else
        {
            ctx.spawn(new Fibonacci(n - 1, workloadUs));
            ctx.spawn(new Fibonacci(n - 2, workloadUs));
            ctx.compose(new Sum(workloadUs));
        }
    }

    /**
     * The compose successor: adds its two arguments.
     */
    public static final class Sum implements Compose<Long, Long>
    {
        private static final long serialVersionUID = 1L;
        private final long workloadUs;

        /**
         * @param workloadUs synthetic work in microseconds.
         */
        public Sum(final long workloadUs)
        {
            this.workloadUs = workloadUs;
        }

        public void compose(final Args<Long> args, final TaskContext<Long> ctx)
        {
            Workload.burn(workloadUs);
            ctx.complete(args.getLong(0) + args.getLong(1));
        }
    }

    /**
     * The same computation in the fork/join style.
     */
    public static final class Forked implements ForkTask<Long>
    {
        private final int n;
        private final long workloadUs;

        /**
         * @param n          argument.
         * @param workloadUs synthetic work per task.
         */
        public Forked(final int n, final long workloadUs)
        {
            this.n = n;
            this.workloadUs = workloadUs;
        }

        public Long compute(final Forker forker)
        {
            Workload.burn(workloadUs);
            if (n < 2)
            {
                return (long)n;
            }
            final Joinable<Long> a = forker.fork(new Forked(n - 1, workloadUs));
            final long b = new Forked(n - 2, workloadUs).compute(forker);
            final long sum = a.join() + b;
            Workload.burn(workloadUs);
            return sum;
        }
    }

    /**
     * Plain recursive code with the same workload per call and per addition (T_SEQ).
     *
     * @param n          argument.
     * @param workloadUs synthetic work per task.
     * @return F(n).
     */
    public static long sequential(final int n, final long workloadUs)
    {
        Workload.burn(workloadUs);
        if (n < 2)
        {
            return n;
        }
        final long sum = sequential(n - 1, workloadUs) + sequential(n - 2, workloadUs);
        Workload.burn(workloadUs);
        return sum;
    }

    /**
     * @param n argument.
     * @return number of task executions for F(n): F(n) tree nodes plus one sum per inner node.
     */
    public static long taskCount(final int n)
    {
        // Nodes of the call tree: N(n) = 2 F(n+1) - 1, of which F(n+1) - 1 are inner (each with one Sum).
        long a = 0;
        long b = 1;
        for (int i = 0; i < n + 1; i++)
        {
            final long next = a + b;
            a = b;
            b = next;
        }
        final long fibNext = a;
        return 2 * fibNext - 1 + fibNext - 1;
    }
}
