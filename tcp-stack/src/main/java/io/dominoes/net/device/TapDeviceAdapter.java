package io.dominoes.net.device;

import io.dominoes.os.linux.LinuxConstants;
import io.dominoes.os.tap.TapDevice;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link Device} over a native {@link TapDevice}. Frames move straight between the kernel and
 * off-heap Agrona buffers by address; heap buffers, and TAPs opened with IFF_VNET_HDR (whose
 * virtio_net_hdr prefix is stripped on receive and written as zeros on transmit: no offloads
 * requested), go through one preallocated off-heap scratch frame.
 */
public final class TapDeviceAdapter implements Device
{
    private final TapDevice tap;
    private final int mtu;
    private final int prefix;
    private final UnsafeBuffer scratch;
    private long oversizeDrops;

    /**
     * @param tap an open TAP device; closed by {@link #close()}.
     */
    public TapDeviceAdapter(final TapDevice tap)
    {
        this.tap = tap;
        this.mtu = tap.mtu();
        this.prefix = tap.vnetHeader() ? LinuxConstants.VIRTIO_NET_HDR_LENGTH : 0;
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
     * {@inheritDoc}
     */
    public int receive(final long nowNs, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
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
        buffer.putBytes(offset, scratch, prefix, frameLength);
        return frameLength;
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
