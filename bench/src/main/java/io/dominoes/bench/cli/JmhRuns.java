package io.dominoes.bench.cli;

import io.dominoes.bench.harness.JvmFlags;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs JMH from the command line tools: adds the project's JVM flags to every fork and keeps JMH's
 * own chatter in a buffer that is shown only when a run fails.
 */
final class JmhRuns
{
    private JmhRuns()
    {
    }

    /**
     * @param builder options so far.
     * @param userArgs jvmArgsAppend the user gave (kept, after the project's flags); may be empty.
     * @return the builder with the project's flags appended.
     */
    static ChainedOptionsBuilder withProjectFlags(final ChainedOptionsBuilder builder, final Collection<String> userArgs)
    {
        final List<String> args = new ArrayList<>(JvmFlags.load());
        args.addAll(userArgs);
        return builder.jvmArgsAppend(args.toArray(new String[0]));
    }

    /**
     * Run one benchmark selection quietly.
     *
     * @param options what to run (already with the project flags).
     * @param what    description for the error message.
     * @return the single result.
     * @throws IllegalStateException with JMH's output if the run failed or produced no result.
     */
    static RunResult runOne(final Options options, final String what)
    {
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        final OutputFormat format = OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL);
        final Collection<RunResult> results;
        try
        {
            results = new Runner(options, format).run();
        }
        catch (final RunnerException ex)
        {
            throw new IllegalStateException(what + " failed: " + ex.getMessage() + "\n" + tail(log), ex);
        }
        if (results.size() != 1)
        {
            throw new IllegalStateException(what + " produced " + results.size() + " results, expected 1\n" + tail(log));
        }
        return results.iterator().next();
    }

    private static String tail(final ByteArrayOutputStream log)
    {
        final String text = log.toString(StandardCharsets.UTF_8);
        return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
    }
}
