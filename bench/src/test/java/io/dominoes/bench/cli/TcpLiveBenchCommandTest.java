package io.dominoes.bench.cli;

import io.dominoes.os.Native;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tcp-live-bench} with tiny sizes: both paths carry every byte, both goodputs and the ratio are printed
 * and consistent, and no namespace it made is left behind. Root only (skipped with a printed line otherwise).
 * The numbers themselves are not checked: speed is a benchmark's business, not a unit test's.
 */
class TcpLiveBenchCommandTest
{
    @Test
    void badArgumentsAreRejected()
    {
        final CommandLine cli = DominoesCli.newCommandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute("tcp-live-bench", "--bytes", "0"));
    }

    @Test
    void withoutRootItFailsFastSayingSo()
    {
        if (Native.isRoot())
        {
            System.out.println("SKIPPED withoutRootItFailsFastSayingSo: running as root");
        }
        Assumptions.assumeFalse(Native.isRoot(), "running as root");
        final CommandLine cli = DominoesCli.newCommandLine();
        assertEquals(2, cli.execute("tcp-live-bench", "--bytes", "1000", "--runs", "1"));
    }

    @Test
    @Tag("root")
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void tinyRunMeasuresBothPathsAndRemovesItsNamespaces() throws IOException, InterruptedException
    {
        final boolean runnable = Native.isRoot() && Files.exists(Path.of("/dev/net/tun")) &&
            Files.isExecutable(Path.of("/usr/bin/python3"));
        if (!runnable)
        {
            System.out.println("SKIPPED TcpLiveBenchCommandTest: needs root, /dev/net/tun and /usr/bin/python3");
        }
        Assumptions.assumeTrue(runnable, "needs root, /dev/net/tun and /usr/bin/python3");

        final StringWriter text = new StringWriter();
        final CommandLine cli = DominoesCli.newCommandLine();
        cli.setOut(new PrintWriter(text, true));
        final int exit = cli.execute("tcp-live-bench", "--bytes", "2000000", "--runs", "2");
        final String output = text.toString();
        System.out.println(output);
        assertEquals(0, exit, output);
        assertTrue(output.contains("run 2: "), output);
        final double tap = number(output, "kernel->TAP->dominoes goodput: ([0-9.]+) Mbit/s");
        final double veth = number(output, "kernel->veth->kernel goodput: +([0-9.]+) Mbit/s");
        final double ratio = number(output, "ratio TAP/veth: ([0-9.]+)");
        assertTrue(tap > 0 && veth > 0, output);
        assertEquals(tap / veth, ratio, 0.01 * ratio + 1e-3, output);

        final long pid = ProcessHandle.current().pid();
        final Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        final String namespaces = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor(30, TimeUnit.SECONDS);
        assertFalse(namespaces.contains("dominoes-lb-" + pid), namespaces);
    }

    @Test
    @Tag("root")
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void replicatedVnetHdrRunReportsEachReplicasShareOfSplitCopies()
    {
        final boolean runnable = Native.isRoot() && Files.exists(Path.of("/dev/net/tun")) &&
            Files.isExecutable(Path.of("/usr/bin/python3"));
        if (!runnable)
        {
            System.out.println("SKIPPED TcpLiveBenchCommandTest (replicated vnet-hdr): needs root, /dev/net/tun and " +
                "/usr/bin/python3");
        }
        Assumptions.assumeTrue(runnable, "needs root, /dev/net/tun and /usr/bin/python3");

        final StringWriter text = new StringWriter();
        final CommandLine cli = DominoesCli.newCommandLine();
        cli.setOut(new PrintWriter(text, true));
        final int exit = cli.execute("tcp-live-bench", "--bytes", "8000000", "--runs", "1", "--replicas", "2",
            "--vnet-hdr");
        final String output = text.toString();
        System.out.println(output);
        assertEquals(0, exit, output);
        assertTrue(output.contains("replicated, 2 replicas, copy split threshold=16384 chunk=8192"), output);
        final Matcher m = Pattern.compile("run 1: .*replicas copied=\\[(\\d+) (\\d+)\\] split-copies=\\[(\\d+) (\\d+)\\]")
            .matcher(output);
        assertTrue(m.find(), output);
        assertTrue(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) >= 8_000_000, m.group());
        for (int g = 1; g <= 4; g++)
        {
            assertTrue(Long.parseLong(m.group(g)) > 0, "each replica copied a share of split TSO segments: " + m.group());
        }
    }

    private static double number(final String output, final String regex)
    {
        final Matcher m = Pattern.compile(regex).matcher(output);
        assertTrue(m.find(), regex + " in " + output);
        return Double.parseDouble(m.group(1));
    }
}
