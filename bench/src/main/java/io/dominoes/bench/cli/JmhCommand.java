package io.dominoes.bench.cli;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./dominoes jmh [regex] [jmh options]}: the JMH suites of the bench module, with the
 * project's JVM flags appended to every fork ({@code -jvmArgsAppend} given here is kept, after
 * them). Everything after {@code jmh} is JMH's own command line ({@code -h} lists it, {@code -l}
 * lists the benchmarks).
 */
@Command(
    name = "jmh",
    description = {
        "Run the JMH suites with the project's JVM flags on every fork.",
        "Arguments are JMH's: e.g. 'OneToTwoBroadcast -f 1 -wi 3 -i 5', '-l' to list, '-h' for JMH's help.",
    })
public final class JmhCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "JMH_ARG", description = "JMH command line (regex, options).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        final CommandLineOptions cmd;
        try
        {
            cmd = new CommandLineOptions(args.toArray(new String[0]));
        }
        catch (final CommandLineOptionException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "jmh: " + ex.getMessage(), ex);
        }
        if (cmd.shouldHelp())
        {
            cmd.showHelp();
            return 0;
        }
        if (cmd.shouldListProfilers())
        {
            cmd.listProfilers();
            return 0;
        }
        if (cmd.shouldListResultFormats())
        {
            cmd.listResultFormats();
            return 0;
        }
        final OptionsBuilder builder = new OptionsBuilder();
        builder.parent(cmd);
        final Runner runner = new Runner(
            JmhRuns.withProjectFlags(builder, cmd.getJvmArgsAppend().orElse(List.of())).build());
        if (cmd.shouldList() || cmd.shouldListWithParams())
        {
            runner.list();
            return 0;
        }
        runner.run();
        return 0;
    }
}
