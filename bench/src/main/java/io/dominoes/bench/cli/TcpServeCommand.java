package io.dominoes.bench.cli;

import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.net.misd.PayloadCopySplit;
import io.dominoes.net.misd.live.ReplicatedConnection;
import io.dominoes.net.misd.live.ReplicatedTcpListener;
import io.dominoes.net.stack.BlockingTcpStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./dominoes tcp-serve}: run the user-space TCP/IPv4 stack on a TAP device, answer ARP and ping,
 * and accept connections on one port with a sink per connection. Runs until SIGINT/SIGTERM, then closes
 * the connections, stops the stack and flushes the capture.
 */
@Command(name = "tcp-serve", mixinStandardHelpOptions = true,
    description = "Serve TCP on a TAP device with the user-space stack (sink: discard, sha256 or echo).")
public final class TcpServeCommand implements Callable<Integer>
{
    /**
     * What the server does with a connection's bytes.
     */
    enum Sink
    {
        DISCARD, SHA256, ECHO
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StackOptions stackOptions = new StackOptions();

    @Option(names = "--port", required = true, paramLabel = "P", description = "TCP port to accept on.")
    int port;

    @Option(names = "--sink", defaultValue = "discard", paramLabel = "discard|sha256|echo",
        description = "discard; sha256 (prints {\"peer\",\"bytes\",\"sha256\",\"ms\"} per closed connection); echo.")
    Sink sink;

    @Option(names = "--backlog", defaultValue = "16", paramLabel = "N", description = "Listen backlog.")
    int backlog;

    @Option(names = "--replicas", paramLabel = "N",
        description = "Run each connection replicated on N replica threads (MISD: the whole TCB from the SYN on, " +
            "checksums as look-ahead verdicts, payload copied by the owner into one shared buffer, ACKs and data " +
            "segments emitted once, reads/writes/close as events). Without it: the plain single-threaded stack.")
    Integer replicas;

    @Option(names = "--idle", paramLabel = IdleStrategies.NAMES,
        description = "Replicas' idle strategy (default: two-phase if replicas + the loop fit the cores, else park; " +
            "never spin when oversubscribed).")
    String idle;

    @Option(names = "--digest-every", defaultValue = "1024", paramLabel = "K",
        description = "With --replicas: compare the replicas' TCB digests every K events (0: never).")
    int digestEvery;

    @Option(names = "--copy-split", defaultValue = "16384", paramLabel = "BYTES",
        description = "With --replicas: a segment payload of at least BYTES (TSO-sized, --vnet-hdr) is copied in " +
            "8 KiB chunks split across the replicas; 0: the segment's owner copies it all (default ${DEFAULT-VALUE}).")
    int copySplit;

    private static final long IDLE_TIMEOUT_MS = 600_000;

    private final Set<BlockingTcpStack.Connection> open = ConcurrentHashMap.newKeySet();

    @Override
    public Integer call() throws Exception
    {
        final CommandLine commandLine = spec.commandLine();
        stackOptions.validate(commandLine);
        if (port < 1 || port > 65535)
        {
            throw new CommandLine.ParameterException(commandLine, "--port " + port + " must be 1..65535");
        }
        if (backlog < 1 || backlog > 32)
        {
            throw new CommandLine.ParameterException(commandLine, "--backlog " + backlog + " must be 1..32");
        }
        if (null != replicas && (replicas < 1 || replicas > 64))
        {
            throw new CommandLine.ParameterException(commandLine, "--replicas " + replicas + " must be 1..64");
        }
        if (copySplit < 0)
        {
            throw new CommandLine.ParameterException(commandLine, "--copy-split " + copySplit + " must be >= 0");
        }
        if (null != idle)
        {
            if (null == replicas)
            {
                throw new CommandLine.ParameterException(commandLine, "--idle needs --replicas");
            }
            try
            {
                IdleStrategies.byName(idle);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(commandLine, "--idle: " + ex.getMessage());
            }
        }
        if (digestEvery < 0)
        {
            throw new CommandLine.ParameterException(commandLine, "--digest-every " + digestEvery + " must be >= 0");
        }
        final PrintStream out = commandLine.getOut() == null ? System.out : new PrintStream(System.out, true);
        if (null != replicas)
        {
            return serveReplicated(out);
        }
        final BlockingTcpStack stack = stackOptions.start("tcp-serve-loop");
        final BlockingTcpStack.Listener listener = stack.listen(port, backlog);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread main = Thread.currentThread();
        final Thread hook = new Thread(() ->
        {
            main.interrupt();
            try
            {
                stopped.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        }, "tcp-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("tcp-serve: " + stackOptions.ip + " on " + stackOptions.tap + ", port " + port +
            ", sink " + sink.name().toLowerCase());
        try
        {
            while (!Thread.currentThread().isInterrupted())
            {
                final BlockingTcpStack.Connection connection;
                try
                {
                    connection = listener.accept(200);
                }
                catch (final IOException ex)
                {
                    break; // interrupted
                }
                if (null != connection)
                {
                    open.add(connection);
                    final Thread worker = new Thread(() -> serve(connection, out), "tcp-serve-" + connection.describe());
                    worker.setDaemon(true);
                    worker.start();
                }
            }
        }
        finally
        {
            for (final BlockingTcpStack.Connection connection : open)
            {
                connection.abort();
            }
            try
            {
                listener.close();
            }
            catch (final RuntimeException ignore)
            {
                // the loop already stopped
            }
            stack.close(); // closes the device: the capture is flushed and closed
            System.err.println("tcp-serve: stopped");
            stopped.countDown();
        }
        return 0;
    }

    private void serve(final BlockingTcpStack.Connection connection, final PrintStream out)
    {
        final long started = System.nanoTime();
        final String peer = connection.describe();
        long bytes = 0;
        try
        {
            final MessageDigest digest = sink == Sink.SHA256 ? sha256() : null;
            final byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = connection.read(buffer, 0, buffer.length)) > 0)
            {
                bytes += n;
                if (null != digest)
                {
                    digest.update(buffer, 0, n);
                }
                else if (sink == Sink.ECHO)
                {
                    connection.write(buffer, 0, n);
                }
            }
            connection.close(10_000);
            final long ms = (System.nanoTime() - started) / 1_000_000;
            out.println(StackOptions.json(peer, bytes, null == digest ? null : HexFormat.of().formatHex(digest.digest()), ms));
            out.flush();
        }
        catch (final IOException | RuntimeException ex)
        {
            System.err.println("tcp-serve: connection " + peer + " failed after " + bytes + " bytes: " + ex.getMessage());
            connection.abort();
        }
        finally
        {
            open.remove(connection);
        }
    }

