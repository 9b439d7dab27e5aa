package io.dominoes.bench.cli;

import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.tasks.remote.TaskServer;
import io.dominoes.tasks.remote.TaskServerReplica;
import picocli.CommandLine;
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

    @Option(names = "--replica-index", description = "run as replica N (0..63) of a replicated server whose replicas " +
        "share --log-dir; workers and clients then name every replica's channel, comma-separated")
    Integer replicaIndex;

    @Option(names = "--log-dir", description = "the replicated server's shared Chronicle Queue log directory")
    String logDir;

    @Option(names = "--replica-timeout-ms", defaultValue = "500",
        description = "log silence after which the next server replica sends (default ${DEFAULT-VALUE})")
    long replicaTimeoutMs;

    @Option(names = "--idle", description = "idle strategy of the server threads: " + IdleStrategies.NAMES +
        " (default park)")
    String idle;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param spec   command, for the error message.
     * @param option option name.
     * @param value  comma-separated Aeron channels.
     * @return the channels.
     * @throws CommandLine.ParameterException naming the option and the bad entry.
     */
    static String[] channels(final CommandLine.Model.CommandSpec spec, final String option, final String value)
    {
        final String[] channels = value.split(",");
        if (channels.length > 63)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": at most 63 channels, got " +
                channels.length);
        }
        for (final String channel : channels)
        {
            if (!channel.startsWith("aeron:udp?"))
            {
                throw new CommandLine.ParameterException(spec.commandLine(), option + ": '" + channel +
                    "' is not an Aeron UDP channel (aeron:udp?endpoint=HOST:PORT)");
            }
        }
        return channels;
    }

    public Integer call() throws Exception
    {
        channels(spec, "--channel", channel);
        if (workerTimeoutMs <= 0 || reissueAfterMs <= 0 || replicaTimeoutMs <= 0 || durationS < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--worker-timeout-ms, --reissue-after-ms " +
                "and --replica-timeout-ms must be > 0, --duration-s >= 0: " + workerTimeoutMs + ", " + reissueAfterMs +
                ", " + replicaTimeoutMs + ", " + durationS);
        }
        final java.util.function.Supplier<org.agrona.concurrent.IdleStrategy> idleStrategy =
            idle == null ? IdleStrategies::park : TasksCommand.idleSupplier(spec, idle, 1);
        if (replicaIndex != null || logDir != null)
        {
            if (replicaIndex == null || logDir == null || replicaIndex < 0 || replicaIndex > 63)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "a replicated server needs both " +
                    "--replica-index in [0, 63] and --log-dir: replica-index=" + replicaIndex + " log-dir=" + logDir);
            }
            return runReplica(idleStrategy);
        }
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

    private int runReplica(final java.util.function.Supplier<org.agrona.concurrent.IdleStrategy> idleStrategy)
        throws InterruptedException
    {
        try (TaskServerReplica replica = new TaskServerReplica(replicaIndex, channel, new java.io.File(logDir),
            aeronDir, workerTimeoutMs, reissueAfterMs, replicaTimeoutMs, idleStrategy))
        {
            System.out.println("task server replica " + replicaIndex + " on " + channel + ", log " + logDir);
            final long end = durationS > 0 ? System.nanoTime() + durationS * 1_000_000_000L : Long.MAX_VALUE;
            int emitter = -2;
            while (System.nanoTime() - end < 0)
            {
                Thread.sleep(200);
                if (replica.emitter() != emitter)
                {
                    emitter = replica.emitter();
                    System.out.println("sending replica: " + emitter + ", workers: " + replica.workerCount());
                }
            }
        }
        return 0;
    }
}
