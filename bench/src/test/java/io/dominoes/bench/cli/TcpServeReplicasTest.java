package io.dominoes.bench.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tcp-serve --replicas N}: bad values fail before a device is opened; and, as root, the served connections
 * really run on replica groups: with 1 replica (still the replicated path) the kernel's bytes are hashed right
 * (sink sha256), with 2 replicas an echo returns exactly what the kernel sent (replicated receive and send).
 */
class TcpServeReplicasTest
{
    private static final String ECHO_PY = String.join("\n",
        "import hashlib, socket, sys, threading",
        "data = bytes((i * 13 + 5) & 0xFF for i in range(int(sys.argv[3])))",
        "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)",
        "t = threading.Thread(target=lambda: (s.sendall(data), s.shutdown(socket.SHUT_WR)))",
        "t.start()",
        "h = hashlib.sha256(); n = 0",
        "while True:",
        "    b = s.recv(1 << 16)",
        "    if not b:",
        "        break",
        "    h.update(b); n += len(b)",
        "t.join()",
        "print(n, h.hexdigest() == hashlib.sha256(data).hexdigest(), flush=True)",
        "");

    private static final String SEND_PY = String.join("\n",
        "import hashlib, socket, sys",
        "data = bytes((i * 7 + 3) & 0xFF for i in range(int(sys.argv[3])))",
        "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)",
        "s.sendall(data)",
        "s.shutdown(socket.SHUT_WR)",
        "s.recv(1)",
        "print(hashlib.sha256(data).hexdigest(), flush=True)",
        "");

    @Test
    void rejectsBadReplicaOptionsNamingThem()
    {
        fails("--replicas", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/24", "--port", "80", "--replicas", "0");
        fails("--idle", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/24", "--port", "80", "--idle", "park");
        fails("--idle", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/24", "--port", "80", "--replicas", "2",
            "--idle", "sleepy");
        fails("--digest-every", "tcp-serve", "--tap", "t0", "--ip", "10.0.0.2/24", "--port", "80", "--replicas", "2",
            "--digest-every", "-1");
    }

    @Test
    @Tag("root")
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void servesTheKernelThroughReplicaGroups() throws Exception
    {
        final boolean runnable = "root".equals(System.getProperty("user.name")) &&
            Files.exists(Path.of("/dev/net/tun")) && Files.isExecutable(Path.of("/usr/bin/python3"));
        if (!runnable)
        {
            System.out.println("SKIPPED TcpServeReplicasTest: needs root, /dev/net/tun, ip and /usr/bin/python3");
        }
        Assumptions.assumeTrue(runnable, "needs root, /dev/net/tun, ip and /usr/bin/python3");
        final long pid = ProcessHandle.current().pid();
        final String ns = "dominoes-clir-" + pid;
        final String tap = "dclr" + (pid % 100000);
        final Path dir = Files.createTempDirectory("dominoes-clir");
        final Path sendPy = Files.writeString(dir.resolve("send.py"), SEND_PY);
        final Path echoPy = Files.writeString(dir.resolve("echo.py"), ECHO_PY);
        run("ip", "netns", "add", ns);
        try
        {
            run("ip", "netns", "exec", ns, "ip", "tuntap", "add", "dev", tap, "mode", "tap");
            run("ip", "netns", "exec", ns, "ip", "addr", "add", "10.81.0.1/24", "dev", tap);
            run("ip", "netns", "exec", ns, "ip", "link", "set", tap, "up");

            final Path err1 = dir.resolve("serve1.err");
            final Process serve1 = cli(ns, err1, "tcp-serve", "--tap", tap, "--ip", "10.81.0.2/24", "--port", "7001",
                "--sink", "sha256", "--replicas", "1");
            final BufferedReader out1 = new BufferedReader(new InputStreamReader(serve1.getInputStream(), StandardCharsets.UTF_8));
            pingUntilAnswered(ns, "10.81.0.2");
            final String kernelSent = run("ip", "netns", "exec", ns, "/usr/bin/python3", sendPy.toString(),
                "10.81.0.2", "7001", "3000000").strip();
            final String line = out1.readLine();
            serve1.destroy();
            assertTrue(serve1.waitFor(30, TimeUnit.SECONDS), "tcp-serve stopped on SIGTERM");
            final String stderr1 = Files.readString(err1);
            System.out.println("tcp-serve --replicas 1 printed: " + line + "\n" + stderr1);
            assertTrue(line.matches("\\{\"peer\":\"10\\.81\\.0\\.1:\\d+\",\"bytes\":3000000,\"sha256\":\"" +
                kernelSent + "\",\"ms\":\\d+}"), line + " vs kernel's " + kernelSent);
            assertTrue(stderr1.contains("1 replicas per connection") && stderr1.contains("replicas=1 framesIn="), stderr1);

            final Path err2 = dir.resolve("serve2.err");
            final Process serve2 = cli(ns, err2, "tcp-serve", "--tap", tap, "--ip", "10.81.0.2/24", "--port", "7002",
                "--sink", "echo", "--replicas", "2", "--idle", "park", "--digest-every", "64");
            final BufferedReader out2 = new BufferedReader(new InputStreamReader(serve2.getInputStream(), StandardCharsets.UTF_8));
            pingUntilAnswered(ns, "10.81.0.2");
            final String echoed = run("ip", "netns", "exec", ns, "/usr/bin/python3", echoPy.toString(),
                "10.81.0.2", "7002", "2000000").strip();
            final String line2 = out2.readLine();
            serve2.destroy();
            assertTrue(serve2.waitFor(30, TimeUnit.SECONDS), "tcp-serve stopped on SIGTERM");
            final String stderr2 = Files.readString(err2);
            System.out.println("tcp-serve --replicas 2 --sink echo: kernel got '" + echoed + "', printed " + line2 + "\n" + stderr2);
            assertEquals("2000000 True", echoed, stderr2);
            assertTrue(line2.contains("\"bytes\":2000000"), line2);
            assertTrue(stderr2.contains("replicas=2 framesIn=") && stderr2.contains("failures=0"), stderr2);
        }
        finally
        {
            run("ip", "netns", "del", ns);
            for (final String f : new String[] {"send.py", "echo.py", "serve1.err", "serve2.err"})
            {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void fails(final String option, final String... args)
    {
        final CommandLine commandLine = DominoesCli.newCommandLine();
        final StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        final int code = commandLine.execute(args);
        final String message = err.toString();
        assertEquals(2, code, message);
        assertTrue(message.contains(option), "message names " + option + ": " + message);
    }

    private static void pingUntilAnswered(final String ns, final String address) throws Exception
    {
        for (int i = 0; i < 50; i++)
        {
            final Process ping = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", address)
                .redirectErrorStream(true).start();
            ping.getInputStream().readAllBytes();
            if (ping.waitFor() == 0)
            {
                return;
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
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
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
