package io.dominoes.net.misd;

/**
 * Event types of the replicated receive path and their bodies (after the runtime's event header).
 *
 * <pre>
 *  SEGMENT       key = index of the frame in arrival order   body = one IPv4 packet carrying TCP
 *  APP_READ      key = index of the read                     body = int64 LE bytes the application took
 *  OUTPUT_FRAME  key = index of the emission (replicated)    body = one IPv4 packet carrying TCP (emitted)
 *  timer ticks   the runtime's tick events (replicated time)
 * </pre>
 * The key of a segment decides its owner ({@code (key / 64) mod N}, blocks of consecutive packets, see
 * {@code MisdTcpReceiver.SEGMENT_OWNER}): the replica that verifies its checksum (the
 * look-ahead verdict), copies its payload and sends the ACK it causes. The key of an emission orders emissions
 * globally (the socket's replicated emission count), so a receiver of the output can restore the order in
 * which a single stack would have sent them.
 */
public final class ReceiveEvents
{
    /**
     * A received IPv4 packet.
     */
    public static final int SEGMENT = 1;

    /**
     * The application consumed bytes of the in-order stream.
     */
    public static final int APP_READ = 2;

    /**
     * An IPv4 packet the connection sends (ACKs, window updates, SYN-ACK).
     */
    public static final int OUTPUT_FRAME = 3;

    /**
     * Length of an {@link #APP_READ} body.
     */
    public static final int APP_READ_LENGTH = 8;

    private ReceiveEvents()
    {
    }
}
