package io.dominoes.bench.cli;

import io.dominoes.bench.experiments.fs.FsMetadataScaling;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code ./dominoes scaling <service>}: throughput vs replicas sweeps with CSV + PNG output.
 */
@Command(name = "scaling", mixinStandardHelpOptions = true,
    description = "Scaling sweeps: throughput vs replicas for a service (CSV + PNG plots into an output folder).",
    subcommands = { ScalingTcpReceiveCommand.class, ScalingCommand.FsMetadata.class })
public final class ScalingCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (tcp-receive, fs-metadata)");
    }

    @Command(name = "fs-metadata", mixinStandardHelpOptions = true,
        description = "In-process metadata ops/s (read-heavy, write-heavy) for 1..N replicas vs a RW-locked " +
            "single copy in three modes (pre-filled op list, pipelined client, synchronous clients); as root " +
            "also a create/stat/rename/unlink loop through FUSE vs a plain single-copy FUSE fs and tmpfs.")
    static final class FsMetadata implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--max-replicas", defaultValue = "2", description = "1..N replicas (default ${DEFAULT-VALUE}).")
        int maxReplicas;

        @Option(names = "--clients", defaultValue = "4", description = "client threads (default ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--files", defaultValue = "1000", description = "pre-created files (default ${DEFAULT-VALUE}).")
        int files;

        @Option(names = "--warmup-ms", defaultValue = "500", description = "per point (default ${DEFAULT-VALUE}).")
        long warmupMs;

        @Option(names = "--measure-ms", defaultValue = "2000", description = "per point (default ${DEFAULT-VALUE}).")
        long measureMs;

        @Option(names = "--out", defaultValue = "docs/results", description = "CSV/PNG directory (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--idle", description = "replica idle strategy: " + io.dominoes.core.idle.IdleStrategies.NAMES +
            " (default: the runtime's choice for the core count).")
        String idle;

        @Option(names = "--stream-ops", defaultValue = "1000000", description = "ops of the pre-filled read-heavy " +
            "list (write-heavy: half; pipelined: a quarter); 0 skips the pre-filled mode (default ${DEFAULT-VALUE}).")
        int streamOps;

        @Option(names = "--repeat", defaultValue = "3", description = "runs per pre-filled/pipelined point, best " +
            "reported (default ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--window", defaultValue = "64", description = "outstanding ops of the pipelined client; " +
            "0 skips the pipelined mode (default ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--pin", description = "pin replica i to CPU i mod cores in the pre-filled mode (only " +
            "replicas run while its clock runs; the modes with client or FUSE threads stay unpinned).")
        boolean pin;

        @Option(names = "--no-sync", description = "skip the synchronous closed-loop clients mode.")
        boolean noSync;

        @Option(names = "--no-fuse", description = "skip the FUSE part (it also skips itself when not root).")
        boolean noFuse;

        @Override
        public void run()
        {
            check(maxReplicas >= 1 && maxReplicas <= 64, "--max-replicas", maxReplicas, "1..64");
            check(clients >= 1 && clients <= 256, "--clients", clients, "1..256");
            check(files >= 1 && files <= 1_000_000, "--files", files, "1..1000000");
            check(warmupMs >= 0 && warmupMs <= 600_000, "--warmup-ms", warmupMs, "0..600000");
            check(measureMs >= 10 && measureMs <= 600_000, "--measure-ms", measureMs, "10..600000");
            check(streamOps >= 0 && streamOps <= 4_000_000, "--stream-ops", streamOps, "0..4000000");
            check(repeat >= 1 && repeat <= 100, "--repeat", repeat, "1..100");
            check(window >= 0 && window <= io.dominoes.fs.service.FsService.MAX_REQUESTS / 2, "--window", window,
                "0.." + io.dominoes.fs.service.FsService.MAX_REQUESTS / 2);
            final FsMetadataScaling.Params p = new FsMetadataScaling.Params();
            p.streamOps = streamOps;
            p.repeat = repeat;
            p.window = window;
            p.sync = !noSync;
            p.maxReplicas = maxReplicas;
            p.clients = clients;
            p.files = files;
            p.warmupMs = warmupMs;
            p.measureMs = measureMs;
            p.out = out;
            p.fuse = !noFuse;
            if (null != idle)
            {
                io.dominoes.core.idle.IdleStrategies.byName(idle); // fails naming the value if unknown
            }
            p.idle = idle;
            p.pin = pin;
            try
            {
                new FsMetadataScaling(p, System.out).run();
                System.out.println("wrote " + out.resolve("fs-metadata.csv") + " and " + out.resolve("fs-metadata.png"));
            }
            catch (final RuntimeException ex)
            {
                throw ex;
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        private void check(final boolean ok, final String option, final long value, final String range)
        {
            if (!ok)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), option + "=" + value + " not in " + range);
            }
        }
    }
}