    /**
     * --replicas: every connection on the port runs on its own replica group ({@link ReplicatedTcpListener});
     * other ports stay on the plain stack (which answers them with a RST).
     */
    private int serveReplicated(final PrintStream out)
    {
        final ReplicatedTcpListener[] listener = new ReplicatedTcpListener[1];
        final BlockingTcpStack stack = stackOptions.start("tcp-serve-loop", (s) ->
        {
            final ReplicatedTcpListener.Builder b = ReplicatedTcpListener.builder(s.tcp(), port)
                .replicas(replicas).maxConnections(backlog).digestEvery(digestEvery)
                .copySplit(PayloadCopySplit.ofThreshold(copySplit));
            if (null != idle)
            {
                b.idleStrategy(IdleStrategies.byName(idle));
            }
            listener[0] = b.start();
            return listener[0];
        });
        final Set<ReplicatedConnection> connections = ConcurrentHashMap.newKeySet();
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread main = Thread.currentThread();
        final Thread hook = new Thread(() ->
        {
            main.interrupt();
            try
            {
                stopped.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        }, "tcp-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("tcp-serve: " + stackOptions.ip + " on " + stackOptions.tap + ", port " + port +
            ", sink " + sink.name().toLowerCase() + ", " + replicas + " replicas per connection");
        try
        {
            while (!Thread.currentThread().isInterrupted())
            {
                final ReplicatedConnection connection = listener[0].accept(200);
                if (null != connection)
                {
                    connections.add(connection);
                    final Thread worker = new Thread(() ->
                    {
                        serveReplicated(connection, out);
                        connections.remove(connection);
                    }, "tcp-serve-" + connection.describe());
                    worker.setDaemon(true);
                    worker.start();
                }
            }
        }
        finally
        {
            stack.close();
            listener[0].closeAll(); // stops every group: blocked workers see "replicas stopped"
            System.err.println("tcp-serve: " + listener[0].stats());
            System.err.println("tcp-serve: stopped");
            stopped.countDown();
        }
        return 0;
    }

    private void serveReplicated(final ReplicatedConnection connection, final PrintStream out)
    {
        final long started = System.nanoTime();
        final String peer = connection.describe();
        long bytes = 0;
        try
        {
            final MessageDigest digest = sink == Sink.SHA256 ? sha256() : null;
            final byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = connection.read(buffer, 0, buffer.length, IDLE_TIMEOUT_MS)) > 0)
            {
                bytes += n;
                if (null != digest)
                {
                    digest.update(buffer, 0, n);
                }
                else if (sink == Sink.ECHO)
                {
                    connection.write(buffer, 0, n, IDLE_TIMEOUT_MS);
                }
            }
            connection.close(10_000);
            final long ms = (System.nanoTime() - started) / 1_000_000;
            // Stats first: whoever waits for the JSON line (a test, a script) may stop us as soon as it has it.
            System.err.println("tcp-serve: " + peer + " " + connection.stats());
            out.println(StackOptions.json(peer, bytes, null == digest ? null : HexFormat.of().formatHex(digest.digest()), ms));
            out.flush();
        }
        catch (final IOException | RuntimeException ex)
        {
            System.err.println("tcp-serve: connection " + peer + " failed after " + bytes + " bytes: " + ex.getMessage());
            connection.close(0);
        }
    }

    static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
