package io.dominoes.net.interop;

import io.dominoes.net.device.TapDeviceAdapter;
import io.dominoes.net.iface.ArpCache;
import io.dominoes.net.iface.DropReason;
import io.dominoes.net.iface.Interface;
import io.dominoes.net.iface.Routes;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.MacAddress;
import io.dominoes.os.Native;
import io.dominoes.os.tap.TapDevice;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Linux kernel pings our stack through a TAP device.
 * <p>
 * Topology, all created and removed by this test: a TAP interface {@code dtap<pid>} whose file
 * descriptor the JVM holds is moved into a fresh network namespace {@code dominoes-ping-<pid>}.
 * There, the kernel side gets 10.77.0.1/24 and is brought up; our {@link Interface} runs on the
 * descriptor as 10.77.0.2 with its own MAC 02:64:6f:6d:00:02. {@code ip netns exec ... ping -c 3
 * 10.77.0.2} must get three replies, and the namespace's neighbour table must hold our MAC (so ARP
 * worked both ways). Moving the TAP into the namespace keeps the host's routing untouched; the
 * descriptor keeps working across the move. Deleting the namespace and closing the descriptor
 * remove everything.
 */
@Tag("root")
class TapPingInteropTest
{
    private static final long STACK_MAC = MacAddress.parse("02:64:6f:6d:00:02");

    @Test
    @Timeout(60)
    void kernelPingsOurStackThroughATapInANamespace() throws Exception
    {
        final boolean runnable = Native.isRoot() && Files.exists(Path.of("/dev/net/tun")) &&
            (Files.isExecutable(Path.of("/usr/bin/ping")) || Files.isExecutable(Path.of("/bin/ping")));
        if (!runnable)
        {
            System.out.println("SKIPPED TapPingInteropTest: needs root, /dev/net/tun, ip and ping");
        }
        Assumptions.assumeTrue(runnable, "needs root, /dev/net/tun, ip and ping");

        final long pid = ProcessHandle.current().pid();
        final String namespace = "dominoes-ping-" + pid;
        final String tapName = "dtap" + (pid % 100000);
        boolean namespaceCreated = false;
        try (TapDeviceAdapter device = new TapDeviceAdapter(TapDevice.open(tapName, false)))
        {
            KernelPeer.run("ip", "netns", "add", namespace);
            namespaceCreated = true;
            KernelPeer.run("ip", "link", "set", tapName, "netns", namespace);
            KernelPeer.run("ip", "netns", "exec", namespace, "ip", "addr", "add", "10.77.0.1/24", "dev", tapName);
            KernelPeer.run("ip", "netns", "exec", namespace, "ip", "link", "set", tapName, "up");

            final Interface iface = new Interface(
                device, STACK_MAC, new Routes(Ipv4Address.parse("10.77.0.2"), 24, Ipv4Address.ANY),
                new ArpCache(16, 30_000_000_000L, 1_000_000_000L), 16);

            final Process ping = new ProcessBuilder(
                "ip", "netns", "exec", namespace, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.2")
                .redirectErrorStream(true)
                .start();
            // One thread polls the interface; it blocks in poll(2) on the TAP, never spins.
            while (ping.isAlive())
            {
                device.tap().awaitReadable(20);
                iface.poll(System.nanoTime());
            }
            final String output = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println(output);
            System.out.println("interface drops: " + iface.describeDrops());
            assertEquals(0, ping.exitValue(), output);
            assertTrue(output.contains("3 packets transmitted, 3 received"), output);
            assertTrue(iface.echoRequestsAnswered() >= 3, "answered " + iface.echoRequestsAnswered());
            assertEquals(0, iface.drops(DropReason.IPV4_BAD_CHECKSUM) + iface.drops(DropReason.ICMP_BAD_CHECKSUM));

            final String neighbours = KernelPeer.run("ip", "netns", "exec", namespace, "ip", "neigh", "show", "10.77.0.2");
            assertTrue(neighbours.contains(MacAddress.toString(STACK_MAC)), "kernel learned our MAC: " + neighbours);
        }
        finally
        {
            if (namespaceCreated)
            {
                KernelPeer.run("ip", "netns", "del", namespace);
            }
        }
        assertTrue(!Files.exists(Path.of("/run/netns", namespace)), "namespace removed");
    }

}
