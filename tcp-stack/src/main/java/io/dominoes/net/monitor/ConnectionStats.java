package io.dominoes.net.monitor;

/**
 * Final figures of one connection, snapshotted when it closed.
 *
 * @param id           connection serial number, in order of first packet.
 * @param name         {@code client-ip.port-server-ip.port}.
 * @param rolesFromSyn true when client/server came from a SYN, false when guessed from the first segment.
 * @param reset        ended by RST.
 * @param c2s          client to server direction.
 * @param s2c          server to client direction.
 */
public record ConnectionStats(long id, String name, boolean rolesFromSyn, boolean reset, Direction c2s, Direction s2c)
{
    /**
     * Figures of one direction; see {@link HalfStream} for what each counts.
     */
    public record Direction(
        long segments, long payloadBytes, long deliveredBytes, long duplicateBytes, long conflictBytes,
        long keepAlives, long outOfOrderSegments, long gaps, long gapBytes, long droppedBytes, boolean synSeen,
        boolean finSeen)
    {
        static Direction of(final HalfStream h)
        {
            return new Direction(h.segments(), h.payloadBytes(), h.deliveredBytes(), h.duplicateBytes(),
                h.conflictBytes(), h.keepAlives(), h.outOfOrderSegments(), h.gaps(), h.gapBytes(), h.droppedBytes(),
                h.synSeen(), h.finSeen());
        }

        String toJson()
        {
            return "{\"segments\":" + segments + ",\"payloadBytes\":" + payloadBytes + ",\"deliveredBytes\":" +
                deliveredBytes + ",\"duplicateBytes\":" + duplicateBytes + ",\"conflictBytes\":" + conflictBytes +
                ",\"keepAlives\":" + keepAlives + ",\"outOfOrderSegments\":" + outOfOrderSegments + ",\"gaps\":" + gaps +
                ",\"gapBytes\":" + gapBytes + ",\"droppedBytes\":" + droppedBytes + ",\"synSeen\":" + synSeen +
                ",\"finSeen\":" + finSeen + "}";
        }
    }

    /**
     * @return snapshot of a connection (allocates; called once per connection, at close).
     */
    public static ConnectionStats of(final TcpConnection c)
    {
        return new ConnectionStats(c.id(), c.name(), c.rolesFromSyn(), c.reset(),
            Direction.of(c.half(TcpConnection.CLIENT_TO_SERVER)), Direction.of(c.half(TcpConnection.SERVER_TO_CLIENT)));
    }

    String toJson()
    {
        return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"rolesFromSyn\":" + rolesFromSyn + ",\"reset\":" + reset +
            ",\"c2s\":" + c2s.toJson() + ",\"s2c\":" + s2c.toJson() + "}";
    }
}
