package io.dominoes.tasks.local;

import io.dominoes.tasks.api.Args;
import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskContext;
import io.dominoes.tasks.api.TaskId;
import io.dominoes.tasks.examples.Fibonacci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class TaskExecutorTest
{
    @Test
    void workersPinnedToTheAllowedCpusComputeTheSameResult()
    {
        if (!io.dominoes.os.affinity.CpuAffinity.isSupported())
        {
            System.out.println("skipped: CPU affinity not supported here");
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "CPU affinity not supported");
        }
        try (TaskExecutor executor = new TaskExecutor(2, TaskExecutor.defaultIdleStrategy(2),
            TaskExecutor.allowedCpusRoundRobin(2)))
        {
            assertEquals(Fibonacci.sequential(20, 0), executor.invoke(new Fibonacci(20, 0)));
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new TaskExecutor(2, TaskExecutor.defaultIdleStrategy(2), new int[]{ 0 }));
    }

    @Test
    void aThrowingTaskFailsItsJobNamingThePathAndTheExecutorStaysUsable()
    {
        try (TaskExecutor executor = new TaskExecutor(2))
        {
            final RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> executor.invoke(new io.dominoes.tasks.api.ExplodingTree(4, 0, 11)));
            final io.dominoes.tasks.api.TaskFailedException failure =
                (io.dominoes.tasks.api.TaskFailedException)thrown.getCause();
            assertEquals(io.dominoes.tasks.api.ExplodingTree.pathOf(0, 4, 11).toString(), failure.path());
            assertEquals(ArithmeticException.class, failure.getCause().getClass());
            org.junit.jupiter.api.Assertions.assertTrue(failure.getMessage().contains("leaf 11 explodes"),
                failure.getMessage());
            // Same executor, next jobs: unaffected.
            assertEquals(16L, executor.invoke(new io.dominoes.tasks.api.ExplodingTree(4, 0, -1)));
            assertEquals(Fibonacci.sequential(15, 0), executor.invoke(new Fibonacci(15, 0)));
        }
    }

    @Test
    void fibonacciOnOneWorkerMatchesSequentialAndCountsEveryTask()
    {
        try (TaskExecutor executor = new TaskExecutor(1))
        {
            assertEquals(Fibonacci.sequential(20, 0), executor.invoke(new Fibonacci(20, 0)));
            assertEquals(Fibonacci.taskCount(20), executor.tasksExecuted());
            assertEquals(0, executor.steals());
            assertEquals(0, executor.duplicatesDropped());
        }
    }

    @Test
    void fibonacciOnTwoWorkersMatchesSequential()
    {
        try (TaskExecutor executor = new TaskExecutor(2))
        {
            for (int i = 0; i < 3; i++)
            {
                assertEquals(Fibonacci.sequential(22, 0), executor.invoke(new Fibonacci(22, 0)));
            }
            assertEquals(3 * Fibonacci.taskCount(22), executor.tasksExecuted());
            assertEquals(0, executor.queued());
        }
    }

    @Test
    void forkJoinStyleMatchesSequential()
    {
        try (TaskExecutor executor = new TaskExecutor(2))
        {
            assertEquals(Fibonacci.sequential(22, 0), executor.invoke(new Fibonacci.Forked(22, 0)));
        }
    }

    @Test
    void concurrentJobsGetTheirOwnResults() throws Exception
    {
        try (TaskExecutor executor = new TaskExecutor(2))
        {
            final JobHandle<Long> a = executor.submit(new Fibonacci(18, 0));
            final JobHandle<Long> b = executor.submit(new Fibonacci(19, 0));
            assertEquals(Fibonacci.sequential(19, 0), b.join(30, TimeUnit.SECONDS));
            assertEquals(Fibonacci.sequential(18, 0), a.join(30, TimeUnit.SECONDS));
            assertNotEquals(a.jobId(), b.jobId());
        }
    }

    @Test
    void taskWithoutOutcomeFailsTheJobWithItsId()
    {
        try (TaskExecutor executor = new TaskExecutor(1))
        {
            final RuntimeException ex = assertThrows(RuntimeException.class, () -> executor.invoke(ctx -> {}));
            assertTrue(ex.getCause().getMessage().contains("without complete()"), ex.getCause().getMessage());
        }
    }

    @Test
    void composeWithoutSpawnIsMisuse()
    {
        try (TaskExecutor executor = new TaskExecutor(1))
        {
            final Task<Long> bad = ctx -> ctx.compose((Compose<Long, Long>)(args, c) -> c.complete(1L));
            final RuntimeException ex = assertThrows(RuntimeException.class, () -> executor.invoke(bad));
            // Reported like any failing task: a TaskFailedException naming the path, the misuse as its cause.
            assertInstanceOf(io.dominoes.tasks.api.TaskFailedException.class, ex.getCause());
            assertInstanceOf(IllegalStateException.class, ex.getCause().getCause());
        }
    }

    @Test
    void duplicateResultForTheSameChildIsDroppedAndArgumentUsedOnce()
    {
        final TaskExecutor executor = new TaskExecutor(1);
        try
        {
            final Worker worker = executor.workers()[0];
            final JobHandle<Object> job = new JobHandle<>(0, new Incumbent(), null);
            final Compose<Long, Object> sum = (Args<Long> args, TaskContext<Object> ctx) ->
                ctx.complete(args.getLong(0) + args.getLong(1));
            final ComposeNode node = new ComposeNode(job, sum, TaskId.root(0).child(2), 2, job, 0);
            assertNull(node.deliver(0, 5L, worker));
            assertNull(node.deliver(0, 7L, worker), "duplicate of slot 0 must not make the node ready");
            assertSame(node, node.deliver(1, 10L, worker));
            assertNull(node.deliver(1, 99L, worker));
            assertEquals(5L, node.get(0));
            assertEquals(10L, node.get(1));
            assertEquals(2, worker.counters.duplicates());
        }
        finally
        {
            executor.close();
        }
    }

    @Test
    void taskIdsAreSpawnPaths()
    {
        try (TaskExecutor executor = new TaskExecutor(1))
        {
            final java.util.List<String> ids = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            final class Probe implements Task<String>
            {
                private final int depth;

                Probe(final int depth)
                {
                    this.depth = depth;
                }

                public void execute(final TaskContext<String> ctx)
                {
                    if (depth == 0)
                    {
                        ctx.complete("leaf");
                        return;
                    }
                    ctx.spawn(new Probe(depth - 1));
                    ctx.spawn(new Probe(depth - 1));
                    ctx.compose((Args<String> args, TaskContext<String> c) -> c.complete(args.get(0) + args.get(1)));
                }
            }
            final JobHandle<String> job = executor.submit(new Probe(1), TaskId.root(7), new Incumbent(),
                (r, t) -> ids.add(String.valueOf(r)));
            assertEquals("leafleaf", job.join());
            assertEquals(7, job.jobId());
            assertEquals(4, executor.tasksExecuted());
        }
    }
}
