package io.dominoes.tasks.examples;

import io.dominoes.tasks.local.TaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class ExamplesTest
{
    @Test
    void fibonacciWithWorkloadMatchesSequential()
    {
        try (TaskExecutor executor = new TaskExecutor(2))
        {
            assertEquals(Fibonacci.sequential(12, 20), executor.invoke(new Fibonacci(12, 20)));
        }
    }

    @Test
    void workloadBurnsAboutTheRequestedTime()
    {
        // Not a timing assertion on the code under test's speed: only that calibration produced a sane, positive rate.
        assertTrue(Workload.iterationsPerUs() > 1, "iterations per us " + Workload.iterationsPerUs());
    }

    @Test
    void kMeansMatchesSequentialBitForBit()
    {
        final double[][] points = KMeans.points(5_000, 3, 4, 42);
        final double[][] expected = KMeans.sequential(points, 4, 6, 500);
        try (TaskExecutor executor = new TaskExecutor(2))
        {
            final double[][] actual = executor.invoke(KMeans.job(points, 4, 6, 500));
            assertEquals(expected.length, actual.length);
            for (int c = 0; c < expected.length; c++)
            {
                assertArrayEquals(expected[c], actual[c], 0.0, "centroid " + c);
            }
            // 6 iterations x (10 chunks + 1 update) + root.
            assertEquals(6 * 11 + 1, executor.tasksExecuted());
        }
    }

    @Test
    void kMeansParallelStreamsAndSeededJobMatchSequentialBitForBit() throws Exception
    {
        final double[][] points = KMeans.points(5_000, 3, 4, 42);
        final double[][] expected = KMeans.sequential(points, 4, 6, 500);
        final java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(2);
        try (TaskExecutor executor = new TaskExecutor(2))
        {
            final double[][] streams = pool.submit(() -> KMeans.parallelStreams(points, 4, 6, 500)).get();
            final double[][] seeded = executor.invoke(KMeans.seededJob(5_000, 3, 4, 42, 4, 6, 500));
            for (int c = 0; c < expected.length; c++)
            {
                assertArrayEquals(expected[c], streams[c], 0.0, "streams centroid " + c);
                assertArrayEquals(expected[c], seeded[c], 0.0, "seeded centroid " + c);
            }
        }
        finally
        {
            pool.shutdown();
        }
    }

    @Test
    void knapsackBranchAndBoundFindsTheOptimumAndPrunes()
    {
        final Knapsack.Instance instance = Knapsack.Instance.random(40, 7);
        final long expected = Knapsack.dynamicProgramming(instance);
        try (TaskExecutor executor = new TaskExecutor(2))
        {
            final LongAdder visited = new LongAdder();
            assertEquals(expected, executor.invoke(Knapsack.job(instance, 8, visited)));
            // A full tree has 2^41 - 1 nodes: the shared incumbent must have cut almost all of it.
            assertTrue(visited.sum() < 1L << 30, "visited " + visited.sum());
        }
    }

    @Test
    void knapsackSmallInstancesAgreeWithDynamicProgramming()
    {
        try (TaskExecutor executor = new TaskExecutor(2))
        {
            for (long seed = 0; seed < 20; seed++)
            {
                final Knapsack.Instance instance = Knapsack.Instance.random(15, seed);
                assertEquals(Knapsack.dynamicProgramming(instance),
                    executor.invoke(Knapsack.job(instance, 4, null)), "seed " + seed);
            }
        }
    }
}
