package io.dominoes.net.stack;

import io.dominoes.net.device.Device;
import io.dominoes.net.iface.ArpCache;
import io.dominoes.net.iface.Interface;
import io.dominoes.net.iface.Routes;

/**
 * A single-threaded TCP/IPv4 host: one {@link Interface} (ARP, IPv4, ICMP echo) and its
 * {@link TcpLayer}, driven by one event loop: call {@link #poll(long)} whenever the device may have
 * frames or {@link #pollAtNs(long)} has come, with the caller's clock (real or virtual).
 */
public final class NetworkStack implements AutoCloseable
{
    private final Device device;
    private final Interface iface;
    private final TcpLayer tcp;

    /**
     * @param device to run on; closed with the stack.
     * @param mac    our MAC address.
     * @param routes our address, subnet and gateway.
     * @param config TCP limits.
     */
    public NetworkStack(final Device device, final long mac, final Routes routes, final TcpStackConfig config)
    {
        this.device = device;
        this.iface = new Interface(device, mac, routes, new ArpCache(64, 60_000_000_000L, 1_000_000_000L), 64);
        this.tcp = new TcpLayer(iface, config);
    }

    /**
     * Receive and process frames, then run TCP timers and send what is due.
     *
     * @return work done; 0 when idle.
     */
    public int poll(final long nowNs)
    {
        return iface.poll(nowNs) + tcp.poll(nowNs);
    }

    /**
     * @return when {@link #poll} next has timer work (ARP retries, TCP timers, pending output): at or
     * before {@code nowNs} means now, Long.MAX_VALUE means only a frame arriving makes work.
     */
    public long pollAtNs(final long nowNs)
    {
        return Math.min(iface.pollAtNs(nowNs), tcp.pollAtNs());
    }

    public Interface iface()
    {
        return iface;
    }

    public TcpLayer tcp()
    {
        return tcp;
    }

    public Device device()
    {
        return device;
    }

    /**
     * Close the device (connections are not closed gracefully: close them first).
     */
    public void close()
    {
        device.close();
    }
}
