package io.dominoes.net.tcp;

import io.dominoes.net.wire.TcpSegment;

/**
 * A listening port with a bounded SYN queue and a bounded accept backlog. All sockets are preallocated at
 * construction; a SYN takes a free one (or is dropped when the SYN queue or the backlog is full, as Linux does
 * rather than resetting), a completed handshake puts it on the accept queue, {@link #accept()} hands it to the
 * application, and {@link #release(TcpSocket)} gives it back once closed. Segments for this port are routed by
 * {@link #process}; child output goes out through {@link #dispatch}. Deterministic: slots are scanned in index
 * order and the accept queue is FIFO.
 */
public final class TcpListener
{
    /**
     * {@link #process}: the segment is not for this listener's port.
     */
    public static final int NOT_MINE = -100;

    /**
     * {@link #process}: a SYN was dropped because the SYN queue or the accept backlog is full.
     */
    public static final int DROPPED_QUEUE_FULL = -101;

    private final int localAddr;
    private final int localPort;
    private final TcpSocket[] sockets;
    private final boolean[] inUse;
    private final boolean[] accepted;
    private final boolean[] queued;
    private final boolean[] released;
    private final int[] acceptQueue;
    private final int synBacklog;
    private final int backlog;
    private int acceptHead;
    private int acceptCount;
    private long droppedSyns;
    private int pendingResetSlot = -1;

    /**
     * @param config     for every child socket.
     * @param localAddr  address to accept on, 0 for any.
     * @param localPort  port to accept on.
     * @param synBacklog most connections in SYN-RECEIVED at once.
     * @param backlog    most established connections waiting for {@link #accept()}.
     * @param maxSockets sockets preallocated (half-open, queued and accepted together).
     */
    public TcpListener(
        final TcpConfig config,
        final int localAddr,
        final int localPort,
        final int synBacklog,
        final int backlog,
        final int maxSockets)
    {
        if (synBacklog < 1 || backlog < 1 || maxSockets < 1)
        {
            throw new IllegalArgumentException("synBacklog=" + synBacklog + " backlog=" + backlog +
                " maxSockets=" + maxSockets + " must all be >= 1");
        }
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.synBacklog = synBacklog;
        this.backlog = backlog;
        this.sockets = new TcpSocket[maxSockets];
        this.inUse = new boolean[maxSockets];
        this.accepted = new boolean[maxSockets];
        this.queued = new boolean[maxSockets];
        this.released = new boolean[maxSockets];
        this.acceptQueue = new int[backlog];
        for (int i = 0; i < maxSockets; i++)
        {
            sockets[i] = new TcpSocket(config);
        }
    }

    /**
     * Route a segment addressed to this listener's port.
     *
     * @return the child's {@code TcpSocket} result, {@link #NOT_MINE} or {@link #DROPPED_QUEUE_FULL}.
     */
    public int process(final TcpSegmentRepr segment, final long nowNs)
    {
        if (segment.dstPort() != localPort || (0 != localAddr && segment.dstAddr() != localAddr))
        {
            return NOT_MINE;
        }
        for (int i = 0; i < sockets.length; i++)
        {
            final TcpSocket socket = sockets[i];
            if (inUse[i] && socket.state() != TcpState.CLOSED && socket.state() != TcpState.LISTEN &&
                socket.matches(segment))
            {
                if (socket.state() == TcpState.SYN_RECEIVED && acceptCount == backlog)
                {
                    // the handshake cannot complete into a full backlog: drop its ACK, the SYN,ACK will be resent
                    droppedSyns++;
                    return DROPPED_QUEUE_FULL;
                }
                final int result = socket.process(segment, nowNs);
                afterProcess(i);
                return result;
            }
        }
        // RFC 9293 3.10.7.2 LISTEN: only a SYN opens a connection; anything else is answered by a fresh LISTEN
        // socket's rules (RST for an ACK, nothing for a RST).
        final int free = freeSlot();
        final boolean isSyn = segment.hasFlag(TcpSegment.FLAG_SYN) &&
            !segment.hasFlag(TcpSegment.FLAG_ACK);
        if (isSyn && (free < 0 || halfOpen() >= synBacklog || acceptCount == backlog))
        {
            droppedSyns++;
            return DROPPED_QUEUE_FULL;
        }
        if (free < 0)
        {
            return DROPPED_QUEUE_FULL;
        }
        final TcpSocket socket = sockets[free];
        if (socket.state() == TcpState.LISTEN)
        {
            socket.close();
        }
        socket.listen(localAddr, localPort);
        final int result = socket.process(segment, nowNs);
        if (socket.state() == TcpState.SYN_RECEIVED)
        {
            inUse[free] = true;
        }
        else
        {
            // the socket may owe a RST (an ACK to a listening port); it goes out with the next dispatch
            inUse[free] = false;
            pendingResetSlot = socket.pollAt() == 0 ? free : pendingResetSlot;
        }
        return result;
    }

