package io.dominoes.bench.cli;

import io.dominoes.bench.harness.BroadcastImplementations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of {@code ./dominoes channel-bench}: tiny runs in this JVM (forks 0), yielding waits.
 * Checks the table's shape and that numbers are positive, never their size.
 */
class ChannelBenchCommandTest
{
    private static final Pattern ROW = Pattern.compile(
        "^(1P-\\dC)\\s+(\\S+)\\s+(\\S+)\\s+([\\d,]+)\\s+(\\S+)\\s+([\\d.]+)\\s*$", Pattern.MULTILINE);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine cl = DominoesCli.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void tinyRunPrintsEveryImplementationForEveryTopology(@TempDir final Path dir) throws Exception
    {
        final int rc = run("channel-bench", "--forks", "0", "--warmup", "0", "--iterations", "1", "--time", "300ms",
            "--wait", "yield", "--subscribers", "1,2", "--out", dir.toString());
        assertEquals(0, rc, out + "\n" + err);

        final List<String> impls = BroadcastImplementations.names();
        final Matcher m = ROW.matcher(out.toString());
        int rows = 0;
        while (m.find())
        {
            rows++;
            final double msgs = Double.parseDouble(m.group(4).replace(",", ""));
            final double ratio = Double.parseDouble(m.group(6));
            assertTrue(impls.contains(m.group(2)), m.group());
            assertTrue(msgs > 0 && ratio > 0, m.group());
            if (BroadcastImplementations.REFERENCE.equals(m.group(2)))
            {
                assertEquals(1.0, ratio, 1e-9, m.group());
            }
        }
        assertEquals(impls.size() * 2, rows, out.toString());
        for (final String impl : impls)
        {
            assertTrue(out.toString().contains("1P-1C    " + String.format("%-16s", impl)), impl + " 1P-1C missing:\n" + out);
            assertTrue(out.toString().contains("1P-2C    " + String.format("%-16s", impl)), impl + " 1P-2C missing:\n" + out);
        }
        assertTrue(err.toString().contains("[" + impls.size() * 2 + "/" + impls.size() * 2 + "]"), "progress:\n" + err);

        final List<String> csv = Files.readAllLines(dir.resolve("channel-bench.csv"));
        assertEquals(1 + impls.size() * 2, csv.size(), csv.toString());
        assertTrue(Files.readString(dir.resolve("channel-bench.json")).contains("\"ratio_to_disruptor\""));
    }

    @Test
    void badValuesFailFastNamingValueAndLimit()
    {
        assertEquals(2, run("channel-bench", "--size", "20"));
        assertTrue(err.toString().contains("message length 20") && err.toString().contains("[16, 4096]"), err.toString());

        assertEquals(2, run("channel-bench", "--subscribers", "1,9"));
        assertTrue(err.toString().contains("--subscribers 9 is outside [1, 8]"), err.toString());

        assertEquals(2, run("channel-bench", "--impl", "zeromq"));
        assertTrue(err.toString().contains("--impl 'zeromq' is not one of"), err.toString());

        assertEquals(2, run("channel-bench", "--time", "2h"));
        assertTrue(err.toString().contains("--time '2h'"), err.toString());

        assertEquals(2, run("channel-bench", "--time", "1ms"));
        assertTrue(err.toString().contains("--time 1ms is outside [10ms, 600000ms]"), err.toString());

        assertEquals(2, run("channel-bench", "--wait", "hover"));
        assertTrue(err.toString().contains("wait mode 'hover'"), err.toString());
    }

    @Test
    void unknownOptionIsRejected()
    {
        assertEquals(2, run("channel-bench", "--fast"));
        assertTrue(err.toString().contains("Unknown option: '--fast'"), err.toString());
    }
}
