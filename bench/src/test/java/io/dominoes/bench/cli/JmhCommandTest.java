package io.dominoes.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JmhCommandTest
{
    @Test
    void listsTheBroadcastSuites()
    {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        final int rc;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            rc = DominoesCli.newCommandLine().execute("jmh", "-l", "Broadcast");
        }
        finally
        {
            System.setOut(original);
        }
        final String listing = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, listing);
        assertTrue(listing.contains("io.dominoes.bench.jmh.channels.OneToOneBroadcastThroughput.publish"), listing);
        assertTrue(listing.contains("io.dominoes.bench.jmh.channels.OneToTwoBroadcastThroughput.publish"), listing);
    }

    @Test
    void badJmhOptionIsReportedByJmh()
    {
        final StringWriter err = new StringWriter();
        final picocli.CommandLine cl = DominoesCli.newCommandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("jmh", "-f", "many"));
        assertTrue(err.toString().contains("jmh:"), err.toString());
    }
}
