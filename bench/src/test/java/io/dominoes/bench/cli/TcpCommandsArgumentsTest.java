package io.dominoes.bench.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad arguments to tcp-serve and tcp-send fail before any device is opened, with exit code 2 and a
 * message naming the option.
 */
class TcpCommandsArgumentsTest
{
    private static String fails(final String option, final String... args)
    {
        final CommandLine commandLine = DominoesCli.newCommandLine();
        final StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        final int code = commandLine.execute(args);
        final String message = err.toString();
        assertEquals(2, code, message);
        assertTrue(message.contains(option), "message names " + option + ": " + message);
        return message;
    }

    @Test
    void serveRejectsMissingAndMalformedOptionsNamingThem()
    {
        fails("--tap", "tcp-serve", "--ip", "10.0.0.2/24", "--port", "80");
        fails("--port", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/24");
        fails("--ip", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2", "--port", "80");
        fails("--ip", "tcp-serve", "--tap", "t0", "--ip", "10.0.300.2/24", "--port", "80");
        fails("--ip", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/33", "--port", "80");
        fails("--port", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/24", "--port", "70000");
        fails("--sink", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/24", "--port", "80", "--sink", "md5");
        fails("--gateway", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/24", "--port", "80", "--gateway", "x");
        fails("--mac", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/24", "--port", "80", "--mac", "01:00:5e:00:00:01");
        fails("--tap", "tcp-serve", "--tap", "a-name-far-too-long", "--ip", "10.0.0.2/24", "--port", "80");
    }

    @Test
    void sendRejectsMissingAndMalformedOptionsNamingThem()
    {
        fails("--to", "tcp-send", "--tap", "t0", "--ip", "10.0.0.2/24", "--bytes", "10");
        fails("--bytes", "tcp-send", "--tap", "t0", "--ip", "10.0.0.2/24", "--to", "10.0.0.1:80");
        fails("--to", "tcp-send", "--tap", "t0", "--ip", "10.0.0.2/24", "--to", "10.0.0.1", "--bytes", "10");
        fails("--to", "tcp-send", "--tap", "t0", "--ip", "10.0.0.2/24", "--to", "10.0.0.1:0", "--bytes", "10");
        fails("--to", "tcp-send", "--tap", "t0", "--ip", "10.0.0.2/24", "--to", "host:80", "--bytes", "10");
        fails("--bytes", "tcp-send", "--tap", "t0", "--ip", "10.0.0.2/24", "--to", "10.0.0.1:80", "--bytes", "-1");
        fails("--seed", "tcp-send", "--tap", "t0", "--ip", "10.0.0.2/24", "--to", "10.0.0.1:80", "--bytes", "1",
            "--seed", "abc");
    }
}
