package io.dominoes.net.monitor;

import io.dominoes.core.Domain;
import io.dominoes.core.EventContext;
import io.dominoes.net.misd.SharedReceiveBuffer;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.List;

/**
 * One replica of the replicated passive monitor: a private {@link TcpMonitor} (connection table, defragmenter,
 * every {@link HalfStream}'s sequence bookkeeping, held out-of-order bytes) fed every captured frame in channel
 * order, with the TCP checksum taken from the owner's look-ahead verdict instead of computed here.
 * <p>
 * As the monitor's {@link StreamSink} it does the partitioned copy: every replica assigns each delivered range
 * the same place in the shared arena (a replicated cursor, advanced identically everywhere because delivery is
 * a deterministic function of the frame order), and only the owner of the event that caused the delivery
 * ({@code frame index mod N}) copies the bytes there. Held out-of-order bytes are still buffered by every
 * replica in its own ring (replicated work, rare in clean traffic).
 * <p>
 * Replica 0 additionally records the sink events (detached connection snapshots, arena positions) when a report
 * is wanted; {@link ReplicatedMonitorTarget#finish()} replays them on the caller's thread after the group has
 * stopped. Only the replica's thread touches it while the group runs.
 */
final class MonitorReplica implements Domain, StreamSink
{
    static final int OPEN = 0;
    static final int DATA = 1;
    static final int GAP = 2;
    static final int CLOSE = 3;

    /**
     * One recorded sink event.
     */
    record SinkEvent(int kind, TcpConnection connection, int direction, long arenaPosition, int length)
    {
    }

    private final TcpMonitor monitor;
    private final SharedReceiveBuffer arena;
    private final boolean copy;
    private final List<SinkEvent> record;
    private final java.util.Map<Integer, TcpConnection> openSnapshots = new java.util.HashMap<>();
    private EventContext ctx;
    private long arenaCursor;

    /**
     * @param record where replica 0 records sink events, null for none.
     */
    MonitorReplica(
        final MonitorConfig config, final SharedReceiveBuffer arena, final boolean copy, final List<SinkEvent> record)
    {
        this.monitor = new TcpMonitor(config, this);
        this.arena = arena;
        this.copy = copy;
        this.record = record;
    }

    void onFrame(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        this.ctx = ctx;
        if (length < ReplicatedMonitorTarget.TIMESTAMP_LENGTH)
        {
            return; // the target writes every body; a short one cannot occur, and still must not throw
        }
        final long nowNs = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        monitor.onFrame(buffer, offset + ReplicatedMonitorTarget.TIMESTAMP_LENGTH,
            length - ReplicatedMonitorTarget.TIMESTAMP_LENGTH, nowNs, ctx.verdict());
    }

    void onFinish(final EventContext ctx)
    {
        this.ctx = ctx;
        monitor.finish();
    }

    // ------------------------------------------------------------------------------------------- sink

    public void onOpen(final TcpConnection connection)
    {
        if (null != record)
        {
            final TcpConnection snapshot = connection.snapshot();
            openSnapshots.put(connection.index(), snapshot);
            record.add(new SinkEvent(OPEN, snapshot, 0, 0, 0));
        }
    }

    public void onData(
        final TcpConnection connection, final int direction, final DirectBuffer buffer, final int offset, final int length)
    {
        final long position = arenaCursor;
        arenaCursor += length;
        // after the replicated delivery decision, by the event's owner only: each range is copied exactly once
        if (copy && ctx.isOwner())
        {
            arena.write(position, buffer, offset, length);
        }
        if (null != record)
        {
            record.add(new SinkEvent(DATA, openSnapshots.get(connection.index()), direction, position, length));
        }
    }

    public void onGap(final TcpConnection connection, final int direction, final int length)
    {
        if (null != record)
        {
            record.add(new SinkEvent(GAP, openSnapshots.get(connection.index()), direction, 0, length));
        }
    }

    public void onClose(final TcpConnection connection)
    {
        if (null != record)
        {
            record.add(new SinkEvent(CLOSE, connection.snapshot(), 0, 0, 0));
            openSnapshots.remove(connection.index());
        }
    }

    // ------------------------------------------------------------------------------------------- state

    /**
     * {@inheritDoc}
     */
    public long stateDigest()
    {
        long h = monitor.frames();
        h = h * 31 + monitor.tcpSegments();
        h = h * 31 + monitor.connectionsOpened();
        h = h * 31 + monitor.ipv4BadChecksums();
        h = h * 31 + monitor.tcpBadChecksums();
        for (int r = 0; r < MonitorDrop.COUNT; r++)
        {
            h = h * 31 + monitor.drops(r);
        }
        return h * 31 + arenaCursor;
    }

    TcpMonitor monitor()
    {
        return monitor;
    }

    long arenaCursor()
    {
        return arenaCursor;
    }
}
