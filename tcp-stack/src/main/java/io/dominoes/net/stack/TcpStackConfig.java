package io.dominoes.net.stack;

import io.dominoes.net.tcp.TcpConfig;

/**
 * Limits of a {@link TcpLayer}, fixed at construction; {@link #conclude()} validates once. Every
 * table the network can make grow has a bound here, so a flood fills counters, not memory.
 */
public final class TcpStackConfig
{
    private int maxConnections = 64;
    private int maxListeners = 16;
    private int maxBacklog = 32;
    private long reassemblyMemoryBytes = 64L * 1024 * 1024;
    private TcpConfig socketConfig = new TcpConfig();

    /**
     * Validate.
     *
     * @return this for a fluent API.
     */
    public TcpStackConfig conclude()
    {
        if (maxConnections < 1 || maxConnections > (1 << 20))
        {
            throw new IllegalArgumentException("maxConnections=" + maxConnections + " not in [1, 2^20]");
        }
        if (maxListeners < 1 || maxListeners > 65535)
        {
            throw new IllegalArgumentException("maxListeners=" + maxListeners + " not in [1, 65535]");
        }
        if (maxBacklog < 1 || maxBacklog > maxConnections)
        {
            throw new IllegalArgumentException(
                "maxBacklog=" + maxBacklog + " not in [1, maxConnections=" + maxConnections + "]");
        }
        socketConfig.conclude();
        // Every connection can hold at most its receive buffer of out-of-order data (the Assembler
        // keeps bytes in the receive ring), so the table size times the buffer bounds reassembly memory.
        final long needed = (long)maxConnections * socketConfig.receiveBufferCapacity();
        if (needed > reassemblyMemoryBytes)
        {
            throw new IllegalArgumentException("maxConnections=" + maxConnections + " x receiveBufferCapacity=" +
                socketConfig.receiveBufferCapacity() + " = " + needed + " exceeds reassemblyMemoryBytes=" +
                reassemblyMemoryBytes);
        }
        return this;
    }

    /**
     * @return the connection table's size: SYN_RECEIVED, established and TIME_WAIT connections all count.
     */
    public int maxConnections()
    {
        return maxConnections;
    }

    public TcpStackConfig maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    public int maxListeners()
    {
        return maxListeners;
    }

    public TcpStackConfig maxListeners(final int maxListeners)
    {
        this.maxListeners = maxListeners;
        return this;
    }

    /**
     * @return the largest backlog a listener may ask for: connections from SYN until accept() (the SYN
     * queue and the accept queue together).
     */
    public int maxBacklog()
    {
        return maxBacklog;
    }

    public TcpStackConfig maxBacklog(final int maxBacklog)
    {
        this.maxBacklog = maxBacklog;
        return this;
    }

    /**
     * @return bound on received-but-unread and out-of-order bytes over all connections.
     */
    public long reassemblyMemoryBytes()
    {
        return reassemblyMemoryBytes;
    }

    public TcpStackConfig reassemblyMemoryBytes(final long bytes)
    {
        this.reassemblyMemoryBytes = bytes;
        return this;
    }

    /**
     * @return settings of every socket; the layer lowers its MSS to fit the interface MTU.
     */
    public TcpConfig socketConfig()
    {
        return socketConfig;
    }

    public TcpStackConfig socketConfig(final TcpConfig config)
    {
        this.socketConfig = config;
        return this;
    }
}
