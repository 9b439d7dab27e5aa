package io.dominoes.bench.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tcp-serve and tcp-send as separate processes inside a test-created network namespace with a TAP made
 * by {@code ip tuntap} (the commands attach to it by name); the kernel's TCP (python3) is the peer.
 * Root only; removes the namespace (and with it the TAP).
 */
@Tag("root")
class TcpCommandsSmokeTest
{
    private static final String SEND_PY = String.join("\n",
        "import hashlib, socket, sys",
        "data = bytes((i * 7 + 3) & 0xFF for i in range(int(sys.argv[3])))",
        "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)",
        "s.sendall(data)",
        "s.shutdown(socket.SHUT_WR)",
        "s.recv(1)",
        "print(hashlib.sha256(data).hexdigest(), flush=True)",
        "");

    private static final String SINK_PY = String.join("\n",
        "import hashlib, socket, sys",
        "l = socket.socket()",
        "l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
        "l.bind((sys.argv[1], int(sys.argv[2])))",
        "l.listen(1)",
        "print('listening', flush=True)",
        "c, a = l.accept()",
        "h = hashlib.sha256()",
        "n = 0",
        "while True:",
        "    b = c.recv(1 << 16)",
        "    if not b:",
        "        break",
        "    h.update(b)",
        "    n += len(b)",
        "c.close()",
        "print(n, h.hexdigest(), flush=True)",
        "");

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void serveHashesWhatTheKernelSendsAndSendDeliversWhatItHashes() throws Exception
    {
        final boolean runnable = "root".equals(System.getProperty("user.name")) &&
            Files.exists(Path.of("/dev/net/tun")) && Files.isExecutable(Path.of("/usr/bin/python3"));
        if (!runnable)
        {
            System.out.println("SKIPPED TcpCommandsSmokeTest: needs root, /dev/net/tun, ip and /usr/bin/python3");
        }
        Assumptions.assumeTrue(runnable, "needs root, /dev/net/tun, ip and /usr/bin/python3");

        final long pid = ProcessHandle.current().pid();
        final String ns = "dominoes-cli-" + pid;
        final String tap = "dcli" + (pid % 100000);
        final Path dir = Files.createTempDirectory("dominoes-cli");
        final Path sendPy = Files.writeString(dir.resolve("send.py"), SEND_PY);
        final Path sinkPy = Files.writeString(dir.resolve("sink.py"), SINK_PY);
        final Path pcap = dir.resolve("serve.pcap");
        run("ip", "netns", "add", ns);
        try
        {
            run("ip", "netns", "exec", ns, "ip", "tuntap", "add", "dev", tap, "mode", "tap");
            run("ip", "netns", "exec", ns, "ip", "addr", "add", "10.80.0.1/24", "dev", tap);
            run("ip", "netns", "exec", ns, "ip", "link", "set", tap, "up");

            // tcp-serve --sink sha256, stopped with SIGTERM
            final Path serveErrFile = dir.resolve("serve.err");
        final Process serve = cli(ns, serveErrFile, "tcp-serve", "--tap", tap, "--ip", "10.80.0.2/24", "--port", "7001",
                "--sink", "sha256", "--pcap", pcap.toString());
            final BufferedReader serveOut =
                new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            final String ping = pingUntilAnswered(ns, "10.80.0.2");
            final int length = 3_000_000;
            final String kernelSent = run("ip", "netns", "exec", ns, "/usr/bin/python3", sendPy.toString(),
                "10.80.0.2", "7001", Integer.toString(length)).strip();
            final String line = serveOut.readLine();
            System.out.println("tcp-serve printed: " + line);
            assertTrue(line.matches("\\{\"peer\":\"10\\.80\\.0\\.1:\\d+\",\"bytes\":3000000,\"sha256\":\"" +
                kernelSent + "\",\"ms\":\\d+}"), line + " vs kernel's " + kernelSent + "; ping: " + ping);
            serve.destroy(); // SIGTERM
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "tcp-serve stopped on SIGTERM");
            final String serveErr = Files.readString(serveErrFile);
            assertTrue(serveErr.contains("tcp-serve: stopped"), serveErr);
            assertTrue(Files.size(pcap) > 24 + 16 * 10, "capture flushed: " + Files.size(pcap));

            // tcp-send to a kernel socket
            final Process sink = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", sinkPy.toString(),
                "10.80.0.1", "7002").redirectErrorStream(true).start();
            final BufferedReader sinkOut =
                new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("listening", sinkOut.readLine());
            final Process send = cli(ns, null, "tcp-send", "--tap", tap, "--ip", "10.80.0.2/24", "--to", "10.80.0.1:7002",
                "--bytes", "2000001", "--seed", "7");
            assertTrue(send.waitFor(60, TimeUnit.SECONDS), "tcp-send finished");
            final String sendOut = new String(send.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            final String sendErr = new String(send.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, send.exitValue(), sendOut + sendErr);
            final String expected = expectedSha256(7, 2_000_001);
            System.out.println("tcp-send printed: " + sendOut);
            assertTrue(sendOut.matches("\\{\"peer\":\"10\\.80\\.0\\.1:7002\",\"bytes\":2000001,\"sha256\":\"" +
                expected + "\",\"ms\":\\d+}"), sendOut);
            assertTrue(sink.waitFor(30, TimeUnit.SECONDS));
            assertEquals("2000001 " + expected, sinkOut.readLine(), "the kernel received what tcp-send hashed");
        }
        finally
        {
            run("ip", "netns", "del", ns);
            for (final String f : new String[] {"send.py", "sink.py", "serve.pcap", "serve.err"})
            {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static String expectedSha256(final long seed, final long bytes) throws Exception
    {
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] buffer = new byte[64 * 1024];
        for (long done = 0; done < bytes; )
        {
            final int chunk = (int)Math.min(buffer.length, bytes - done);
            TcpSendCommand.fill(random, buffer, chunk);
            digest.update(buffer, 0, chunk);
            done += chunk;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String pingUntilAnswered(final String ns, final String address) throws Exception
    {
        for (int i = 0; i < 50; i++)
        {
            final Process ping = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", address)
                .redirectErrorStream(true).start();
            final String out = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (ping.waitFor() == 0)
            {
                return out;
            }
        }
        throw new AssertionError("tcp-serve never answered ping");
    }

    private static Process cli(final String ns, final Path stderr, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
            ProcessHandle.current().info().command().orElse("java")));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-XX:") || arg.startsWith("-Dagrona") || arg.startsWith("-Daeron"))
            {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DominoesCli.class.getName());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command);
        if (null != stderr)
        {
            builder.redirectError(stderr.toFile());
        }
        return builder.start();
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
