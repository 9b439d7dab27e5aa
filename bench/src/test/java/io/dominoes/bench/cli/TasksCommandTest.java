package io.dominoes.bench.cli;

import io.dominoes.tasks.examples.Fibonacci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class TasksCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine cli = DominoesCli.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void runFibPrintsResultTimeAndCounters()
    {
        assertEquals(0, run("tasks", "run", "fib", "--n", "15", "--workload-us", "1", "--workers", "2"), err::toString);
        final String text = out.toString();
        assertTrue(text.contains("result: " + Fibonacci.sequential(15, 0)), text);
        assertTrue(text.contains("T (ms): "), text);
        assertTrue(text.contains("tasks: " + Fibonacci.taskCount(15)), text);
        assertTrue(text.contains("steals: "), text);
        assertTrue(text.contains("re-executions: 0"), text);
    }

    @Test
    void runKnapsackAndKMeansWithTinyParameters()
    {
        assertEquals(0, run("tasks", "run", "knapsack", "--items", "20", "--split-depth", "4", "--workers", "1"),
            err::toString);
        assertTrue(out.toString().contains("result: "), out.toString());
        assertEquals(0, run("tasks", "run", "kmeans", "--points", "1000", "--k", "3", "--iterations", "2",
            "--chunk", "100"), err::toString);
        assertTrue(out.toString().contains("centroid 2: "), out.toString());
    }

    @Test
    void rejectsWorkerCountOutOfRangeNamingTheValue()
    {
        assertNotEquals(0, run("tasks", "run", "fib", "--n", "5", "--workers", "0"));
        assertTrue(err.toString().contains("--workers must be in [1, 1024]: 0"), err.toString());
    }

    @Test
    void wrongArgumentsAreRejectedWithAMessageNamingThem()
    {
        assertNotEquals(0, run("tasks", "run", "fib", "--n", "5", "--idle", "busy"));
        assertTrue(err.toString().contains("--idle: unknown idle strategy 'busy', expected spin|yield|park|two-phase|adaptive"),
            err.toString());
        assertNotEquals(0, run("tasks", "worker", "--server", "udp://127.0.0.1:1"));
        assertTrue(err.toString().contains("--server: 'udp://127.0.0.1:1' is not an Aeron UDP channel"), err.toString());
        assertNotEquals(0, run("tasks", "server", "--replica-index", "0"));
        assertTrue(err.toString().contains("needs both --replica-index in [0, 63] and --log-dir: replica-index=0 log-dir=null"),
            err.toString());
        assertNotEquals(0, run("tasks", "run", "kmeans", "--points", "2", "--k", "3"));
        assertTrue(err.toString().contains("points=2 k=3"), err.toString());
        assertNotEquals(0, run("tasks", "worker", "--server", "aeron:udp?endpoint=127.0.0.1:1", "--idle", "x"));
        assertTrue(err.toString().contains("--idle: unknown idle strategy 'x'"), err.toString());
    }

    @Test
    void idleStrategyNamesOfTheReplicaRuntimeAreAccepted()
    {
        for (final String name : new String[]{ "spin", "yield", "park", "two-phase", "adaptive" })
        {
            assertEquals(0, run("tasks", "run", "fib", "--n", "10", "--workers", "2", "--idle", name), err::toString);
            assertTrue(out.toString().contains("result: 55"), out.toString());
        }
    }
}
