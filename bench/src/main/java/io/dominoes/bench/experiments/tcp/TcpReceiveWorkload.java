package io.dominoes.bench.experiments.tcp;

import io.dominoes.net.device.FaultConfig;
import io.dominoes.net.misd.ReceiveSimulation;
import io.dominoes.net.misd.ReceiveTrace;
import io.dominoes.net.misd.SequentialTcpReceiver;
import io.dominoes.net.tcp.TcpConfig;

/**
 * One connection's receive-side input, generated before any clock runs: a real sender socket streams
 * {@code segments * payload} bytes through a seeded lossy, reordering link to a single-threaded receiver in a
 * closed loop on a virtual clock (so losses are repaired by real retransmissions), and the receiver's input
 * (ticks and packets) is recorded. Every mode then replays the same trace.
 */
public final class TcpReceiveWorkload
{
    private final int payload;
    private final int segments;
    private final ReceiveTrace trace;
    private final TcpConfig receiverConfig;

    private TcpReceiveWorkload(final int payload, final int segments, final ReceiveTrace trace, final TcpConfig receiverConfig)
    {
        this.payload = payload;
        this.segments = segments;
        this.trace = trace;
        this.receiverConfig = receiverConfig;
    }

    /**
     * @param payload  bytes per full segment (the MSS).
     * @param segments full segments of stream.
     * @param reorder  share of packets held back so later ones overtake them.
     * @param loss     share of packets lost (then retransmitted by the sender).
     * @param seed     of the stream and the faults.
     * @return the recorded workload.
     */
    public static TcpReceiveWorkload generate(
        final int payload, final int segments, final double reorder, final double loss, final long seed)
    {
        final long bytes = (long)payload * segments;
        final TcpConfig receiver = receiverConfig(payload, bytes);
        final TcpConfig sender = new TcpConfig().mss(payload).sendBufferCapacity(4 << 20).noDelay(true);
        final ReceiveTrace trace = new ReceiveTrace();
        // frames held per direction: 4096, fewer beyond 16 KB payloads (slots are preallocated at the MTU; keeps
        // each direction near 64 MiB, far above what a 4 MiB send buffer has in flight)
        final int framesInFlight = Math.max(256, Math.min(4096, (64 << 20) / (payload + 118)));
        final FaultConfig faults = new FaultConfig(loss, 0, 0, reorder, 20_000, 0, 60_000, framesInFlight);
        new ReceiveSimulation(seed).faults(faults).appReads(false).record(trace)
            .run(new SequentialTcpReceiver(receiver, ReceiveSimulation.SERVER_ADDR, ReceiveSimulation.SERVER_PORT, true),
                sender, bytes);
        return new TcpReceiveWorkload(payload, segments, trace, receiver);
    }

    /**
     * The receiver holds the whole stream (the trace carries no application reads: a pre-filled log cannot
     * know when an application would read), so the window never closes.
     */
    static TcpConfig receiverConfig(final int payload, final long bytes)
    {
        final long need = bytes + 4L * payload + 65_536;
        if (need > (1 << 30))
        {
            throw new IllegalArgumentException("stream of " + bytes + " bytes exceeds the 1 GiB receive window limit");
        }
        return new TcpConfig().mss(payload).receiveBufferCapacity(Integer.highestOneBit((int)need - 1) << 1)
            .sendBufferCapacity(16 * 1024).maxAssemblerRanges(256);
    }

    public int payload()
    {
        return payload;
    }

    public int segments()
    {
        return segments;
    }

    public ReceiveTrace trace()
    {
        return trace;
    }

    /**
     * @return a fresh copy of the receiver settings (each run builds its own sockets).
     */
    public TcpConfig receiverConfig()
    {
        return receiverConfig(payload, (long)payload * segments);
    }
}
