package io.dominoes.bench.cli;

import io.dominoes.tasks.remote.TaskServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code ./dominoes tasks server}: a task server that runs until killed (or for --duration-s).
 */
@Command(name = "server", description = "Run a task server; workers and clients connect to --channel.")
public final class TasksServerCommand implements Callable<Integer>
{
    @Option(names = "--channel", defaultValue = "aeron:udp?endpoint=127.0.0.1:40123",
        description = "receive channel (default ${DEFAULT-VALUE})")
    String channel;

    @Option(names = "--aeron-dir", description = "embedded media driver directory (default: a fresh one)")
    String aeronDir;

    @Option(names = "--worker-timeout-ms", defaultValue = "1000",
        description = "heartbeat silence after which a worker's tasks are re-issued (default ${DEFAULT-VALUE})")
    long workerTimeoutMs;

    @Option(names = "--reissue-after-ms", defaultValue = "500",
        description = "age after which an idle worker gets a duplicate of an outstanding task (default ${DEFAULT-VALUE})")
    long reissueAfterMs;

    @Option(names = "--duration-s", defaultValue = "0", description = "stop after this long, 0 = run until killed")
    long durationS;

    public Integer call() throws Exception
    {
        try (TaskServer server = new TaskServer(channel, aeronDir, workerTimeoutMs, reissueAfterMs))
        {
            System.out.println("task server on " + channel);
            final long end = durationS > 0 ? System.nanoTime() + durationS * 1_000_000_000L : Long.MAX_VALUE;
            int workers = -1;
            while (System.nanoTime() - end < 0)
            {
                Thread.sleep(200);
                if (server.workerCount() != workers)
                {
                    workers = server.workerCount();
                    System.out.println("workers: " + workers + " (lost so far: " + server.workersLost() + ")");
                }
            }
        }
        return 0;
    }
}
