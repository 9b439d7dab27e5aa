package io.dominoes.net.interop;

import io.dominoes.core.ReplicaCounters;
import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.net.device.PrefixCaptureDevice;
import io.dominoes.net.device.TapDeviceAdapter;
import io.dominoes.net.iface.DropReason;
import io.dominoes.net.iface.Routes;
import io.dominoes.net.misd.live.ReplicatedConnection;
import io.dominoes.net.misd.live.ReplicatedTcpListener;
import io.dominoes.net.stack.BlockingTcpStack;
import io.dominoes.net.stack.NetworkStack;
import io.dominoes.net.stack.TcpStackConfig;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.MacAddress;
import io.dominoes.net.misd.SharedReceiveBuffer;
import io.dominoes.os.Native;
import io.dominoes.os.linux.LinuxConstants;
import io.dominoes.os.tap.TapDevice;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Linux kernel's TCP against the replicated connection path ({@link ReplicatedTcpListener}) through a TAP
 * device, for 1, 2 and 4 replicas: the kernel sends {@value #MIB} MiB to us and receives {@value #MIB} MiB from
 * us, both on connections whose whole TCB runs on the replicas (receive: checksum verdicts, owner copies, emitted
 * ACKs; send: replicated send buffer, emitted data segments), SHA-256 equal both ways; ping answered; no bad
 * checksum counted; the replicas' TCB digests compared every 256 events (a divergence fails the connection and
 * the test); tshark finds no malformed frame in the first frames. The replicas park when idle (4 replicas on 2
 * cores must never spin). Topology as {@link TapTcpInteropTest}, one namespace per replica count, removed.
 * <p>
 * The {@code vnetHdr} variants (2 and 4 replicas, {@value #VNET_MIB} MiB each way) open the TAP with IFF_VNET_HDR
 * and checksum + TSO4 offload, so the kernel hands over segments of up to 64 KiB with partial checksums: they
 * also check that frames above 1514 bytes arrived, that the upload's large segments had their copies split
 * across the replicas (split copies counted) and that every replica copied a share of the bytes.
 */
@Tag("root")
class ReplicatedTapTcpInteropTest
{
    private static final long STACK_MAC = MacAddress.parse("02:64:6f:6d:00:04");
    private static final int PORT = 7000;
    private static final int MIB = 100;
    private static final int VNET_MIB = 24;
    private static final long CAPTURE_FRAMES = 5_000;

    static Stream<Arguments> variants()
    {
        return Stream.of(Arguments.of(1, false), Arguments.of(2, false), Arguments.of(4, false),
            Arguments.of(2, true), Arguments.of(4, true));
    }


    @ParameterizedTest(name = "{0} replicas, vnetHdr={1}")
    @MethodSource("variants")
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void kernelSendsAndReceivesThroughReplicatedConnections(final int replicas, final boolean vnetHdr) throws Exception
    {
        final long bytes = (vnetHdr ? VNET_MIB : MIB) * 1024L * 1024;
        final Path python = Files.isExecutable(Path.of("/usr/bin/python3")) ? Path.of("/usr/bin/python3") : null;
        final boolean runnable = Native.isRoot() && Files.exists(Path.of("/dev/net/tun")) && null != python &&
            Files.isExecutable(Path.of("/usr/bin/ping"));
        if (!runnable)
        {
            System.out.println("SKIPPED ReplicatedTapTcpInteropTest: needs root, /dev/net/tun, ip, ping and /usr/bin/python3");
        }
        Assumptions.assumeTrue(runnable, "needs root, /dev/net/tun, ip, ping and /usr/bin/python3");

        final long pid = ProcessHandle.current().pid();
        final String namespace = (vnetHdr ? "dominoes-mvnet-" : "dominoes-mtcp-") + pid + "-" + replicas;
        final String tapName = (vnetHdr ? "dmv" : "dmt") + (pid % 100000) + "r" + replicas;
        final Path dir = Files.createTempDirectory("dominoes-mtcp-interop");
        final Path script = dir.resolve("client.py");
        final Path pcap = dir.resolve("stack.pcap");
        Files.writeString(script, KernelPeer.CLIENT_PY);
        boolean namespaceCreated = false;
        BlockingTcpStack blocking = null;
        ReplicatedTcpListener listener = null;
        Process client = null;
        try
        {
            final TapDevice tap = TapDevice.open(tapName, vnetHdr);
            if (vnetHdr)
            {
                tap.setOffload(LinuxConstants.TUN_F_CSUM | LinuxConstants.TUN_F_TSO4);
            }
            final TapDeviceAdapter adapter = new TapDeviceAdapter(tap);
            final PrefixCaptureDevice device = new PrefixCaptureDevice(adapter, pcap,
                System.currentTimeMillis() * 1_000_000L - System.nanoTime(), CAPTURE_FRAMES);
            KernelPeer.run("ip", "netns", "add", namespace);
            namespaceCreated = true;
            KernelPeer.run("ip", "link", "set", tapName, "netns", namespace);
            KernelPeer.run("ip", "netns", "exec", namespace, "ip", "addr", "add", "10.79.1.1/24", "dev", tapName);
            KernelPeer.run("ip", "netns", "exec", namespace, "ip", "link", "set", tapName, "up");

            final NetworkStack stack = new NetworkStack(device, STACK_MAC,
                new Routes(Ipv4Address.parse("10.79.1.2"), 24, Ipv4Address.ANY), new TcpStackConfig());
            // park, never spin: 4 replicas + the loop + the application on a 2-core machine
            listener = ReplicatedTcpListener.builder(stack.tcp(), PORT)
                .replicas(replicas)
                .idleStrategy(replicas + 1 <= Runtime.getRuntime().availableProcessors() ?
                    IdleStrategies.byName("two-phase") : IdleStrategies.byName("park"))
                .digestEvery(256)
                .start();
            blocking = new BlockingTcpStack(stack, BlockingTcpStack.tapWaiter(tap), "stack-loop", listener);

            final String ping = KernelPeer.run("ip", "netns", "exec", namespace, "ping", "-c", "3", "-i", "0.2", "-W", "2",
                "10.79.1.2");
            assertTrue(ping.contains("3 packets transmitted, 3 received"), ping);

            final long seed = 7 + replicas;
            client = new ProcessBuilder("ip", "netns", "exec", namespace, python.toString(),
                script.toString(), "10.79.1.2", Integer.toString(PORT), Long.toString(bytes), Long.toString(seed))
                .redirectErrorStream(true).start();
            final long started = System.nanoTime();

            // upload: the kernel sends, the replicas receive; read to the end of stream, hash
            final ReplicatedConnection up = listener.accept(30_000);
            assertTrue(null != up, "kernel connected");
            final MessageDigest upHash = MessageDigest.getInstance("SHA-256");
            final byte[] buffer = new byte[256 * 1024];
            long received = 0;
            int n;
            while ((n = up.read(buffer, 0, buffer.length, 30_000)) > 0)
            {
                upHash.update(buffer, 0, n);
                received += n;
            }
            final String upStats = up.stats();
            final SharedReceiveBuffer upShared = up.sharedBuffer();
            long digestsCompared = 0;
            for (int r = 0; r < replicas; r++)
            {
                digestsCompared += up.group().counters(r).get(ReplicaCounters.DIGESTS_COMPARED);
            }
            assertTrue(replicas == 1 || digestsCompared > 0, "replicas' TCB digests were compared: " + digestsCompared);
            assertTrue(up.close(10_000), "FIN acknowledged: " + upStats);
            final long upMs = (System.nanoTime() - started) / 1_000_000;

            // download: the replicas send what the application writes (seeded bytes)
            final ReplicatedConnection down = listener.accept(30_000);
            assertTrue(null != down, "kernel connected again");
            final MessageDigest downHash = MessageDigest.getInstance("SHA-256");
            final SplittableRandom random = new SplittableRandom(seed);
            long sent = 0;
            while (sent < bytes)
            {
                final int chunk = (int)Math.min(buffer.length, bytes - sent);
                for (int i = 0; i < chunk; i += 8)
                {
                    final long v = random.nextLong();
                    for (int j = 0; j < 8 && i + j < chunk; j++)
                    {
                        buffer[i + j] = (byte)(v >>> (8 * j));
                    }
                }
                downHash.update(buffer, 0, chunk);
                down.write(buffer, 0, chunk, 30_000);
                sent += chunk;
            }
            final String downStats = down.stats();
            assertTrue(down.close(60_000), "kernel acknowledged everything: " + downStats);
            final long totalMs = (System.nanoTime() - started) / 1_000_000;

            assertTrue(client.waitFor(120, TimeUnit.SECONDS), "client finished");
            final String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final ReplicatedTcpListener l = listener;
            final String stats = blocking.call(() -> (vnetHdr ? "frames above MTU=" + adapter.framesAboveMtu() +
                " partial-checksum=" + adapter.partialChecksumFrames() + " bad-vnet=" + adapter.badVnetHeaderDrops() +
                " oversize=" + adapter.oversizeDrops() + "; " : "") + "iface drops: " + stack.iface().describeDrops() +
                " tcp drops: " + stack.tcp().describeDrops() + "; " + l.stats());
            System.out.println("replicas=" + replicas + (vnetHdr ? " vnet-hdr" : "") + ": " + output.strip() + "; upload " + received + " bytes in " +
                upMs + " ms, total " + totalMs + " ms; up " + upStats + "; down " + downStats + "; " + stats);
            assertEquals(0, client.exitValue(), output);
            assertEquals(bytes, received, output);
            final String upHex = HexFormat.of().formatHex(upHash.digest());
            final String downHex = HexFormat.of().formatHex(downHash.digest());
            assertTrue(output.contains("up " + upHex), "kernel sent what we hashed: " + upHex + " vs " + output);
            assertTrue(output.contains("down " + downHex + " " + bytes), "kernel got what we sent: " + downHex + " vs " + output);
            assertEquals(0L, (long)blocking.call(() -> stack.iface().drops(DropReason.IPV4_BAD_CHECKSUM)), stats);
            assertEquals(0L, (long)blocking.call(l::failures), "no replica divergence or failure: " + stats);
            long copied = 0;
            for (int r = 0; r < replicas; r++)
            {
                copied += upShared.copiedBytes(r);
            }
            assertTrue(copied >= bytes, "every received byte was copied in: " + upStats);
            if (vnetHdr)
            {
                assertTrue(blocking.call(adapter::framesAboveMtu) > 0, "kernel sent TSO frames above 1514 bytes: " + stats);
                assertEquals(0L, (long)blocking.call(() -> adapter.badVnetHeaderDrops() + adapter.oversizeDrops()), stats);
                for (int r = 0; r < replicas; r++)
                {
                    assertTrue(upShared.splitCopies(r) > 0, "replica " + r + " copied shares of split segments: " + upStats);
                    assertTrue(upShared.copiedBytes(r) > 0, "replica " + r + " copied bytes: " + upStats);
                }
            }

            blocking.close();
            blocking = null;
            listener.closeAll();
            listener = null;
            if (Files.isExecutable(Path.of("/usr/bin/tshark")))
            {
                final long frames = KernelPeer.run("tshark", "-r", pcap.toString(), "-T", "fields", "-e", "frame.number")
                    .lines().filter((line) -> !line.contains("Running as user")).count();
                final String malformed = KernelPeer.run("tshark", "-r", pcap.toString(), "-d", "tcp.port==" + PORT + ",data",
                    "-Y", "_ws.malformed").lines().filter((line) -> !line.contains("Running as user"))
                    .collect(Collectors.joining("\n"));
                System.out.println("tshark: " + frames + " frames captured, malformed: '" + malformed.strip() + "'");
                assertTrue(frames > 100, "capture has frames");
                assertEquals("", malformed.strip(), "tshark found malformed frames");
            }
            else
            {
                System.out.println("tshark not installed: capture not checked");
            }
        }
        finally
        {
            if (null != client && client.isAlive())
            {
                client.destroyForcibly();
            }
            if (null != blocking)
            {
                blocking.close();
            }
            if (null != listener)
            {
                listener.closeAll();
            }
            if (namespaceCreated)
            {
                KernelPeer.run("ip", "netns", "del", namespace);
            }
            Files.deleteIfExists(script);
            Files.deleteIfExists(pcap);
            Files.deleteIfExists(dir);
        }
        assertTrue(!Files.exists(Path.of("/run/netns", namespace)), "namespace removed");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch((t) -> t.getName().startsWith("misd-tcp-")),
            "replica threads joined");
    }

}
