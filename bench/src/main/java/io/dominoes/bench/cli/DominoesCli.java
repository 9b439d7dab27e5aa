package io.dominoes.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./dominoes} entry point. Each subcommand is its own class; add it to
 * {@code subcommands} below. Unknown options are rejected by picocli with a message naming them.
 */
@Command(
    name = "dominoes",
    mixinStandardHelpOptions = true,
    version = "dominoes 0.1.0",
    description = "Dominoes: replication instead of locking (MISD parallelism) for system services.",
    subcommands = {
        CommandLine.HelpCommand.class,
        ChannelBenchCommand.class,
        JmhCommand.class,
        TasksCommand.class,
        TcpServeCommand.class,
        TcpSendCommand.class,
        FsCommand.class,
        PcapReplayCommand.class,
        TcpBenchCommand.class,
        ScalingCommand.class,
        TcpLiveBenchCommand.class,
    })
public final class DominoesCli implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * @return the configured command line, shared by main and tests.
     */
    public static CommandLine newCommandLine()
    {
        final CommandLine commandLine = new CommandLine(new DominoesCli()).setCaseInsensitiveEnumValuesAllowed(true);
        // JMH parses its own options (and rejects unknown ones): hand them through untouched.
        commandLine.getSubcommands().get("jmh").setUnmatchedOptionsArePositionalParams(true);
        addHelpOptions(commandLine);
        return commandLine;
    }

    /**
     * Every (sub)command gets -h/--help and -V/--version, whether or not its class asked for them, so a new
     * subcommand cannot ship without --help. {@code jmh} is left alone: its -h is JMH's own help.
     */
    private static void addHelpOptions(final CommandLine commandLine)
    {
        final CommandLine.Model.CommandSpec spec = commandLine.getCommandSpec();
        if (!"jmh".equals(spec.name()) && !spec.mixinStandardHelpOptions())
        {
            spec.mixinStandardHelpOptions(true);
        }
        for (final CommandLine sub : commandLine.getSubcommands().values())
        {
            addHelpOptions(sub);
        }
    }
}
