package io.dominoes.net.monitor;

import org.agrona.DirectBuffer;

/**
 * What {@link PcapReplay} feeds frames to. {@link TcpMonitor} is the single-threaded one; the replicated receive
 * path (tcp-bench's replicated mode) can supply its own through {@link PcapReplay.Options#targetFactory}, driving
 * the same {@link StreamSink} so the per-connection report and stream dumps stay the same.
 */
public interface ReplayTarget
{
    /**
     * @return a non-negative value when the frame was taken, {@code -(reason + 1)} for a {@link MonitorDrop} reason.
     */
    int onFrame(DirectBuffer buffer, int offset, int length, long nowNs);

    /**
     * End of input: finish every connection (each reported through {@link StreamSink#onClose}).
     */
    void finish();

    /**
     * @return count for a {@link MonitorDrop} reason, or -1 if this target does not keep one.
     */
    default long drops(final int reason)
    {
        return -1;
    }

    /**
     * @return TCP segments processed, or -1 if unknown.
     */
    default long tcpSegments()
    {
        return -1;
    }

    /**
     * Creates a target around a sink.
     */
    @FunctionalInterface
    interface Factory
    {
        ReplayTarget create(MonitorConfig config, StreamSink sink);
    }
}
