package io.dominoes.net.stack;

import io.dominoes.net.tcp.TcpSocket;
import io.dominoes.net.tcp.TcpState;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The application's handle on one connection of a {@link TcpLayer}: a slot of the layer's bounded
 * table around one preallocated {@link TcpSocket}. Returned by {@link TcpLayer#connect} and
 * {@link TcpLayer#accept}; used on the event-loop thread only.
 * <p>
 * After {@link #close()} or {@link #abort()} the handle belongs to the layer again: once the socket
 * reaches CLOSED (after TIME_WAIT) the slot is reused for another connection, so do not touch it.
 */
public final class TcpConnection
{
    final TcpSocket socket;
    final int slot;
    long key;
    int activeIndex = -1;
    TcpListener listener;
    boolean queued;
    boolean userOwned;
    boolean userClosed;

    TcpConnection(final TcpSocket socket, final int slot)
    {
        this.socket = socket;
        this.slot = slot;
    }

    /**
     * @see TcpSocket#read
     */
    public int read(final MutableDirectBuffer dst, final int offset, final int length)
    {
        return socket.read(dst, offset, length);
    }

    /**
     * @see TcpSocket#write
     */
    public int write(final DirectBuffer src, final int offset, final int length)
    {
        return socket.write(src, offset, length);
    }

    /**
     * Send a FIN after the queued data (RFC 9293 CLOSE) and give the handle back to the layer.
     */
    public void close()
    {
        userClosed = true;
        socket.close();
    }

    /**
     * Reset the connection (RFC 9293 ABORT) and give the handle back to the layer.
     */
    public void abort()
    {
        userClosed = true;
        socket.abort();
    }

    public TcpState state()
    {
        return socket.state();
    }

    /**
     * @return a {@code TcpSocket.ERROR_*} code: why the connection ended, if it did.
     */
    public int error()
    {
        return socket.error();
    }

    public int readableBytes()
    {
        return socket.readableBytes();
    }

    public int writableBytes()
    {
        return socket.writableBytes();
    }

    public int unacknowledgedBytes()
    {
        return socket.unacknowledgedBytes();
    }

    public int remoteAddress()
    {
        return socket.remoteAddr();
    }

    public int remotePort()
    {
        return socket.remotePort();
    }

    public int localPort()
    {
        return socket.localPort();
    }

    /**
     * @return the socket, for statistics (read only: drive it through this handle and the layer).
     */
    public TcpSocket socket()
    {
        return socket;
    }

    public String toString()
    {
        return "TcpConnection{slot=" + slot + " " + socket + "}";
    }
}
