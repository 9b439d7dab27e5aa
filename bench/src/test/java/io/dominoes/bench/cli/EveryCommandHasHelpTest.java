package io.dominoes.bench.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EveryCommandHasHelpTest
{
    @Test
    void everySubcommandPrintsUsageForHelpAndRejectsUnknownOptions()
    {
        final List<List<String>> paths = new ArrayList<>();
        collect(DominoesCli.newCommandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() > 15, "found " + paths.size() + " commands");
        for (final List<String> path : paths)
        {
            if (path.contains("jmh") || path.contains("help"))
            {
                continue; // jmh's options are JMH's own; help is picocli's help command
            }
            final StringWriter out = new StringWriter();
            final CommandLine cli = DominoesCli.newCommandLine();
            cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()));
            final List<String> args = new ArrayList<>(path);
            args.add("--help");
            assertEquals(0, cli.execute(args.toArray(new String[0])), String.join(" ", args));
            assertTrue(out.toString().startsWith("Usage: dominoes"), String.join(" ", args) + ": " + out);

            final StringWriter err = new StringWriter();
            final CommandLine bad = DominoesCli.newCommandLine();
            bad.setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err));
            final List<String> badArgs = new ArrayList<>(path);
            badArgs.add("--no-such-option");
            assertEquals(2, bad.execute(badArgs.toArray(new String[0])), String.join(" ", badArgs));
            // picocli names a missing required option before an unknown one; either way the run is refused
            assertTrue(err.toString().contains("--no-such-option") || err.toString().contains("Missing required"),
                String.join(" ", badArgs) + ": " + err);
        }
    }

    private static void collect(final CommandLine cli, final List<String> prefix, final List<List<String>> paths)
    {
        for (final var entry : cli.getSubcommands().entrySet())
        {
            final List<String> path = new ArrayList<>(prefix);
            path.add(entry.getKey());
            paths.add(path);
            collect(entry.getValue(), path, paths);
        }
    }
}
