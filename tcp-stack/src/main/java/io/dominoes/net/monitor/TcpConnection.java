package io.dominoes.net.monitor;

import io.dominoes.net.wire.Ipv4Address;

/**
 * One monitored TCP connection: its endpoints with roles, and one {@link HalfStream} per direction. A slot in the
 * monitor's preallocated table, reused after {@link StreamSink#onClose}.
 * <p>
 * Roles: the client is the sender of a SYN without ACK; failing that, the receiver of a SYN-ACK (the handshake
 * captured out of order); failing that, the sender of the first captured segment. A pure SYN seen later, before
 * any payload, overrides a role guessed from a non-SYN first segment.
 */
public final class TcpConnection
{
    public static final int CLIENT_TO_SERVER = 0;
    public static final int SERVER_TO_CLIENT = 1;

    private final int index;
    final HalfStream[] halves = new HalfStream[2];
    private long id;
    private int clientAddr;
    private int clientPort;
    private int serverAddr;
    private int serverPort;
    private boolean rolesFromSyn;
    private boolean closed;
    private boolean reset;
    private long firstSeenNs;
    private long lastSeenNs;

    TcpConnection(final int index, final long[] drops)
    {
        this.index = index;
        halves[CLIENT_TO_SERVER] = new HalfStream(this, CLIENT_TO_SERVER, drops);
        halves[SERVER_TO_CLIENT] = new HalfStream(this, SERVER_TO_CLIENT, drops);
    }

    void open(
        final long id, final int clientAddr, final int clientPort, final int serverAddr, final int serverPort,
        final boolean rolesFromSyn, final long nowNs)
    {
        this.id = id;
        this.clientAddr = clientAddr;
        this.clientPort = clientPort;
        this.serverAddr = serverAddr;
        this.serverPort = serverPort;
        this.rolesFromSyn = rolesFromSyn;
        this.closed = false;
        this.reset = false;
        this.firstSeenNs = nowNs;
        this.lastSeenNs = nowNs;
        halves[0].reset();
        halves[1].reset();
    }

    /**
     * @return a detached copy of this connection's identity, roles, state flags and per-direction figures, with no
     * reassembly memory: what a sink may look at, kept after the slot is reused (the replicated monitor hands its
     * sink events over after its replicas stopped). Allocates; once per sink event, report passes only.
     */
    TcpConnection snapshot()
    {
        final TcpConnection copy = new TcpConnection(index, new long[MonitorDrop.COUNT]);
        copy.id = id;
        copy.clientAddr = clientAddr;
        copy.clientPort = clientPort;
        copy.serverAddr = serverAddr;
        copy.serverPort = serverPort;
        copy.rolesFromSyn = rolesFromSyn;
        copy.closed = closed;
        copy.reset = reset;
        copy.firstSeenNs = firstSeenNs;
        copy.lastSeenNs = lastSeenNs;
        copy.halves[0].copyStatsFrom(halves[0]);
        copy.halves[1].copyStatsFrom(halves[1]);
        return copy;
    }

    /**
     * Swap client and server (a pure SYN arrived from the endpoint guessed to be the server, before any data).
     */
    void swapRoles()
    {
        int t = clientAddr;
        clientAddr = serverAddr;
        serverAddr = t;
        t = clientPort;
        clientPort = serverPort;
        serverPort = t;
        rolesFromSyn = true;
        // the halves hold only handshake state at this point (no payload yet); reset both so the SYN restarts them
        halves[0].reset();
        halves[1].reset();
    }

    /**
     * @return {@link #CLIENT_TO_SERVER} when the segment from {@code srcAddr:srcPort} is sent by the client.
     */
    public int directionOf(final int srcAddr, final int srcPort)
    {
        return srcAddr == clientAddr && srcPort == clientPort ? CLIENT_TO_SERVER : SERVER_TO_CLIENT;
    }

    /**
     * @return the half stream of {@code direction}.
     */
    public HalfStream half(final int direction)
    {
        return halves[direction];
    }

    void touch(final long nowNs)
    {
        lastSeenNs = nowNs;
    }

    void markClosed(final boolean byReset)
    {
        closed = true;
        reset |= byReset;
    }

    /** @return slot number in the monitor's table. */
    public int index()
    {
        return index;
    }

    /** @return serial number of the connection in this monitor, from 0, in order of first packet. */
    public long id()
    {
        return id;
    }

    public int clientAddr()
    {
        return clientAddr;
    }

    public int clientPort()
    {
        return clientPort;
    }

    public int serverAddr()
    {
        return serverAddr;
    }

    public int serverPort()
    {
        return serverPort;
    }

    /** @return true when roles come from a SYN, false when guessed from the first segment. */
    public boolean rolesFromSyn()
    {
        return rolesFromSyn;
    }

    public boolean closed()
    {
        return closed;
    }

    public boolean reset()
    {
        return reset;
    }

    public long firstSeenNs()
    {
        return firstSeenNs;
    }

    public long lastSeenNs()
    {
        return lastSeenNs;
    }

    /**
     * @return "client-ip.port-server-ip.port", the stem of the dump file names.
     */
    public String name()
    {
        return Ipv4Address.toString(clientAddr) + '.' + clientPort + '-' + Ipv4Address.toString(serverAddr) + '.' +
            serverPort;
    }

    public String toString()
    {
        return "TcpConnection{" + name() + " id=" + id + (closed ? " closed" : "") + (reset ? " reset" : "") + "}";
    }
}
