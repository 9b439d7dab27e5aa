package io.dominoes.net.device;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Timestamp;

/**
 * Wraps any {@link Device} and writes every frame received and every frame transmitted to a pcap
 * file (Ethernet link type, nanosecond timestamps taken from {@code nowNs + epochOffsetNs}) through
 * pcap4j/libpcap, so {@code tshark -r} and Wireshark open it.
 * <p>
 * A tracing tool: pcap4j's dumper takes a {@code byte[]} and a {@code Timestamp}, so each captured
 * frame allocates. Do not leave it on in benchmarks.
 */
public final class PcapWriterDevice extends ForwardingDevice
{
    private final PcapHandle handle;
    private final PcapDumper dumper;
    private final long epochOffsetNs;
    private long framesWritten;

    /**
     * @param inner         device to trace; closed with this one.
     * @param file          pcap file to create (overwritten).
     * @param epochOffsetNs added to nowNs to make the capture's wall-clock timestamps (0 for a
     *                      simulation's virtual clock, which then starts at 1970).
     */
    public PcapWriterDevice(final Device inner, final Path file, final long epochOffsetNs)
    {
        super(inner);
        this.epochOffsetNs = epochOffsetNs;
        try
        {
            handle = Pcaps.openDead(DataLinkType.EN10MB, 65536, PcapHandle.TimestampPrecision.NANO);
            dumper = handle.dumpOpen(file.toString());
        }
        catch (final PcapNativeException | NotOpenException ex)
        {
            throw new UncheckedIOException(new java.io.IOException("cannot open pcap " + file + ": " + ex.getMessage(), ex));
        }
    }

    /**
     * {@inheritDoc}
     */
    public int receive(final long nowNs, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        final int n = inner.receive(nowNs, buffer, offset, capacity);
        if (n > 0)
        {
            write(nowNs, buffer, offset, n);
        }
        return n;
    }

    /**
     * {@inheritDoc}
     */
    public boolean transmit(final long nowNs, final DirectBuffer buffer, final int offset, final int length)
    {
        final boolean sent = inner.transmit(nowNs, buffer, offset, length);
        if (sent)
        {
            write(nowNs, buffer, offset, length);
        }
        return sent;
    }

    private void write(final long nowNs, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        final long wallNs = nowNs + epochOffsetNs;
        final Timestamp timestamp = new Timestamp(Math.floorDiv(wallNs, 1_000_000L));
        timestamp.setNanos((int)Math.floorMod(wallNs, 1_000_000_000L));
        try
        {
            dumper.dumpRaw(frame, timestamp);
            framesWritten++;
        }
        catch (final NotOpenException ex)
        {
            throw new IllegalStateException("pcap dumper closed", ex);
        }
    }

    /**
     * @return frames written so far.
     */
    public long framesWritten()
    {
        return framesWritten;
    }

    /**
     * Flush buffered records to the file (libpcap buffers them).
     */
    public void flush()
    {
        try
        {
            dumper.flush();
        }
        catch (final PcapNativeException | NotOpenException ex)
        {
            throw new IllegalStateException("pcap flush failed: " + ex.getMessage(), ex);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        try
        {
            dumper.close();
            handle.close();
        }
        finally
        {
            inner.close();
        }
    }
}
