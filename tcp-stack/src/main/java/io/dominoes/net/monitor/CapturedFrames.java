package io.dominoes.net.monitor;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Every frame of a capture file (pcap or pcapng, read by libpcap through pcap4j) loaded into one direct buffer,
 * so a timed replay touches no file and allocates nothing. Only Ethernet captures are accepted.
 */
public final class CapturedFrames
{
    private final UnsafeBuffer buffer;
    private final int[] offsets;
    private final int[] lengths;
    private final long[] timestampsNs;
    private final int count;

    private CapturedFrames(
        final UnsafeBuffer buffer, final int[] offsets, final int[] lengths, final long[] timestampsNs, final int count)
    {
        this.buffer = buffer;
        this.offsets = offsets;
        this.lengths = lengths;
        this.timestampsNs = timestampsNs;
        this.count = count;
    }

    /**
     * @param file an Ethernet capture.
     * @throws IOException if it cannot be opened, is not Ethernet, or its frames exceed 2 GiB in total.
     */
    public static CapturedFrames load(final Path file) throws IOException
    {
        if (!Files.isReadable(file))
        {
            throw new IOException("cannot read capture " + file);
        }
        final PcapHandle handle;
        try
        {
            handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        }
        catch (final PcapNativeException | RuntimeException | LinkageError ex)
        {
            throw new IOException("cannot open capture " + file + ": " + ex.getMessage(), ex);
        }
        try
        {
            if (!DataLinkType.EN10MB.equals(handle.getDlt()))
            {
                throw new IOException("capture " + file + " has link type " + handle.getDlt() + ", only Ethernet is read");
            }
            byte[][] frames = new byte[1024][];
            long[] stamps = new long[1024];
            int n = 0;
            long total = 0;
            byte[] frame;
            while (null != (frame = handle.getNextRawPacket()))
            {
                if (n == frames.length)
                {
                    frames = Arrays.copyOf(frames, n * 2);
                    stamps = Arrays.copyOf(stamps, n * 2);
                }
                final java.sql.Timestamp ts = handle.getTimestamp();
                stamps[n] = Math.floorDiv(ts.getTime(), 1000) * 1_000_000_000L + ts.getNanos();
                frames[n++] = frame;
                total += (frame.length + 7) & ~7;
                if (total > Integer.MAX_VALUE - 64)
                {
                    throw new IOException("capture " + file + " holds more than 2 GiB of frames");
                }
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned((int)Math.max(64, total), 64));
            final int[] offsets = new int[n];
            final int[] lengths = new int[n];
            int position = 0;
            for (int i = 0; i < n; i++)
            {
                buffer.putBytes(position, frames[i]);
                offsets[i] = position;
                lengths[i] = frames[i].length;
                position += (frames[i].length + 7) & ~7;
            }
            return new CapturedFrames(buffer, offsets, lengths, Arrays.copyOf(stamps, n), n);
        }
        catch (final NotOpenException ex)
        {
            throw new IOException("capture closed while reading " + file, ex);
        }
        finally
        {
            handle.close();
        }
    }

    public int count()
    {
        return count;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public int offset(final int index)
    {
        return offsets[index];
    }

    public int length(final int index)
    {
        return lengths[index];
    }

    public long timestampNs(final int index)
    {
        return timestampsNs[index];
    }

    /**
     * @return captured bytes of all frames.
     */
    public long totalBytes()
    {
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += lengths[i];
        }
        return sum;
    }
}
