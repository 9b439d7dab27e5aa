package io.dominoes.net.device;

import io.dominoes.os.linux.LinuxConstants;
import io.dominoes.os.tap.TapDevice;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * {@link Device} over a native {@link TapDevice}. Frames move straight between the kernel and
 * off-heap Agrona buffers by address; heap buffers, and TAPs opened with IFF_VNET_HDR, go through one
 * preallocated off-heap scratch frame.
 * <p>
 * With IFF_VNET_HDR every frame is preceded by a struct virtio_net_hdr (linux/virtio_net.h). On
 * receive it is parsed: with TUN_F_TSO4 set ({@link TapDevice#setOffload}) a frame may be one TCP
 * segment of up to 64 KiB (gso_type VIRTIO_NET_HDR_GSO_TCPV4, gso_size the sender's MSS), which the
 * stack takes whole; with VIRTIO_NET_HDR_F_NEEDS_CSUM its transport checksum is partial and is
 * reported through {@link #partialChecksumStart()}. On transmit the header is all zeros
 * (flags 0, gso_type VIRTIO_NET_HDR_GSO_NONE): our frames are complete, MTU-sized, checksummed.
 */
public final class TapDeviceAdapter implements Device
{
    /**
     * The largest IPv4 packet (Total Length is 16 bits) plus Ethernet header and one 802.1Q tag:
     * what a TSO frame from the kernel can be.
     */
    public static final int MAX_GSO_FRAME_LENGTH = 65535 + 14 + 4;

    private final TapDevice tap;
    private final int mtu;
    private final int prefix;
    private final int maxReceiveFrameLength;
    private final UnsafeBuffer scratch;
    private long oversizeDrops;
    private long badVnetHeaderDrops;
    private long framesAboveMtu;
    private long gsoFrames;
    private long partialChecksumFrames;
    private int partialChecksumStart = NO_PARTIAL_CHECKSUM;
    private int partialChecksumOffset = NO_PARTIAL_CHECKSUM;

    /**
     * @param tap an open TAP device; closed by {@link #close()}. Offloads must already be set: the
     *            receive capacity is sized from {@link TapDevice#offloadFlags()}.
     */
    public TapDeviceAdapter(final TapDevice tap)
    {
        this.tap = tap;
        this.mtu = tap.mtu();
        this.prefix = tap.vnetHeader() ? LinuxConstants.VIRTIO_NET_HDR_LENGTH : 0;
        this.maxReceiveFrameLength = (tap.offloadFlags() & LinuxConstants.TUN_F_TSO4) != 0 ?
            Math.max(MAX_GSO_FRAME_LENGTH, maxFrameLength()) : maxFrameLength();
        // Room for the largest frame the kernel could hand us (64 KiB with GSO) plus the prefix.
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(65536 + 64, 64));
    }

    /**
     * @return the native device, for control calls (name, bringUp, awaitReadable).
     */
    public TapDevice tap()
    {
        return tap;
    }

    /**
     * @return frames dropped because they were longer than the receive capacity.
     */
    public long oversizeDrops()
    {
        return oversizeDrops;
    }

    /**
     * @return frames dropped because their virtio_net_hdr was inconsistent with the frame (checksum
     * start or field beyond its end).
     */
    public long badVnetHeaderDrops()
    {
        return badVnetHeaderDrops;
    }

    /**
     * @return frames received that were longer than {@link #maxFrameLength()} (MTU-sized): TSO
     * segments the kernel did not split.
     */
    public long framesAboveMtu()
    {
        return framesAboveMtu;
    }

    /**
     * @return frames received with a gso_type other than VIRTIO_NET_HDR_GSO_NONE.
     */
    public long gsoFrames()
    {
        return gsoFrames;
    }

    /**
     * @return frames received with VIRTIO_NET_HDR_F_NEEDS_CSUM (partial transport checksum).
     */
    public long partialChecksumFrames()
    {
        return partialChecksumFrames;
    }

    /**
     * {@inheritDoc}
     */
    public int receive(final long nowNs, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        partialChecksumStart = NO_PARTIAL_CHECKSUM;
        partialChecksumOffset = NO_PARTIAL_CHECKSUM;
        if (prefix == 0 && null == buffer.byteArray() && capacity >= maxFrameLength())
        {
            // Direct path: the kernel writes the frame straight into the caller's memory. A frame
            // longer than the MTU cannot arrive here, so read(2) never truncates one silently.
            checkRange(buffer, offset, capacity);
            return tap.read(buffer.addressOffset() + offset, capacity);
        }
        final int n = tap.read(scratch.addressOffset(), scratch.capacity());
        if (n <= prefix)
        {
            return 0;
        }
        final int frameLength = n - prefix;
        if (frameLength > capacity)
        {
            oversizeDrops++;
            return 0;
        }
        if (prefix != 0 && !parseVnetHeader(frameLength))
        {
            badVnetHeaderDrops++;
            return 0;
        }
        if (frameLength > maxFrameLength())
        {
            framesAboveMtu++;
        }
        buffer.putBytes(offset, scratch, prefix, frameLength);
        return frameLength;
    }

    /**
     * linux/virtio_net.h: "flags & VIRTIO_NET_HDR_F_NEEDS_CSUM: csum_start, csum_offset: Position to
     * start checksumming from, and offset to store checksum" (both from the frame's first byte and
     * from csum_start respectively). Fields are __virtio16, little-endian here (see LinuxConstants).
     *
     * @return false if the header points outside the frame.
     */
    private boolean parseVnetHeader(final int frameLength)
    {
        final int flags = scratch.getByte(LinuxConstants.VIRTIO_NET_HDR_FLAGS_OFFSET) & 0xFF;
        final int gsoType = scratch.getByte(LinuxConstants.VIRTIO_NET_HDR_GSO_TYPE_OFFSET) & 0xFF;
        if ((gsoType & ~LinuxConstants.VIRTIO_NET_HDR_GSO_ECN) != LinuxConstants.VIRTIO_NET_HDR_GSO_NONE)
        {
            gsoFrames++;
        }
        if ((flags & LinuxConstants.VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0)
        {
            final int start = scratch.getShort(LinuxConstants.VIRTIO_NET_HDR_CSUM_START_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int field = scratch.getShort(LinuxConstants.VIRTIO_NET_HDR_CSUM_OFFSET_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (start + field + 2 > frameLength)
            {
                return false;
            }
            partialChecksumFrames++;
            partialChecksumStart = start;
            partialChecksumOffset = field;
        }
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public int partialChecksumStart()
    {
        return partialChecksumStart;
    }

    /**
     * {@inheritDoc}
     */
    public int partialChecksumOffset()
    {
        return partialChecksumOffset;
    }

    /**
     * {@inheritDoc}
     */
    public int maxReceiveFrameLength()
    {
        return maxReceiveFrameLength;
    }

    /**
     * {@inheritDoc}
     */
    public boolean transmit(final long nowNs, final DirectBuffer buffer, final int offset, final int length)
    {
        if (prefix == 0 && null == buffer.byteArray())
        {
            checkRange(buffer, offset, length);
            return tap.write(buffer.addressOffset() + offset, length) == length;
        }
        if (length > scratch.capacity() - prefix)
        {
            throw new IllegalArgumentException("frame length=" + length + " exceeds " + (scratch.capacity() - prefix));
        }
        scratch.setMemory(0, prefix, (byte)0);
        scratch.putBytes(prefix, buffer, offset, length);
        return tap.write(scratch.addressOffset(), prefix + length) == prefix + length;
    }

    private static void checkRange(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " length=" + length + " outside buffer capacity=" + buffer.capacity());
        }
    }

    /**
     * {@inheritDoc}
     */
    public int mtu()
    {
        return mtu;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        tap.close();
    }
}
