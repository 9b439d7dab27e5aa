package io.dominoes.bench.cli;

import io.dominoes.net.stack.BlockingTcpStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code ./dominoes tcp-send}: connect with the user-space stack on a TAP device, send N pseudo-random
 * bytes (seeded), close, and print {"peer","bytes","sha256","ms"} for what was sent.
 */
@Command(name = "tcp-send", mixinStandardHelpOptions = true,
    description = "Send N seeded pseudo-random bytes over TCP with the user-space stack on a TAP device.")
public final class TcpSendCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StackOptions stackOptions = new StackOptions();

    @Option(names = "--to", required = true, paramLabel = "ADDR:PORT", description = "Where to connect.")
    String to;

    @Option(names = "--bytes", required = true, paramLabel = "N", description = "How many bytes to send.")
    long bytes;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the bytes (default 1).")
    long seed;

    @Option(names = "--connect-timeout-ms", defaultValue = "10000", paramLabel = "MS", description = "Connect timeout.")
    long connectTimeoutMs;

    @Override
    public Integer call() throws Exception
    {
        final CommandLine commandLine = spec.commandLine();
        stackOptions.validate(commandLine);
        final int colon = to.lastIndexOf(':');
        if (colon < 0)
        {
            throw new CommandLine.ParameterException(commandLine, "--to '" + to + "' must be ADDR:PORT");
        }
        final int address = StackOptions.parseAddress(commandLine, "--to", to.substring(0, colon));
        int port;
        try
        {
            port = Integer.parseInt(to.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            port = -1;
        }
        if (port < 1 || port > 65535)
        {
            throw new CommandLine.ParameterException(commandLine, "--to port '" + to.substring(colon + 1) +
                "' must be 1..65535");
        }
        if (bytes < 0)
        {
            throw new CommandLine.ParameterException(commandLine, "--bytes " + bytes + " must be >= 0");
        }
        try (BlockingTcpStack stack = stackOptions.start("tcp-send-loop"))
        {
            final long started = System.nanoTime();
            final BlockingTcpStack.Connection connection = stack.connect(address, port, connectTimeoutMs);
            final MessageDigest digest = TcpServeCommand.sha256();
            final SplittableRandom random = new SplittableRandom(seed);
            final byte[] buffer = new byte[64 * 1024];
            long sent = 0;
            while (sent < bytes)
            {
                final int chunk = (int)Math.min(buffer.length, bytes - sent);
                fill(random, buffer, chunk);
                digest.update(buffer, 0, chunk);
                connection.write(buffer, 0, chunk);
                sent += chunk;
            }
            if (!connection.close(30_000))
            {
                System.err.println("tcp-send: peer did not acknowledge everything within 30 s");
                return 1;
            }
            final long ms = (System.nanoTime() - started) / 1_000_000;
            System.out.println(StackOptions.json(to, sent, HexFormat.of().formatHex(digest.digest()), ms));
            System.out.flush();
        }
        catch (final java.io.IOException ex)
        {
            System.err.println("tcp-send: " + ex.getMessage());
            return 1;
        }
        return 0;
    }

    /**
     * The byte stream: little-endian longs of {@code SplittableRandom(seed)}, 8 per long, cut at the end.
     */
    static void fill(final SplittableRandom random, final byte[] buffer, final int length)
    {
        for (int i = 0; i < length; i += 8)
        {
            final long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < length; j++)
            {
                buffer[i + j] = (byte)(v >>> (8 * j));
            }
        }
    }
}
