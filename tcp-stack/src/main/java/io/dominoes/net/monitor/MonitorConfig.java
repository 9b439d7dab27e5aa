package io.dominoes.net.monitor;

/**
 * Limits and policies of a {@link TcpMonitor}. Memory is bounded by {@code maxConnections * 2 *
 * reassemblyBufferBytes} (rings are allocated the first time a slot is used, then reused) plus
 * {@code fragmentSlots * 64 KiB}.
 */
public final class MonitorConfig
{
    private int maxConnections = 4096;
    private int reassemblyBufferBytes = 256 * 1024;
    private int maxHoles = 64;
    private ChecksumMode checksumMode = ChecksumMode.VERIFY;
    private boolean defragment = true;
    private int fragmentSlots = 16;
    private long fragmentTimeoutNs = 30_000_000_000L;
    private long idleTimeoutNs = 300_000_000_000L;

    /**
     * @param maxConnections connections tracked at once, in [1, 2^20].
     */
    public MonitorConfig maxConnections(final int maxConnections)
    {
        if (maxConnections < 1 || maxConnections > (1 << 20))
        {
            throw new IllegalArgumentException("maxConnections=" + maxConnections + " not in [1, 2^20]");
        }
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * @param bytes out-of-order reach per direction: a power of two in [16, 2^30].
     */
    public MonitorConfig reassemblyBufferBytes(final int bytes)
    {
        if (bytes < 16 || bytes > (1 << 30) || Integer.bitCount(bytes) != 1)
        {
            throw new IllegalArgumentException("reassemblyBufferBytes=" + bytes + " not a power of two in [16, 2^30]");
        }
        this.reassemblyBufferBytes = bytes;
        return this;
    }

    /**
     * @param maxHoles disjoint out-of-order ranges per direction (and per IPv4 datagram), at least 1.
     */
    public MonitorConfig maxHoles(final int maxHoles)
    {
        if (maxHoles < 1 || maxHoles > 65536)
        {
            throw new IllegalArgumentException("maxHoles=" + maxHoles + " not in [1, 65536]");
        }
        this.maxHoles = maxHoles;
        return this;
    }

    public MonitorConfig checksumMode(final ChecksumMode mode)
    {
        if (null == mode)
        {
            throw new IllegalArgumentException("checksumMode is null");
        }
        this.checksumMode = mode;
        return this;
    }

    /**
     * @param defragment false to drop IPv4 fragments (counted) instead of reassembling them.
     */
    public MonitorConfig defragment(final boolean defragment)
    {
        this.defragment = defragment;
        return this;
    }

    /**
     * @param slots IPv4 datagrams reassembled at once, in [1, 4096].
     */
    public MonitorConfig fragmentSlots(final int slots)
    {
        if (slots < 1 || slots > 4096)
        {
            throw new IllegalArgumentException("fragmentSlots=" + slots + " not in [1, 4096]");
        }
        this.fragmentSlots = slots;
        return this;
    }

    public MonitorConfig fragmentTimeoutNs(final long ns)
    {
        if (ns <= 0)
        {
            throw new IllegalArgumentException("fragmentTimeoutNs=" + ns + " must be > 0");
        }
        this.fragmentTimeoutNs = ns;
        return this;
    }

    /**
     * @param ns an open connection silent for longer may be evicted when its slot is needed.
     */
    public MonitorConfig idleTimeoutNs(final long ns)
    {
        if (ns <= 0)
        {
            throw new IllegalArgumentException("idleTimeoutNs=" + ns + " must be > 0");
        }
        this.idleTimeoutNs = ns;
        return this;
    }

    public int maxConnections()
    {
        return maxConnections;
    }

    public int reassemblyBufferBytes()
    {
        return reassemblyBufferBytes;
    }

    public int maxHoles()
    {
        return maxHoles;
    }

    public ChecksumMode checksumMode()
    {
        return checksumMode;
    }

    public boolean defragment()
    {
        return defragment;
    }

    public int fragmentSlots()
    {
        return fragmentSlots;
    }

    public long fragmentTimeoutNs()
    {
        return fragmentTimeoutNs;
    }

    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    public String toString()
    {
        return "MonitorConfig{maxConnections=" + maxConnections + " reassemblyBufferBytes=" + reassemblyBufferBytes +
            " maxHoles=" + maxHoles + " checksumMode=" + checksumMode + " defragment=" + defragment +
            " fragmentSlots=" + fragmentSlots + "}";
    }
}
