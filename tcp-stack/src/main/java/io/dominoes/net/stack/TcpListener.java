package io.dominoes.net.stack;

import java.util.ArrayDeque;

/**
 * A listening port of a {@link TcpLayer}. Its backlog bounds the connections between their SYN
 * and {@link TcpLayer#accept}: those still in SYN-RECEIVED (the SYN queue) plus those established
 * and waiting in the accept queue. A SYN beyond it is dropped and counted
 * ({@link TcpDropReason#BACKLOG_FULL}), so a SYN flood cannot take the whole connection table.
 */
public final class TcpListener
{
    final int port;
    final int backlog;
    final ArrayDeque<TcpConnection> acceptQueue;
    int members;
    boolean closed;

    TcpListener(final int port, final int backlog)
    {
        this.port = port;
        this.backlog = backlog;
        this.acceptQueue = new ArrayDeque<>(backlog);
    }

    public int port()
    {
        return port;
    }

    public int backlog()
    {
        return backlog;
    }

    /**
     * @return connections from SYN to accept: SYN queue plus accept queue.
     */
    public int pending()
    {
        return members;
    }

    /**
     * @return established connections waiting for {@link TcpLayer#accept}.
     */
    public int acceptable()
    {
        return acceptQueue.size();
    }
}
