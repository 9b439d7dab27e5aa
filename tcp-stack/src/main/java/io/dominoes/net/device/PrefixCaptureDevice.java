package io.dominoes.net.device;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.file.Path;

/**
 * Wraps a {@link Device} and captures only the first {@code maxFrames} frames (both directions) to a pcap
 * file through a {@link PcapWriterDevice}, then passes frames straight through: a bounded capture of a
 * long transfer (the handshake and the first window or so), without per-frame allocation afterwards.
 */
public final class PrefixCaptureDevice extends ForwardingDevice
{
    private final PcapWriterDevice capture;
    private final long maxFrames;

    /**
     * @param inner         device to trace; closed with this one.
     * @param file          pcap file to create.
     * @param epochOffsetNs added to nowNs for the capture's timestamps.
     * @param maxFrames     frames to capture before passing through.
     */
    public PrefixCaptureDevice(final Device inner, final Path file, final long epochOffsetNs, final long maxFrames)
    {
        super(inner);
        if (maxFrames < 0)
        {
            throw new IllegalArgumentException("maxFrames=" + maxFrames + " must be >= 0");
        }
        this.capture = new PcapWriterDevice(inner, file, epochOffsetNs);
        this.maxFrames = maxFrames;
    }

    private Device current()
    {
        return capture.framesWritten() < maxFrames ? capture : inner;
    }

    /**
     * {@inheritDoc}
     */
    public int receive(final long nowNs, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        return current().receive(nowNs, buffer, offset, capacity);
    }

    /**
     * {@inheritDoc}
     */
    public boolean transmit(final long nowNs, final DirectBuffer buffer, final int offset, final int length)
    {
        return current().transmit(nowNs, buffer, offset, length);
    }

    /**
     * @return frames captured.
     */
    public long framesWritten()
    {
        return capture.framesWritten();
    }

    /**
     * Flush the capture to its file.
     */
    public void flush()
    {
        capture.flush();
    }

    /**
     * {@inheritDoc}
     */
    public int maxFrameLength()
    {
        return inner.maxFrameLength();
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        capture.close(); // flushes and closes the file, then the inner device
    }
}
