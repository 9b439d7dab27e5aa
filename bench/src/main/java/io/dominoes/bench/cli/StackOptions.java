package io.dominoes.bench.cli;

import io.dominoes.net.device.Device;
import io.dominoes.net.device.PrefixCaptureDevice;
import io.dominoes.net.device.TapDeviceAdapter;
import io.dominoes.net.iface.Routes;
import io.dominoes.net.stack.BlockingTcpStack;
import io.dominoes.net.stack.NetworkStack;
import io.dominoes.net.stack.TcpStackConfig;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.MacAddress;
import io.dominoes.os.linux.LinuxConstants;
import io.dominoes.os.tap.TapDevice;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Options shared by the commands that run the user-space stack on a TAP device, and the code that
 * validates them and builds the stack.
 */
final class StackOptions
{
    @Option(names = "--tap", required = true, paramLabel = "NAME",
        description = "TAP device to attach to (created if it does not exist).")
    String tap;

    @Option(names = "--ip", required = true, paramLabel = "ADDR/PREFIX",
        description = "Our IPv4 address and prefix length on the TAP's link, e.g. 10.0.0.2/24.")
    String ip;

    @Option(names = "--gateway", paramLabel = "ADDR", description = "Default gateway (on the link).")
    String gateway;

    @Option(names = "--mac", paramLabel = "MAC",
        description = "Our MAC address (default 02:64:6f:6d:XX:YY from the address's last two bytes).")
    String mac;

    @Option(names = "--vnet-hdr",
        description = "Open the TAP with IFF_VNET_HDR and TUNSETOFFLOAD(TUN_F_CSUM|TUN_F_TSO4): the kernel hands " +
            "over TCP segments up to 64 KiB with partial checksums; we send MTU-sized frames with a zeroed header.")
    boolean vnetHdr;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Capture frames the stack sees to a pcap file.")
    Path pcap;

    @Option(names = "--pcap-frames", paramLabel = "N", defaultValue = "100000",
        description = "Capture at most the first N frames (default ${DEFAULT-VALUE}).")
    long pcapFrames;

    int address;
    int prefixLength;
    int gatewayAddress;
    long macAddress;

    /**
     * Check every value; a bad one is a ParameterException naming its option.
     */
    void validate(final CommandLine commandLine)
    {
        final int slash = ip.indexOf('/');
        if (slash < 0)
        {
            throw new CommandLine.ParameterException(commandLine, "--ip '" + ip + "' must be ADDR/PREFIX, e.g. 10.0.0.2/24");
        }
        address = parseAddress(commandLine, "--ip", ip.substring(0, slash));
        try
        {
            prefixLength = Integer.parseInt(ip.substring(slash + 1));
        }
        catch (final NumberFormatException ex)
        {
            prefixLength = -1;
        }
        if (prefixLength < 1 || prefixLength > 30)
        {
            throw new CommandLine.ParameterException(commandLine, "--ip prefix '" + ip.substring(slash + 1) +
                "' must be 1..30");
        }
        gatewayAddress = null == gateway ? Ipv4Address.ANY : parseAddress(commandLine, "--gateway", gateway);
        if (null != mac)
        {
            try
            {
                macAddress = MacAddress.parse(mac);
            }
            catch (final RuntimeException ex)
            {
                throw new CommandLine.ParameterException(commandLine, "--mac '" + mac + "' is not a MAC address");
            }
            if (MacAddress.isMulticast(macAddress))
            {
                throw new CommandLine.ParameterException(commandLine, "--mac '" + mac + "' must be unicast");
            }
        }
        else
        {
            macAddress = MacAddress.parse("02:64:6f:6d:00:00") | (address & 0xFFFF);
        }
        if (tap.isEmpty() || tap.length() > 15)
        {
            throw new CommandLine.ParameterException(commandLine, "--tap '" + tap + "' must be 1..15 characters");
        }
        if (pcapFrames < 0)
        {
            throw new CommandLine.ParameterException(commandLine, "--pcap-frames " + pcapFrames + " must be >= 0");
        }
    }

    static int parseAddress(final CommandLine commandLine, final String option, final String text)
    {
        try
        {
            return Ipv4Address.parse(text);
        }
        catch (final RuntimeException ex)
        {
            throw new CommandLine.ParameterException(commandLine, option + " '" + text + "' is not an IPv4 address");
        }
    }

    /**
     * Open the TAP (bring it up), wrap it for capture if asked, and start the stack's loop thread.
     */
    BlockingTcpStack start(final String name)
    {
        return start(name, null);
    }

    /**
     * As {@link #start(String)}, with extra loop work built from the stack before the loop starts.
     *
     * @param hook builds the loop hook (e.g. a replicated listener taking over the TCP handler), or null.
     */
    BlockingTcpStack start(final String name, final java.util.function.Function<NetworkStack, BlockingTcpStack.LoopHook> hook)
    {
        final TapDevice device = openTap(tap, vnetHdr);
        if (!device.isUp())
        {
            device.bringUp();
        }
        Device stackDevice = new TapDeviceAdapter(device);
        if (null != pcap)
        {
            stackDevice = new PrefixCaptureDevice(stackDevice, pcap,
                System.currentTimeMillis() * 1_000_000L - System.nanoTime(), pcapFrames);
        }
        final NetworkStack stack = new NetworkStack(stackDevice, macAddress,
            new Routes(address, prefixLength, gatewayAddress), new TcpStackConfig());
        return null == hook ? new BlockingTcpStack(stack, BlockingTcpStack.tapWaiter(device), name) :
            new BlockingTcpStack(stack, BlockingTcpStack.tapWaiter(device), name, hook.apply(stack));
    }

    /**
     * Open a TAP, with IFF_VNET_HDR and checksum + TSO4 offload when asked.
     *
     * @param name     of the TAP.
     * @param vnetHdr  true for the virtio_net_hdr mode with TUN_F_CSUM | TUN_F_TSO4.
     * @return the open device, offloads set (so a TapDeviceAdapter sizes its receive for 64 KiB).
     */
    static TapDevice openTap(final String name, final boolean vnetHdr)
    {
        final TapDevice device = TapDevice.open(name, vnetHdr);
        if (vnetHdr)
        {
            try
            {
                device.setOffload(LinuxConstants.TUN_F_CSUM | LinuxConstants.TUN_F_TSO4);
            }
            catch (final RuntimeException ex)
            {
                device.close();
                throw ex;
            }
        }
        return device;
    }

    /**
     * @return {"peer":"A:p","bytes":N,"sha256":"HEX","ms":T} (sha256 left out when null).
     */
    static String json(final String peer, final long bytes, final String sha256, final long ms)
    {
        return "{\"peer\":\"" + peer + "\",\"bytes\":" + bytes + (null == sha256 ? "" : ",\"sha256\":\"" + sha256 + "\"") +
            ",\"ms\":" + ms + "}";
    }
}
