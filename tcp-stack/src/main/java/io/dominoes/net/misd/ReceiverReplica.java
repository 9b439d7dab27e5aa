package io.dominoes.net.misd;

import io.dominoes.core.EventContext;
import io.dominoes.net.tcp.TcpConfig;
import org.agrona.DirectBuffer;

/**
 * One replica's private copy of the closed-loop receiver's connection: the shared TCB behaviour of
 * {@link ReplicatedTcpEndpoint} (verified segments, owner copies, emit-once output, replicated timer), fed by
 * SEGMENT and APP_READ events. {@code copyPayload = false} is the calibration run that measures the replicated
 * work alone. Only the replica's thread touches it while the group runs.
 */
final class ReceiverReplica extends ReplicatedTcpEndpoint
{
    ReceiverReplica(
        final int index,
        final TcpConfig config,
        final int localAddr,
        final int localPort,
        final SharedReceiveBuffer shared,
        final boolean copyPayload)
    {
        super(index, config, localAddr, localPort, shared, copyPayload);
    }

    void onSegment(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        if (applySegment(ctx, buffer, offset, length))
        {
            afterEvent(ctx);
        }
    }

    void onAppRead(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        if (applyAppRead(ctx, buffer, offset, length, ReceiveEvents.APP_READ_LENGTH))
        {
            afterEvent(ctx);
        }
    }
}
