package io.dominoes.tasks.remote;

import io.dominoes.tasks.examples.Fibonacci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two task server replicas in child JVMs share one Chronicle Queue log; two workers and a client (in this JVM)
 * send to both. The replica that sends (the lowest live index, replica 0) is killed with SIGKILL mid-job: replica 1
 * takes over from the log, and the job still completes with the right result and every server task's completion
 * accepted exactly once.
 */
@Timeout(240)
class ReplicatedTaskServerTest
{
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void jobSurvivesTheSendingServerReplicaKilledMidJob() throws Exception
    {
        final String[] replicas = { channel(freePort()), channel(freePort()) };
        final File log = dir.resolve("log").toFile();
        final Process r0 = startReplica(0, replicas[0], log);
        final Process r1 = startReplica(1, replicas[1], log);
        awaitLine("r0", "started");
        awaitLine("r1", "started");
        final int n = 18;
        final long workloadUs = 300;
        try (RemoteWorker w1 = new RemoteWorker(replicas, "aeron:udp?endpoint=127.0.0.1:0", 1,
                dir.resolve("w1").toString(), io.dominoes.core.idle.IdleStrategies::park);
            RemoteWorker w2 = new RemoteWorker(replicas, "aeron:udp?endpoint=127.0.0.1:0", 1,
                dir.resolve("w2").toString(), io.dominoes.core.idle.IdleStrategies::park);
            TaskClient client = new TaskClient(replicas, "aeron:udp?endpoint=127.0.0.1:0",
                dir.resolve("client").toString()))
        {
            final long[] receivedAtKill = new long[1];
            final Thread chaos = new Thread(() ->
            {
                try
                {
                    while (w1.tasksReceived() + w2.tasksReceived() < 30)
                    {
                        Thread.sleep(10);
                    }
                    receivedAtKill[0] = w1.tasksReceived() + w2.tasksReceived();
                    r0.destroyForcibly();
                    System.out.println("ReplicatedTaskServerTest: killed server replica 0 (SIGKILL) after " +
                        receivedAtKill[0] + " tasks received by workers");
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            chaos.start();
            final TaskClient.JobResult<Long> result = client.run(new Fibonacci(n, workloadUs), 200_000);
            chaos.join();
            final long receivedAfter = w1.tasksReceived() + w2.tasksReceived();
            System.out.printf("ReplicatedTaskServerTest: created=%d accepted=%d issues=%d reissues=%d " +
                "duplicates=%d; tasks received by workers %d (%d after the kill)%n", result.created, result.accepted,
                result.issues, result.reissues, result.duplicates, receivedAfter, receivedAfter - receivedAtKill[0]);
            System.out.println("r1: " + Files.readString(dir.resolve("r1.log")).trim());

            assertTrue(receivedAtKill[0] > 0 && !r0.isAlive(), "replica 0 was killed mid-job");
            assertTrue(r1.isAlive(), "replica 1 survived");
            assertEquals(Fibonacci.sequential(n, 0), result.value);
            assertEquals(result.created, result.accepted, "every server task's completion used exactly once");
            assertTrue(result.created > 1, "the job was split across the server");
            assertTrue(receivedAfter > receivedAtKill[0], "replica 1 issued tasks after the kill");
        }
        finally
        {
            for (final Process p : processes)
            {
                p.destroyForcibly();
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

    private static String channel(final int port)
    {
        return "aeron:udp?endpoint=127.0.0.1:" + port;
    }

    private void awaitLine(final String name, final String text) throws Exception
    {
        final Path file = dir.resolve(name + ".log");
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(file) || !Files.readString(file).contains(text))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(name + " did not print '" + text + "': " +
                    (Files.exists(file) ? Files.readString(file) : "(no output)"));
            }
            Thread.sleep(50);
        }
    }

    private Process startReplica(final int index, final String listen, final File log) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TaskServerReplica.class.getName());
        command.add(Integer.toString(index));
        command.add(listen);
        command.add(log.getPath());
        command.add(dir.resolve("aeron-r" + index).toString());
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("r" + index + ".log").toFile())
            .start();
        processes.add(process);
        return process;
    }
}
