package io.dominoes.bench.cli;

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
 * Smoke test of {@code ./dominoes tcp-bench}: a tiny verified run of every mode (yielding replicas), the
 * table's shape, CSV and PNG; never the numbers' size.
 */
class TcpBenchCommandTest
{
    private static final Pattern ROW = Pattern.compile("^(single|misd|mimd)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)", Pattern.MULTILINE);
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
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tinyRunVerifiesEveryModeAndWritesTableCsvAndPlot(@TempDir final Path dir) throws Exception
    {
        final int rc = run("tcp-bench", "--segments", "400", "--repeat", "1", "--replicas", "1,2", "--idle", "yield",
            "--reorder", "0.05", "--loss", "0.01", "--out", dir.toString());
        assertEquals(0, rc, out + "\n" + err);
        final Matcher m = ROW.matcher(out.toString());
        int rows = 0;
        while (m.find())
        {
            rows++;
            assertTrue(Double.parseDouble(m.group(4)) > 0 && Double.parseDouble(m.group(5)) > 0, m.group());
        }
        assertEquals(5, rows, "single, misd 1-2, mimd 1-2:\n" + out);
        assertTrue(err.toString().contains("(verified)"), err.toString());
        assertTrue(out.toString().contains("serial fraction f"), out.toString());
        final List<String> csv = Files.readAllLines(dir.resolve("tcp-bench.csv"));
        assertEquals(6, csv.size(), csv.toString());
        assertTrue(Files.size(dir.resolve("tcp-bench.png")) > 1000);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tsoSizedPayloadsHaveTheirCopySplitAcrossMisdReplicasWhenAsked(@TempDir final Path dir)
    {
        final int rc = run("tcp-bench", "--payload", "60000", "--segments", "100", "--repeat", "1", "--replicas", "1,2",
            "--mode", "single,misd", "--idle", "yield", "--copy-split", "16384", "--out", dir.toString());
        assertEquals(0, rc, out + "\n" + err);
        final Matcher one = Pattern.compile("misd +replicas=1 .*copied=\\[(\\d+)\\] split-copies=\\[0\\]").matcher(err.toString());
        assertTrue(one.find(), "one replica copies everything, nothing split:\n" + err);
        assertTrue(Long.parseLong(one.group(1)) >= 6_000_000, one.group());
        final Matcher two = Pattern.compile(
            "misd +replicas=2 .*copied=\\[(\\d+) (\\d+)\\] split-copies=\\[(\\d+) (\\d+)\\]").matcher(err.toString());
        assertTrue(two.find(), "per-replica copy counters reported:\n" + err);
        for (int g = 1; g <= 4; g++)
        {
            assertTrue(Long.parseLong(two.group(g)) > 0, "each replica copied a share of split segments: " + two.group());
        }
    }

    @Test
    void badValuesFailFastNamingOptionAndLimit()
    {
        assertEquals(2, run("tcp-bench", "--payload", "20"));
        assertTrue(err.toString().contains("--payload 20 is outside [64, 65000]"), err.toString());
        assertEquals(2, run("tcp-bench", "--replicas", "0"));
        assertTrue(err.toString().contains("--replicas 0 is outside [1, 64]"), err.toString());
        assertEquals(2, run("tcp-bench", "--mode", "dpdk"));
        assertTrue(err.toString().contains("--mode 'dpdk' is not one of"), err.toString());
        assertEquals(2, run("tcp-bench", "--loss", "0.5"));
        assertTrue(err.toString().contains("--loss 0.5 is outside [0, 0.2]"), err.toString());
        assertEquals(2, run("tcp-bench", "--idle", "hover"));
        assertTrue(err.toString().contains("unknown idle strategy 'hover'"), err.toString());
    }
}
