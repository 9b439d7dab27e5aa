package io.dominoes.net.iface;

import org.agrona.DirectBuffer;

/**
 * Receives the payload of IPv4 packets of one protocol (TCP: 6) from an {@link Interface}. The
 * interface has already checked the Ethernet and IPv4 headers (lengths, version, header checksum,
 * addressed to us, not a fragment); the transport checksum is the handler's job, which gets the
 * addresses it needs for the pseudo-header
 * ({@link io.dominoes.net.wire.Checksums#pseudoHeaderSumIpv4}).
 * <p>
 * Called on the interface's poll thread. The buffer is only valid during the call (the interface
 * reuses it for the next frame): copy what must outlive it. Must not throw for bad input.
 */
@FunctionalInterface
public interface Ipv4PayloadHandler
{
    /**
     * @param sourceAddress      IPv4 source, big-endian int.
     * @param destinationAddress IPv4 destination (ours, or a broadcast address).
     * @param protocol           IP protocol number.
     * @param buffer             holding the payload.
     * @param offset             of the first payload byte (the transport header).
     * @param length             of the payload, from the IPv4 Total Length (no Ethernet padding).
     * @param nowNs              the time given to {@link Interface#poll(long)}.
     */
    void onIpv4(
        int sourceAddress, int destinationAddress, int protocol, DirectBuffer buffer, int offset, int length, long nowNs);
}
