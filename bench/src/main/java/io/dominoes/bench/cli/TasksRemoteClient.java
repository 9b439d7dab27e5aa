package io.dominoes.bench.cli;

import io.dominoes.tasks.examples.Fibonacci;
import io.dominoes.tasks.remote.TaskClient;

import java.io.PrintWriter;

/**
 * {@code tasks run fib --server ...}: submit to a task server and print what the server counted.
 */
final class TasksRemoteClient
{
    private TasksRemoteClient()
    {
    }

    static int runFib(
        final PrintWriter out,
        final String server,
        final String listen,
        final int n,
        final long workloadUs,
        final long timeoutS) throws Exception
    {
        final TaskClient.JobResult<Long> result = run(out, server, listen, new Fibonacci(n, workloadUs), timeoutS);
        out.printf("result: %d%n", result.value);
        out.flush();
        return 0;
    }

    /**
     * Submit a job to a (possibly replicated: comma-separated channels) server, print time and server counters.
     */
    static <R> TaskClient.JobResult<R> run(
        final PrintWriter out,
        final String server,
        final String listen,
        final io.dominoes.tasks.api.Task<R> job,
        final long timeoutS) throws Exception
    {
        try (TaskClient client = new TaskClient(server.split(","), listen, null))
        {
            final long start = System.nanoTime();
            final TaskClient.JobResult<R> result = client.run(job, timeoutS * 1000);
            final long elapsed = System.nanoTime() - start;
            out.printf("T (ms): %.3f%n", elapsed / 1e6);
            out.printf("tasks: %d (server-resident; the rest ran inside workers)%n", result.created);
            out.printf("steals: %d (tasks handed out by the server)%n", result.issues);
            out.printf("re-executions: %d%n", result.reissues);
            out.printf("duplicates dropped: %d%n", result.duplicates);
            out.flush();
            return result;
        }
    }
}
