package io.dominoes.bench.cli;

import io.dominoes.net.device.TapDeviceAdapter;
import io.dominoes.net.iface.Routes;
import io.dominoes.net.misd.PayloadCopySplit;
import io.dominoes.net.misd.live.ReplicatedConnection;
import io.dominoes.net.misd.live.ReplicatedTcpListener;
import io.dominoes.net.stack.BlockingTcpStack;
import io.dominoes.net.stack.NetworkStack;
import io.dominoes.net.stack.TcpStackConfig;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.MacAddress;
import io.dominoes.os.Native;
import io.dominoes.os.tap.TapDevice;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./dominoes tcp-live-bench}: live goodput of the kernel's TCP sending to this stack through a TAP
 * (sink discards what it reads) against the kernel's TCP sending to the kernel's TCP over a veth pair between two
 * namespaces, measured the same way in one run, and their ratio.
 * <p>
 * Topology, all created here and removed at the end (namespaces named {@code dominoes-lb-<pid>-*}):
 * <pre>
 *   [ns tap]  python3 sender 10.82.0.1 --TAP--  JVM: this stack 10.82.0.2 (BlockingTcpStack, read and discard)
 *   [ns a]    python3 sender 10.83.0.1 --veth-- [ns b] python3 receiver 10.83.0.2 (recv and discard)
 * </pre>
 * The sender times from connect to the receiver's close (after it has read every byte), so both numbers are
 * application goodput including the handshake and teardown. Root only.
 */
@Command(
    name = "tcp-live-bench",
    description = {
        "Goodput kernel -> TAP -> this stack vs kernel -> veth -> kernel, in one run (root; makes and removes",
        "its own namespaces). Prints both in Mbit/s and the ratio TAP/veth.",
    })
public final class TcpLiveBenchCommand implements Callable<Integer>
{
    private static final long STACK_MAC = MacAddress.parse("02:64:6f:6d:00:0b");
    private static final int PORT = 7100;

    static final String SENDER_PY = String.join("\n",
        "import socket, sys, time",
        "host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])",
        "chunk = bytes(1 << 20)",
        "view = memoryview(chunk)",
        "start = time.monotonic()",
        "s = socket.create_connection((host, port), timeout=60)",
        "left = n",
        "while left > 0:",
        "    k = min(left, len(chunk))",
        "    s.sendall(view[:k])",
        "    left -= k",
        "s.shutdown(socket.SHUT_WR)",
        "assert s.recv(1) == b''",
        "elapsed = time.monotonic() - start",
        "s.close()",
        "print('sent', n, 'seconds', repr(elapsed), flush=True)",
        "");

    static final String RECEIVER_PY = String.join("\n",
        "import socket, sys",
        "l = socket.socket()",
        "l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
        "l.bind((sys.argv[1], int(sys.argv[2])))",
        "l.listen(1)",
        "print('listening', flush=True)",
        "c, a = l.accept()",
        "buf = bytearray(1 << 18)",
        "n = 0",
        "while True:",
        "    k = c.recv_into(buf)",
        "    if k == 0:",
        "        break",
        "    n += k",
        "c.close()",
        "print('received', n, flush=True)",
        "");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bytes", defaultValue = "268435456", description = "Bytes each sender sends (default 256 MiB).")
    long bytes;

    @Option(names = "--runs", defaultValue = "3", description = "Runs of each path, alternating; the median is kept.")
    int runs;

    @Option(names = "--replicas", paramLabel = "N",
        description = "Serve the TAP path's connections replicated on N replicas (ReplicatedTcpListener: whole TCB " +
            "on a replica group, parking when replicas + loop exceed the cores); default: the plain stack.")
    Integer replicas;

    @Option(names = "--vnet-hdr",
        description = "Open the TAP with IFF_VNET_HDR and checksum + TSO4 offload (64 KiB segments from the kernel).")
    boolean vnetHdr;

    @Option(names = "--copy-split", defaultValue = "16384", paramLabel = "BYTES",
        description = "With --replicas: a segment payload of at least BYTES (the TSO segments of --vnet-hdr) is " +
            "copied in 8 KiB chunks split across the replicas; 0: the segment's owner copies it all " +
            "(default ${DEFAULT-VALUE}).")
    int copySplit;

