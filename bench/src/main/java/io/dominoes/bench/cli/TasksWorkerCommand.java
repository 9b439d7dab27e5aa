package io.dominoes.bench.cli;

import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.tasks.remote.RemoteWorker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code ./dominoes tasks worker --server CHANNEL}: a worker process that joins the server and runs its tasks.
 */
@Command(name = "worker", description = "Run a worker process for a task server.")
public final class TasksWorkerCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", required = true, description = "the server's channel, e.g. " +
        "aeron:udp?endpoint=127.0.0.1:40123; for a replicated server every replica's, comma-separated")
    String server;

    @Option(names = "--idle", description = "idle strategy of the worker threads: " + IdleStrategies.NAMES +
        " (default: two-phase with a core per worker, else park)")
    String idle;

    @Option(names = "--listen", defaultValue = "aeron:udp?endpoint=127.0.0.1:0",
        description = "this worker's receive channel (default ${DEFAULT-VALUE}; port 0 = any free)")
    String listen;

    @Option(names = "--workers", defaultValue = "1", description = "local worker threads (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--aeron-dir", description = "embedded media driver directory (default: a fresh one)")
    String aeronDir;

    @Option(names = "--duration-s", defaultValue = "0", description = "leave after this long, 0 = run until killed")
    long durationS;

    public Integer call() throws Exception
    {
        if (workers < 1 || workers > 1024)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers must be in [1, 1024]: " + workers);
        }
        if (durationS < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--duration-s must be >= 0: " + durationS);
        }
        final String[] servers = TasksServerCommand.channels(spec, "--server", server);
        try (RemoteWorker worker = new RemoteWorker(servers, listen, workers, aeronDir,
            TasksCommand.idleSupplier(spec, idle, workers)))
        {
            System.out.println("worker joined " + server);
            Thread.sleep(durationS > 0 ? durationS * 1000 : Long.MAX_VALUE);
            System.out.println("worker leaving; tasks received: " + worker.tasksReceived());
        }
        return 0;
    }
}
