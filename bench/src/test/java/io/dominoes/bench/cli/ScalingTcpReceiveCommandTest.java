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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of {@code ./dominoes scaling tcp-receive} with tiny parameters (yield/park replicas, never spin on
 * the shared CI cores): progress lines, CSV rows per point, one plot per payload; never the numbers' size.
 */
class ScalingTcpReceiveCommandTest
{
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
    void tinySweepWritesCsvAndOnePlotPerPayload(@TempDir final Path dir) throws Exception
    {
        final int rc = run("scaling", "tcp-receive", "--payloads", "64,1460", "--replicas", "1,2", "--idle", "yield,park",
            "--pin", "off", "--segments", "200", "--repeat", "1", "--out", dir.toString());
        assertEquals(0, rc, out + "\n" + err);
        assertTrue(err.toString().contains("[1/4] payload=64"), err.toString());
        assertTrue(err.toString().contains("[4/4] payload=1460"), err.toString());
        assertTrue(out.toString().contains("writing into " + dir.toAbsolutePath()), out.toString());
        final List<String> csv = Files.readAllLines(dir.resolve("tcp-receive.csv"));
        assertEquals(1 + 4 * 2, csv.size(), String.join("\n", csv)); // header + 4 sweeps x misd 1,2
        assertTrue(csv.get(0).startsWith("serial_fraction,mode,replicas"), csv.get(0));
        for (final String line : csv.subList(1, csv.size()))
        {
            assertTrue(line.matches("[01]\\.\\d+,misd,[12],(64|1460),(yield|park),false,.*"), line);
        }
        assertTrue(Files.size(dir.resolve("speedup-64.png")) > 1000);
        assertTrue(Files.size(dir.resolve("speedup-1460.png")) > 1000);
    }

    @Test
    void badValuesFailFastNamingOptionAndLimit()
    {
        assertEquals(2, run("scaling", "tcp-receive", "--payloads", "32"));
        assertTrue(err.toString().contains("--payloads 32 is outside [64, 65000]"), err.toString());
        assertEquals(2, run("scaling", "tcp-receive", "--pin", "maybe"));
        assertTrue(err.toString().contains("--pin 'maybe' is not on or off"), err.toString());
        assertEquals(2, run("scaling", "tcp-receive", "--idle", "hover"));
        assertTrue(err.toString().contains("unknown idle strategy 'hover'"), err.toString());
        assertEquals(2, run("scaling", "tcp-receive", "--max-replicas", "0"));
        assertTrue(err.toString().contains("--max-replicas 0 is outside [1, 64]"), err.toString());
    }
}
