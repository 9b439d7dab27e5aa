package io.dominoes.tasks.remote;

import io.dominoes.tasks.examples.Fibonacci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A task server (in this JVM) and worker processes (child JVMs) over Aeron UDP on loopback: one worker is killed with
 * SIGKILL mid-job, another joins later; the job's result is still right and every task's result was used once.
 */
@Timeout(240)
class RemoteTierTest
{
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void jobSurvivesAWorkerKilledMidJobAndUsesEveryResultExactlyOnce() throws Exception
    {
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0))
        {
            port = probe.getLocalPort();
        }
        final String serverChannel = "aeron:udp?endpoint=127.0.0.1:" + port;
        final int n = 19;
        final long workloadUs = 200;
        try (TaskServer server = new TaskServer(serverChannel, dir.resolve("server").toString(), 1_000, 500))
        {
            final Process w1 = startWorker(serverChannel, "w1");
            startWorker(serverChannel, "w2");
            startWorker(serverChannel, "w3");
            awaitWorkers(server, 3);

            final Thread chaos = new Thread(() ->
            {
                try
                {
                    // Mid-job: once the server has handed out a good share of the work (w1 then holds tasks).
                    while (server.tasksIssued() < 40)
                    {
                        Thread.sleep(20);
                    }
                    w1.destroyForcibly();
                    System.out.println("RemoteTierTest: killed worker w1 (SIGKILL)");
                    Thread.sleep(300);
                    startWorker(serverChannel, "w4");
                    System.out.println("RemoteTierTest: started worker w4");
                }
                catch (final Exception ex)
                {
                    throw new RuntimeException(ex);
                }
            });
            final TaskClient.JobResult<Long> result;
            try (TaskClient client = new TaskClient(serverChannel, "aeron:udp?endpoint=127.0.0.1:0",
                dir.resolve("client").toString()))
            {
                chaos.start();
                result = client.run(new Fibonacci(n, workloadUs), 200_000);
            }
            chaos.join();
            System.out.printf("RemoteTierTest: created=%d accepted=%d issues=%d reissues=%d duplicates=%d lost=%d%n",
                result.created, result.accepted, result.issues, result.reissues, result.duplicates,
                server.workersLost());

            for (final String name : new String[]{ "w1", "w2", "w3", "w4" })
            {
                System.out.println(name + ": " + java.nio.file.Files.readString(dir.resolve(name + ".log")).trim());
            }
            assertEquals(Fibonacci.sequential(n, 0), result.value);
            assertEquals(result.created, result.accepted, "every server task completed exactly once");
            assertTrue(result.created > 1, "the job was split across the server");
            assertTrue(server.workersLost() >= 1, "the killed worker was detected");
            assertTrue(result.reissues >= 1, "the killed worker's tasks were re-issued");
            assertEquals(0, server.invalidMessages());
        }
        finally
        {
            for (final Process p : processes)
            {
                p.destroyForcibly();
            }
        }
    }

    private Process startWorker(final String serverChannel, final String name) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RemoteWorker.class.getName());
        command.add(serverChannel);
        command.add("aeron:udp?endpoint=127.0.0.1:0");
        command.add("1");
        command.add(dir.resolve(name).toString());
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
        synchronized (processes)
        {
            processes.add(process);
        }
        return process;
    }

    private static void awaitWorkers(final TaskServer server, final int count) throws InterruptedException
    {
        while (server.workerCount() < count)
        {
            Thread.sleep(50);
        }
    }
}
