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
     * Release the device's resources. Idempotent.
     */
    @Override
    void close();
}
