package io.dominoes.tasks.remote;

import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.tasks.api.ExplodingTree;
import io.dominoes.tasks.api.TaskFailedException;
import io.dominoes.tasks.examples.Fibonacci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on the remote tier, server, worker and client in this JVM over Aeron UDP on loopback: a task that always
 * throws fails its job (path and exception reach the client) after a bounded number of attempts, and the server runs
 * the next job; a worker started before its server says it cannot reach it, keeps trying, and joins when the server
 * comes up.
 */
@Timeout(120)
class RemoteBadInputTest
{
    @TempDir
    Path dir;

    @Test
    void aTaskThatAlwaysThrowsFailsTheJobWithItsPathAfterThreeAttemptsAndTheServerRunsTheNextJob() throws Exception
    {
        final String server = "aeron:udp?endpoint=127.0.0.1:" + freePort();
        try (TaskServer taskServer = new TaskServer(server, dir.resolve("server").toString(), 1_000, 500);
            RemoteWorker worker = new RemoteWorker(new String[]{ server }, "aeron:udp?endpoint=127.0.0.1:0", 1,
                dir.resolve("worker").toString(), IdleStrategies::park);
            TaskClient client = new TaskClient(server, "aeron:udp?endpoint=127.0.0.1:0",
                dir.resolve("client").toString()))
        {
            final TaskFailedException failure = assertThrows(TaskFailedException.class,
                () -> client.run(new ExplodingTree(3, 0, 5), 60_000));
            assertEquals(ExplodingTree.pathOf(0, 3, 5).toString(), failure.path());
            assertTrue(failure.causeDescription().contains("java.lang.ArithmeticException: leaf 5 explodes"),
                failure.causeDescription());
            assertTrue(failure.getMessage().contains("failed " + TaskServerState.DEFAULT_MAX_FAILURES + " time(s)"),
                failure.getMessage());

            final TaskClient.JobResult<Long> next = client.run(new Fibonacci(12, 0), 60_000);
            assertEquals(Fibonacci.sequential(12, 0), next.value);
            assertEquals(next.created, next.accepted);
        }
    }

    @Test
    void aWorkerThatCannotReachTheServerSaysSoRetriesAndJoinsWhenItComesUp() throws Exception
    {
        final String server = "aeron:udp?endpoint=127.0.0.1:" + freePort();
        try (RemoteWorker worker = new RemoteWorker(new String[]{ server }, "aeron:udp?endpoint=127.0.0.1:0", 1,
            dir.resolve("worker").toString(), IdleStrategies::park))
        {
            while (worker.unreachableWarnings() == 0)
            {
                Thread.sleep(50);
            }
            assertFalse(worker.serverReachable());
            try (TaskServer taskServer = new TaskServer(server, dir.resolve("server").toString(), 1_000, 500))
            {
                while (taskServer.workerCount() < 1)
                {
                    Thread.sleep(50);
                }
                while (!worker.serverReachable())
                {
                    Thread.sleep(50);
                }
                try (TaskClient client = new TaskClient(server, "aeron:udp?endpoint=127.0.0.1:0",
                    dir.resolve("client").toString()))
                {
                    assertEquals(Fibonacci.sequential(10, 0), client.run(new Fibonacci(10, 0), 60_000).value);
                }
            }
        }
    }

    private static int freePort() throws IOException
    {
        try (DatagramSocket probe = new DatagramSocket(0))
        {
            return probe.getLocalPort();
        }
    }
}
