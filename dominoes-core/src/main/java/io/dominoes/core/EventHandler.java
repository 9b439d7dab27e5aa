package io.dominoes.core;

import org.agrona.DirectBuffer;

/**
 * Handles one event type on a replica. Registered as replicated (runs on every replica, in channel order,
 * must be deterministic) or partitioned (runs on exactly one replica) in a {@link HandlerRegistry}.
 *
 * @param <D> the domain type.
 */
@FunctionalInterface
public interface EventHandler<D extends Domain>
{
    /**
     * @param domain this replica's private state.
     * @param ctx    the event's metadata and the replica's services (emit, timers); valid only during the call.
     * @param buffer holding the event body; valid only during the call.
     * @param offset of the body (after the runtime's header).
     * @param length of the body.
     */
    void onEvent(D domain, EventContext ctx, DirectBuffer buffer, int offset, int length);
}
