package io.dominoes.bench.jmh.tasks;

import io.dominoes.tasks.examples.Fibonacci;
import io.dominoes.tasks.examples.Workload;
import io.dominoes.tasks.local.TaskExecutor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * CX's table: F(n) with W us of synthetic work per task. T_SEQ is plain recursive code with the same workload,
 * T_1/T_2 the executor with 1/2 workers, and ForkJoinPool(1)/(2) on the same task classes, all in one run.
 * {@link CxTableRunner} runs it and prints efficiency T_SEQ/T_1 and speedup T_1/T_2.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class CxFibBenchmark
{
    /** F(n). */
    @Param("10")
    public int n;

    /** Synthetic work per task in microseconds, 0 .. 4500 as in CX. */
    @Param({ "0", "500", "1000", "1500", "2000", "2500", "3000", "3500", "4000", "4500" })
    public long workloadUs;

    private long expected;
    private TaskExecutor one;
    private TaskExecutor two;
    private ForkJoinPool poolOne;
    private ForkJoinPool poolTwo;

    /**
     * Calibrate the workload loop and start the executors once per trial.
     */
    @Setup
    public void setup()
    {
        Workload.iterationsPerUs();
        expected = Fibonacci.sequential(n, 0);
        one = new TaskExecutor(1);
        two = new TaskExecutor(2);
        poolOne = new ForkJoinPool(1);
        poolTwo = new ForkJoinPool(2);
    }

    /**
     * Stop them.
     */
    @TearDown
    public void tearDown()
    {
        one.close();
        two.close();
        poolOne.shutdownNow();
        poolTwo.shutdownNow();
    }

    /**
     * @return F(n), plain recursion.
     */
    @Benchmark
    public long tSeq()
    {
        return check(Fibonacci.sequential(n, workloadUs));
    }

    /**
     * @return F(n), executor with 1 worker.
     */
    @Benchmark
    public long t1()
    {
        return check(one.invoke(new Fibonacci(n, workloadUs)));
    }

    /**
     * @return F(n), executor with 2 workers.
     */
    @Benchmark
    public long t2()
    {
        return check(two.invoke(new Fibonacci(n, workloadUs)));
    }

    /**
     * @return F(n), ForkJoinPool(1) on the same tasks.
     */
    @Benchmark
    public long fjp1()
    {
        return check(ForkJoinPoolAdapter.invoke(poolOne, new Fibonacci(n, workloadUs)));
    }

    /**
     * @return F(n), ForkJoinPool(2) on the same tasks.
     */
    @Benchmark
    public long fjp2()
    {
        return check(ForkJoinPoolAdapter.invoke(poolTwo, new Fibonacci(n, workloadUs)));
    }

    private long check(final long value)
    {
        if (value != expected)
        {
            throw new IllegalStateException("F(" + n + ") = " + value + ", expected " + expected);
        }
        return value;
    }
}
