package io.dominoes.net.device;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A link-layer device that moves whole Ethernet frames (no preamble, no FCS), the only thing the
 * stack sees of the outside world (smoltcp's {@code phy::Device}).
 * <p>
 * Contract for every implementation:
 * <ul>
 *   <li>Non-blocking: {@link #receive} returns 0 when no frame is waiting; {@link #transmit}
 *   returns false when the device cannot take the frame now (back-pressure), and the frame was
 *   then not sent. A poll loop calls both repeatedly.</li>
 *   <li>Whole frames: one call moves exactly one frame. A received frame longer than
 *   {@code capacity} is dropped (and counted by the implementation), never split.</li>
 *   <li>No allocation per frame in steady state (tracing wrappers such as {@link PcapWriterDevice}
 *   are the documented exception).</li>
 *   <li>Time is an input: {@code nowNs} comes from the caller's clock, so simulated devices
 *   (delay, pacing) are deterministic.</li>
 *   <li>Not thread safe: one thread (the interface's poll loop) calls all methods.</li>
 * </ul>
 */
public interface Device extends AutoCloseable
{
    /**
     * Receive one frame.
     *
     * @param nowNs    the caller's current time.
     * @param buffer   to copy the frame into.
     * @param offset   where the frame starts in buffer.
     * @param capacity bytes available from offset.
     * @return the frame length, or 0 if none is waiting.
     */
    int receive(long nowNs, MutableDirectBuffer buffer, int offset, int capacity);

    /**
     * Transmit one frame.
     *
     * @param nowNs  the caller's current time.
     * @param buffer holding the frame.
     * @param offset of the first byte (destination MAC).
     * @param length of the frame.
     * @return true if the device took the frame, false if it is busy (retry later).
     */
    boolean transmit(long nowNs, DirectBuffer buffer, int offset, int length);

    /**
     * @return the largest IP packet the link carries (the interface MTU); frames are at most this
     * plus the Ethernet header.
     */
    int mtu();

    /**
     * @return the largest frame {@link #transmit} accepts and {@link #receive} delivers.
     */
    default int maxFrameLength()
    {
        return mtu() + 14 + 4; // Ethernet header plus one 802.1Q tag
    }

    /**
     * The largest frame {@link #receive} can deliver. Larger than {@link #maxFrameLength()} only on a
     * device with receive segmentation offload (a TAP with IFF_VNET_HDR and TUN_F_TSO4), where the
     * kernel hands over one TCP segment of up to 64 KiB instead of MSS-sized ones.
     *
     * @return the receive capacity a caller should offer.
     */
    default int maxReceiveFrameLength()
    {
        return maxFrameLength();
    }

    /**
     * For the frame the last {@link #receive} returned: where the sender left a partial transport
     * checksum (virtio_net_hdr VIRTIO_NET_HDR_F_NEEDS_CSUM: the checksum field holds only the
     * pseudo-header sum, to be completed over the bytes from csum_start), as an offset from the
     * frame's first byte; {@link #NO_PARTIAL_CHECKSUM} when the frame's checksums are complete.
     * Such a frame comes from the local kernel, which computed nothing to verify: the transport
     * checksum at this start is treated as verified.
     *
     * @return csum_start, or {@link #NO_PARTIAL_CHECKSUM}.
     */
    default int partialChecksumStart()
    {
        return NO_PARTIAL_CHECKSUM;
    }

    /**
     * @return with {@link #partialChecksumStart()}: the checksum field's offset from csum_start
     * (virtio csum_offset; 16 for TCP), or {@link #NO_PARTIAL_CHECKSUM}.
     */
    default int partialChecksumOffset()
    {
        return NO_PARTIAL_CHECKSUM;
    }

    /**
     * Returned by {@link #partialChecksumStart()} when the last frame's checksums are complete.
     */
    int NO_PARTIAL_CHECKSUM = -1;

    /**
     * Release the device's resources. Idempotent.
     */
    @Override
    void close();
}
