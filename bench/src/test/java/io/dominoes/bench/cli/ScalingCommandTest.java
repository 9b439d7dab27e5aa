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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class ScalingCommandTest
{
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine cli = DominoesCli.newCommandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void tinyFsMetadataRunWritesEveryRowCsvAndPng() throws Exception
    {
        assertEquals(0, run("scaling", "fs-metadata", "--max-replicas", "2", "--clients", "2", "--files", "20",
            "--warmup-ms", "0", "--measure-ms", "300", "--stream-ops", "2000", "--repeat", "1", "--window", "8", "--no-fuse", "--pin",
            "--out", tmp.toString()), err.toString());
        final List<String> csv = Files.readAllLines(tmp.resolve("fs-metadata.csv"));
        assertEquals("mode,mix,system,replicas,clients,ops,seconds,ops_per_sec,speedup_vs_locked", csv.get(0));
        // prefilled: (locked x1, x2 threads + 1, 2 replicas) x 2 mixes; pipelined: 2 x 2; sync: 3 x 2.
        assertEquals(1 + 8 + 4 + 6, csv.size(), csv.toString());
        for (final String line : csv.subList(1, csv.size()))
        {
            assertTrue(Long.parseLong(line.split(",")[5]) > 0, "no ops measured: " + line);
        }
        assertTrue(Files.size(tmp.resolve("fs-metadata.png")) > 1000);
    }

    @Test
    void badValuesNameTheOptionAndLimit()
    {
        assertNotEquals(0, run("scaling", "fs-metadata", "--clients", "0", "--out", tmp.toString()));
        assertTrue(err.toString().contains("--clients=0 not in 1..256"), err.toString());
        assertNotEquals(0, run("scaling"));
        assertTrue(err.toString().contains("subcommand is required"), err.toString());
    }
}
