package io.dominoes.net.misd.live;

import io.dominoes.net.misd.ReceiveEvents;

/**
 * Event types of a live replicated connection ({@link ReplicatedConnection}): those of the closed-loop receive
 * path ({@link ReceiveEvents}) plus the application's writes and close.
 *
 * <pre>
 *  SEGMENT       key = index of the frame in arrival order   body = one IPv4 packet carrying TCP
 *  APP_READ      key = index of the read                     body = int64 LE bytes the application took
 *  APP_WRITE     key = index of the write                    body = the bytes (the send buffer has room: see
 *                                                                   ReplicatedConnection#write)
 *  SEGMENT_PARTIAL_CHECKSUM  as SEGMENT, its TCP checksum partial (virtio NEEDS_CSUM over a TAP): not verified
 *  APP_CLOSE     key = 0                                     body = empty (RFC 9293 CLOSE)
 *  OUTPUT_FRAME  key = index of the emission (replicated)    body = one IPv4 packet carrying TCP (emitted)
 * </pre>
 */
public final class LiveEvents
{
    public static final int SEGMENT = ReceiveEvents.SEGMENT;
    public static final int APP_READ = ReceiveEvents.APP_READ;
    public static final int OUTPUT_FRAME = ReceiveEvents.OUTPUT_FRAME;
    public static final int APP_WRITE = 4;
    public static final int APP_CLOSE = 5;
    public static final int SEGMENT_PARTIAL_CHECKSUM = 6;
    public static final int APP_READ_LENGTH = ReceiveEvents.APP_READ_LENGTH;

    private LiveEvents()
    {
    }
}
