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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class PcapReplayCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine cli = DominoesCli.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static Path capture(final String name)
    {
        final Path file = Path.of("/work/shared/pcaps", name);
        final Path inRepo = Path.of(System.getProperty("dominoes.repo.root", "."), "shared", "pcaps", name);
        final Path found = Files.exists(inRepo) ? inRepo : file;
        if (!Files.exists(found))
        {
            System.out.println("SKIPPED PcapReplayCommandTest: no shared capture " + name);
            Assumptions.abort("no capture " + name);
        }
        return found;
    }

    @Test
    void replaysACaptureWritesStreamsAndPrintsJson(@TempDir final Path dumps) throws Exception
    {
        final Path file = capture("zeek_tcp_handshake-reorder.pcap");
        assertEquals(0, run("pcap-replay", file.toString(), "--dump-streams", dumps.toString(), "--json",
            "--runs", "1"), err::toString);
        final String json = out.toString();
        assertTrue(json.contains("\"name\":\"141.142.228.5.59856-192.150.187.43.80\""), json);
        assertTrue(json.contains("\"nsPerSegmentBest\":"), json);
        final byte[] c2s = Files.readAllBytes(dumps.resolve("141.142.228.5.59856-192.150.187.43.80.c2s.bin"));
        final byte[] s2c = Files.readAllBytes(dumps.resolve("141.142.228.5.59856-192.150.187.43.80.s2c.bin"));
        assertEquals(136, c2s.length);
        assertEquals(5007, s2c.length);
    }

    @Test
    void textReportNamesConnectionsAndDrops()
    {
        assertEquals(0, run("pcap-replay", capture("ppp_ip4_fragments.pcap").toString(), "--runs", "0"),
            err::toString);
        assertTrue(out.toString().contains("drops: NOT_TCP="), out.toString());
    }

    @Test
    void rejectsABufferSizeThatIsNotAPowerOfTwo()
    {
        assertNotEquals(0, run("pcap-replay", "x.pcap", "--buffer-bytes", "1000"));
        assertTrue(err.toString().contains("reassemblyBufferBytes=1000"), err.toString());
    }
}