    private ReplicatedTcpListener replicated;
    private String lastCopyReport = "";

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (bytes < 1 || runs < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--bytes=" + bytes + " and --runs=" + runs + " must be >= 1");
        }
        if (null != replicas && (replicas < 1 || replicas > 64))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--replicas " + replicas + " must be 1..64");
        }
        if (copySplit < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--copy-split " + copySplit + " must be >= 0");
        }
        if (!Native.isRoot())
        {
            System.err.println("tcp-live-bench: needs root (it creates network namespaces, a veth pair and a TAP " +
                "device); run it as root");
            return 2;
        }
        final Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python) || !Files.exists(Path.of("/dev/net/tun")))
        {
            System.err.println("tcp-live-bench: needs /usr/bin/python3 and /dev/net/tun");
            return 2;
        }
        final long pid = ProcessHandle.current().pid();
        final String nsTap = "dominoes-lb-" + pid + "-tap";
        final String nsA = "dominoes-lb-" + pid + "-a";
        final String nsB = "dominoes-lb-" + pid + "-b";
        final String tapName = "dlb" + (pid % 100000);
        final Path dir = Files.createTempDirectory("dominoes-live-bench");
        final Path sender = dir.resolve("sender.py");
        final Path receiver = dir.resolve("receiver.py");
        Files.writeString(sender, SENDER_PY);
        Files.writeString(receiver, RECEIVER_PY);
        final List<String> created = new ArrayList<>();
        BlockingTcpStack blocking = null;
        try
        {
            // kernel -> TAP -> this stack
            final TapDevice tap = StackOptions.openTap(tapName, vnetHdr);
            // the adapter reads the MTU through the TAP's name, so before the TAP leaves this namespace
            final TapDeviceAdapter device = new TapDeviceAdapter(tap);
            run("ip", "netns", "add", nsTap);
            created.add(nsTap);
            run("ip", "link", "set", tapName, "netns", nsTap);
            run("ip", "netns", "exec", nsTap, "ip", "addr", "add", "10.82.0.1/24", "dev", tapName);
            run("ip", "netns", "exec", nsTap, "ip", "link", "set", tapName, "up");
            final NetworkStack stack = new NetworkStack(device, STACK_MAC,
                new Routes(Ipv4Address.parse("10.82.0.2"), 24, Ipv4Address.ANY), new TcpStackConfig());
            final BlockingTcpStack.Listener listener;
            if (null == replicas)
            {
                blocking = new BlockingTcpStack(stack, BlockingTcpStack.tapWaiter(tap), "live-bench-stack");
                listener = blocking.listen(PORT, 4);
            }
            else
            {
                replicated = ReplicatedTcpListener.builder(stack.tcp(), PORT).replicas(replicas)
                    .copySplit(PayloadCopySplit.ofThreshold(copySplit)).start();
                blocking = new BlockingTcpStack(stack, BlockingTcpStack.tapWaiter(tap), "live-bench-stack", replicated);
                listener = null;
            }

            // kernel -> veth -> kernel
            run("ip", "netns", "add", nsA);
            created.add(nsA);
            run("ip", "netns", "add", nsB);
            created.add(nsB);
            run("ip", "netns", "exec", nsA, "ip", "link", "add", "dlbva", "type", "veth", "peer", "name", "dlbvb");
            run("ip", "netns", "exec", nsA, "ip", "link", "set", "dlbvb", "netns", nsB);
            run("ip", "netns", "exec", nsA, "ip", "addr", "add", "10.83.0.1/24", "dev", "dlbva");
            run("ip", "netns", "exec", nsB, "ip", "addr", "add", "10.83.0.2/24", "dev", "dlbvb");
            run("ip", "netns", "exec", nsA, "ip", "link", "set", "dlbva", "up");
            run("ip", "netns", "exec", nsB, "ip", "link", "set", "dlbvb", "up");
            run("ip", "netns", "exec", nsA, "ip", "link", "set", "lo", "up");
            run("ip", "netns", "exec", nsB, "ip", "link", "set", "lo", "up");

            final double[] tapMbps = new double[runs];
            final double[] vethMbps = new double[runs];
            for (int r = 0; r < runs; r++)
            {
                tapMbps[r] = tapRun(nsTap, python, sender, listener);
                vethMbps[r] = vethRun(nsA, nsB, python, sender, receiver);
                out.printf(Locale.ROOT, "run %d: tap %.1f Mbit/s, veth %.1f Mbit/s%s%n", r + 1, tapMbps[r], vethMbps[r],
                    lastCopyReport);
                out.flush();
            }
            final double tapMedian = median(tapMbps);
            final double vethMedian = median(vethMbps);
            out.printf(Locale.ROOT, "bytes=%d runs=%d tap path=%s%s%n", bytes, runs,
                null == replicas ? "plain stack" : "replicated, " + replicas + " replicas, copy split " +
                    PayloadCopySplit.ofThreshold(copySplit),
                vnetHdr ? ", vnet-hdr (TUN_F_CSUM|TUN_F_TSO4)" : "");
            out.printf(Locale.ROOT, "kernel->TAP->dominoes goodput: %.1f Mbit/s (median)%n", tapMedian);
            out.printf(Locale.ROOT, "kernel->veth->kernel goodput:  %.1f Mbit/s (median)%n", vethMedian);
            out.printf(Locale.ROOT, "ratio TAP/veth: %.4f%n", tapMedian / vethMedian);
            final BlockingTcpStack b = blocking;
            out.println(b.call(() -> "stack: iface drops [" + stack.iface().describeDrops() + "] tcp drops [" +
                stack.tcp().describeDrops() + "] segments in=" + stack.tcp().segmentsReceived() + " out=" +
                stack.tcp().segmentsSent() + (vnetHdr ? " frames above MTU=" + device.framesAboveMtu() + " gso=" +
                device.gsoFrames() + " partial-checksum=" + device.partialChecksumFrames() + " bad-vnet=" +
                device.badVnetHeaderDrops() : "") + (null == replicated ? "" : "; " + replicated.stats())));
            out.flush();
            if (null != listener)
            {
                listener.close();
            }
            return 0;
        }
        finally
        {
            if (null != blocking)
            {
                blocking.close();
            }
            if (null != replicated)
            {
                replicated.closeAll();
            }
            for (final String ns : created)
            {
                try
                {
                    run("ip", "netns", "del", ns);
                }
                catch (final Exception ex)
                {
                    System.err.println("tcp-live-bench: could not remove namespace " + ns + ": " + ex.getMessage());
                }
            }
            Files.deleteIfExists(sender);
            Files.deleteIfExists(receiver);
            Files.deleteIfExists(dir);
        }
    }

    private double tapRun(
        final String ns, final Path python, final Path sender, final BlockingTcpStack.Listener listener)
        throws Exception
    {
        final Process client = new ProcessBuilder("ip", "netns", "exec", ns, python.toString(), sender.toString(),
            "10.82.0.2", Integer.toString(PORT), Long.toString(bytes)).redirectErrorStream(true).start();
        final byte[] sink = new byte[256 * 1024];
        long received = 0;
        int n;
        if (null != replicated)
        {
            final ReplicatedConnection connection = replicated.accept(30_000);
            if (null == connection)
            {
                client.destroyForcibly();
                throw new IllegalStateException("the kernel did not connect to the stack within 30 s");
            }
            while ((n = connection.read(sink, 0, sink.length, 60_000)) > 0)
            {
                received += n;
            }
            connection.close(10_000);
            // per replica: bytes copied into the shared buffer, split segments it copied a share of
            lastCopyReport = "; replicas " + connection.sharedBuffer().copyReport();
        }
        else
        {
            final BlockingTcpStack.Connection connection = listener.accept(30_000);
            if (null == connection)
            {
                client.destroyForcibly();
                throw new IllegalStateException("the kernel did not connect to the stack within 30 s");
            }
            while ((n = connection.read(sink, 0, sink.length)) > 0)
            {
                received += n;
            }
            connection.close(10_000);
        }
        if (received != bytes)
        {
            throw new IllegalStateException("stack received " + received + " of " + bytes + " bytes");
        }
        return senderMbps(client, "tap");
    }

    private double vethRun(final String nsA, final String nsB, final Path python, final Path sender, final Path receiver)
        throws Exception
    {
        final Process sink = new ProcessBuilder("ip", "netns", "exec", nsB, python.toString(), receiver.toString(),
            "10.83.0.2", Integer.toString(PORT)).redirectErrorStream(true).start();
        final BufferedReader sinkOut =
            new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
        final String ready = sinkOut.readLine();
        if (!"listening".equals(ready))
        {
            sink.destroyForcibly();
            throw new IllegalStateException("veth receiver did not start: " + ready);
        }
        final Process client = new ProcessBuilder("ip", "netns", "exec", nsA, python.toString(), sender.toString(),
            "10.83.0.2", Integer.toString(PORT), Long.toString(bytes)).redirectErrorStream(true).start();
        final double mbps = senderMbps(client, "veth");
        final String done = sinkOut.readLine();
        if (!sink.waitFor(60, TimeUnit.SECONDS) || !("received " + bytes).equals(done))
        {
            sink.destroyForcibly();
            throw new IllegalStateException("veth receiver: " + done);
        }
        return mbps;
    }

    private double senderMbps(final Process client, final String path) throws Exception
    {
        final String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!client.waitFor(120, TimeUnit.SECONDS) || client.exitValue() != 0)
        {
            client.destroyForcibly();
            throw new IllegalStateException(path + " sender failed: " + output);
        }
        final String[] words = output.split("\\s+");
        if (words.length != 4 || !"sent".equals(words[0]) || Long.parseLong(words[1]) != bytes)
        {
            throw new IllegalStateException(path + " sender said: " + output);
        }
        final double seconds = Double.parseDouble(words[3]);
        return bytes * 8.0 / seconds / 1e6;
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return (sorted.length & 1) == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
