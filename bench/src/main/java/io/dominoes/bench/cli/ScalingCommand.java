package io.dominoes.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./dominoes scaling ...}: sweeps that write CSV and PNG plots of speedup against replicas.
 */
@Command(
    name = "scaling",
    mixinStandardHelpOptions = true,
    description = "Scaling sweeps (CSV + PNG plots into an output folder).",
    subcommands = { ScalingTcpReceiveCommand.class })
public final class ScalingCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a sweep: tcp-receive");
    }
}
