package io.dominoes.bench.cli;

import org.junit.jupiter.api.Assumptions;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of {@code ./dominoes tcp-bench --pcap FILE --dump-streams DIR}: single and misd 1-2 replicas over a
 * shared capture, every misd run verified against the single monitor's dumps, the table's shape, the dump files'
 * names; never the numbers' size.
 */
class TcpBenchPcapCommandTest
{
    private static final Pattern ROW = Pattern.compile("^(single|misd)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)",
        Pattern.MULTILINE);
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
    void pcapReplayRunsSingleAndVerifiedMisdAndDumpsStreams(@TempDir final Path dir) throws Exception
    {
        final Path capture = Path.of("/work/shared/pcaps/zeek_http_206_example_a.pcap");
        if (!Files.isReadable(capture))
        {
            System.out.println("SKIPPED TcpBenchPcapCommandTest: " + capture + " not present");
            Assumptions.abort("no shared capture");
        }
        final Path streams = dir.resolve("streams");
        final int rc = run("tcp-bench", "--pcap", capture.toString(), "--dump-streams", streams.toString(),
            "--repeat", "1", "--replicas", "1,2", "--idle", "yield", "--out", dir.resolve("out").toString());
        assertEquals(0, rc, out + "\n" + err);
        final Matcher m = ROW.matcher(out.toString());
        int rows = 0;
        while (m.find())
        {
            rows++;
            assertTrue(Double.parseDouble(m.group(4)) > 0 && Double.parseDouble(m.group(5)) > 0, m.group());
        }
        assertEquals(3, rows, "single, misd 1-2:\n" + out);
        assertTrue(err.toString().contains("(verified against single)"), err.toString());
        assertTrue(err.toString().contains("mimd skipped"), err.toString());
        assertTrue(out.toString().contains("serial fraction f"), out.toString());
        try (Stream<Path> s = Files.list(streams))
        {
            final List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.contains("10.101.84.70.10977-129.174.93.161.80.s2c.bin"), names.toString());
            assertTrue(names.stream().allMatch(n -> n.matches("[\\d.]+\\.\\d+-[\\d.]+\\.\\d+(\\.\\d+)?\\.(c2s|s2c)\\.bin")),
                names.toString());
        }
        assertEquals(4, Files.readAllLines(dir.resolve("out").resolve("tcp-bench.csv")).size());
    }

    @Test
    void dumpStreamsWithoutPcapAndUnreadablePcapAreRejected(@TempDir final Path dir)
    {
        assertEquals(2, run("tcp-bench", "--dump-streams", dir.toString()));
        assertTrue(err.toString().contains("--dump-streams needs --pcap"), err.toString());
        assertEquals(2, run("tcp-bench", "--pcap", dir.resolve("missing.pcap").toString()));
        assertTrue(err.toString().contains("is not a readable file"), err.toString());
    }
}
