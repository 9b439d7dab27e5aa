package io.dominoes.net.misd;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The receive side of one TCP connection as a closed-loop harness drives it: frames and ticks in, application
 * reads, and the frames the connection sends out. Implemented by the single-threaded stack
 * ({@link SequentialTcpReceiver}) and the replicated one ({@link MisdTcpReceiver}) so that the same driver, fed
 * the same inputs, can compare them byte for byte.
 * <p>
 * Called by one thread. Inputs are handled in call order.
 */
public interface TcpReceivePath extends AutoCloseable
{
    /**
     * Where sent frames go.
     */
    @FunctionalInterface
    interface FrameSink
    {
        /**
         * @param buffer holding one IPv4 packet; valid only during the call.
         * @param offset of the packet.
         * @param length of the packet.
         */
        void onFrame(DirectBuffer buffer, int offset, int length);
    }

    /**
     * A received IPv4 packet (checksums not yet verified).
     */
    void onFrame(DirectBuffer buffer, int offset, int length);

    /**
     * Time advances to {@code nowNs}: expired timers run.
     */
    void onTick(long nowNs);

    /**
     * The application takes in-order bytes.
     *
     * @return bytes copied, 0 when none are deliverable yet.
     */
    int read(MutableDirectBuffer dst, int offset, int length);

    /**
     * Wait until every input given so far has been handled, then hand over every frame sent since the last
     * flush, in the order a single-threaded stack sends them.
     *
     * @return frames handed over.
     */
    int flush(FrameSink sink);

    /**
     * @return bytes received in order so far (read or not); for the replicated path, the bytes every replica has
     * completed (the minimum completion mark).
     */
    long inOrderBytes();

    /**
     * @return frames sent so far (each ACK decision counts once).
     */
    long sentFrames();

    /**
     * @return received packets dropped for a bad checksum or malformed headers.
     */
    long rejectedFrames();

    /**
     * Stop, releasing threads and memory.
     */
    void close();
}
