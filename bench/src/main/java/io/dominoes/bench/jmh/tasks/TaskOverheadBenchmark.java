package io.dominoes.bench.jmh.tasks;

import io.dominoes.tasks.examples.Fibonacci;
import io.dominoes.tasks.local.TaskExecutor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one task (spawn + execute + compose share) with no workload: F(20) = 32,836 task executions per
 * invocation, reported per task execution. One worker, so this is the work-first sequential path; the plain recursive
 * call and ForkJoinPool(1) on the same task classes are the baselines. Each invocation checks its answer.
 * <p>
 * Run: {@code java -cp "bench/target/classes:bench/target/lib/*" $(cat bench/target/classes/dominoes-jvm.flags)
 * org.openjdk.jmh.Main TaskOverheadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TaskOverheadBenchmark
{
    static final int N = 20;
    static final int TASKS = 32_836;
    static final long EXPECTED = 6765;

    private TaskExecutor executor;
    private ForkJoinPool pool;

    /**
     * Start the executor and pool once per trial.
     */
    @Setup
    public void setup()
    {
        if (Fibonacci.taskCount(N) != TASKS)
        {
            throw new IllegalStateException("task count changed: " + Fibonacci.taskCount(N));
        }
        executor = new TaskExecutor(1);
        pool = new ForkJoinPool(1);
    }

    /**
     * Stop them.
     */
    @TearDown
    public void tearDown()
    {
        executor.close();
        pool.shutdownNow();
    }

    /**
     * @return F(20) via spawn/compose tasks on one worker.
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long executorOneWorker()
    {
        return check(executor.invoke(new Fibonacci(N, 0)));
    }

    /**
     * @return F(20) via the fork/join style on one worker.
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long executorForkJoinStyle()
    {
        return check(executor.invoke(new Fibonacci.Forked(N, 0)));
    }

    /**
     * @return F(20) with the same task classes on ForkJoinPool(1).
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long forkJoinPoolSameTasks()
    {
        return check(ForkJoinPoolAdapter.invoke(pool, new Fibonacci(N, 0)));
    }

    /**
     * @return F(20) as plain recursive calls (per-call baseline).
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long sequential()
    {
        return check(Fibonacci.sequential(N, 0));
    }

    private static long check(final long value)
    {
        if (value != EXPECTED)
        {
            throw new IllegalStateException("F(" + N + ") = " + value);
        }
        return value;
    }
}
