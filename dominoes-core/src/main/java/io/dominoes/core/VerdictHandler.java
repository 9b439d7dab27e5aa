package io.dominoes.core;

import org.agrona.DirectBuffer;

/**
 * The partitioned half of a verified event type: computes a per-event verdict (e.g. "TCP checksum good")
 * on the event's owner replica only, ahead of the replicated cursor, so replicated handlers can depend on
 * partitioned work without running in lockstep. See {@link HandlerRegistry#verified}.
 *
 * <p><b>Contract:</b> a verdict handler must not read or write replicated state (it gets no domain on
 * purpose): it runs on the look-ahead cursor, at a point of the order unrelated to the replicated
 * cursor, and on one replica only. It may read the event bytes and scratch state it owns. It must be a
 * pure function of the event for the outcome to be deterministic.
 */
@FunctionalInterface
public interface VerdictHandler
{
    /**
     * @param type   of the event.
     * @param key    partition key of the event.
     * @param buffer holding the event body; valid only during the call.
     * @param offset of the body.
     * @param length of the body.
     * @return the verdict, any int (e.g. 0 = good); handed to the replicated handler as
     * {@link EventContext#verdict()} on every replica.
     */
    int verify(int type, long key, DirectBuffer buffer, int offset, int length);
}