    private void afterProcess(final int i)
    {
        final TcpState state = sockets[i].state();
        if (!accepted[i] && !queued[i] && state != TcpState.SYN_RECEIVED && state != TcpState.LISTEN &&
            state != TcpState.CLOSED)
        {
            queued[i] = true;
            acceptQueue[(acceptHead + acceptCount) % backlog] = i;
            acceptCount++;
        }
        if (!accepted[i] && !queued[i] && (state == TcpState.LISTEN || state == TcpState.CLOSED))
        {
            // reset while half-open: the slot is free again
            inUse[i] = false;
        }
    }

    /**
     * @return the oldest established connection not yet accepted, or null.
     */
    public TcpSocket accept()
    {
        if (0 == acceptCount)
        {
            return null;
        }
        final int i = acceptQueue[acceptHead];
        acceptHead = (acceptHead + 1) % backlog;
        acceptCount--;
        queued[i] = false;
        accepted[i] = true;
        return sockets[i];
    }

    /**
     * Return an accepted socket; it is reused once CLOSED (it may still be closing, TIME-WAIT included).
     */
    public void release(final TcpSocket socket)
    {
        for (int i = 0; i < sockets.length; i++)
        {
            if (sockets[i] == socket)
            {
                if (!accepted[i])
                {
                    throw new IllegalStateException("socket slot " + i + " was not accepted");
                }
                accepted[i] = false;
                released[i] = true;
                return;
            }
        }
        throw new IllegalArgumentException("socket does not belong to this listener");
    }


    /**
     * Send what every child owes.
     *
     * @return segments emitted.
     */
    public int dispatch(final TcpEmitter emitter, final long nowNs)
    {
        int sent = 0;
        if (pendingResetSlot >= 0)
        {
            sent += sockets[pendingResetSlot].dispatch(emitter, nowNs);
            pendingResetSlot = -1;
        }
        for (int i = 0; i < sockets.length; i++)
        {
            if (inUse[i])
            {
                sent += sockets[i].dispatch(emitter, nowNs);
                if (released[i] && sockets[i].state() == TcpState.CLOSED)
                {
                    released[i] = false;
                    inUse[i] = false;
                }
                else if (!accepted[i] && !queued[i] && sockets[i].state() == TcpState.CLOSED)
                {
                    inUse[i] = false;
                }
            }
        }
        return sent;
    }

    /**
     * @return earliest {@link TcpSocket#pollAt()} of the children.
     */
    public long pollAt()
    {
        long at = Long.MAX_VALUE;
        if (pendingResetSlot >= 0)
        {
            return 0;
        }
        for (int i = 0; i < sockets.length; i++)
        {
            if (inUse[i])
            {
                at = Math.min(at, sockets[i].pollAt());
            }
        }
        return at;
    }

    /**
     * @return connections in SYN-RECEIVED.
     */
    public int halfOpen()
    {
        int n = 0;
        for (int i = 0; i < sockets.length; i++)
        {
            if (inUse[i] && sockets[i].state() == TcpState.SYN_RECEIVED)
            {
                n++;
            }
        }
        return n;
    }

    /**
     * @return established connections waiting for {@link #accept()}.
     */
    public int acceptQueueLength()
    {
        return acceptCount;
    }

    public long droppedSyns()
    {
        return droppedSyns;
    }

    private int freeSlot()
    {
        for (int i = 0; i < sockets.length; i++)
        {
            if (!inUse[i])
            {
                return i;
            }
        }
        return -1;
    }
}
