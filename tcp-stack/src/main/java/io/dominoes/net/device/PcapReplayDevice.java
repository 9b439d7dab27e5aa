package io.dominoes.net.device;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A {@link Device} whose received frames come from a capture file (pcap or pcapng, read with
 * pcap4j/libpcap). Either as fast as polled, or paced: frame k becomes receivable when
 * {@code nowNs - startNs >= timestamp(k) - timestamp(0)}. Transmitted frames are counted and
 * discarded (a replay has nobody to talk to). Frames longer than the receive capacity are
 * skipped and counted.
 */
public final class PcapReplayDevice implements Device
{
    private final PcapHandle handle;
    private final int mtu;
    private final boolean paced;
    private final long startNs;
    private byte[] pending;
    private long pendingOffsetNs;
    private long firstTimestampNs = Long.MIN_VALUE;
    private boolean exhausted;
    private long framesReplayed;
    private long framesTransmitted;
    private long oversizeSkipped;

    /**
     * @param file    capture to replay.
     * @param mtu     reported by {@link #mtu()}.
     * @param paced   true to honour the capture's inter-frame gaps against nowNs.
     * @param startNs the nowNs at which the capture's first frame is due (paced mode).
     */
    public PcapReplayDevice(final Path file, final int mtu, final boolean paced, final long startNs)
    {
        this.mtu = mtu;
        this.paced = paced;
        this.startNs = startNs;
        try
        {
            handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        }
        catch (final PcapNativeException ex)
        {
            throw new UncheckedIOException(new java.io.IOException("cannot open capture " + file + ": " + ex.getMessage(), ex));
        }
    }

    /**
     * {@inheritDoc}
     */
    public int receive(final long nowNs, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        while (true)
        {
            if (null == pending && !readNext())
            {
                return 0;
            }
            if (paced && nowNs - startNs < pendingOffsetNs)
            {
                return 0;
            }
            final byte[] frame = pending;
            pending = null;
            if (frame.length > capacity)
            {
                oversizeSkipped++;
                continue;
            }
            buffer.putBytes(offset, frame);
            framesReplayed++;
            return frame.length;
        }
    }

    private boolean readNext()
    {
        if (exhausted)
        {
            return false;
        }
        try
        {
            final byte[] frame = handle.getNextRawPacket();
            if (null == frame)
            {
                exhausted = true;
                return false;
            }
            final java.sql.Timestamp ts = handle.getTimestamp();
            final long timestampNs = ts.getTime() / 1000 * 1_000_000_000L + ts.getNanos();
            if (firstTimestampNs == Long.MIN_VALUE)
            {
                firstTimestampNs = timestampNs;
            }
            pendingOffsetNs = timestampNs - firstTimestampNs;
            pending = frame;
            return true;
        }
        catch (final NotOpenException ex)
        {
            throw new IllegalStateException("capture closed", ex);
        }
    }

    /**
     * @return true once every frame of the capture has been received.
     */
    public boolean isExhausted()
    {
        return exhausted && null == pending;
    }

    public long framesReplayed()
    {
        return framesReplayed;
    }

    public long framesTransmitted()
    {
        return framesTransmitted;
    }

    public long oversizeSkipped()
    {
        return oversizeSkipped;
    }

    /**
     * {@inheritDoc}
     */
    public boolean transmit(final long nowNs, final DirectBuffer buffer, final int offset, final int length)
    {
        framesTransmitted++;
        return true;
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
        handle.close();
    }
}
