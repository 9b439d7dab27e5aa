package io.dominoes.net.iface;

import java.util.Arrays;

/**
 * IPv4 to MAC translations with expiry, plus the per-address request rate limit, in fixed arrays
 * (no allocation after construction). When full, a new entry replaces the one closest to expiry.
 * Lookups scan linearly: the table is small (one link's neighbours) and the scan has no pointers.
 * Time is the caller's {@code nowNs}. Single threaded.
 */
public final class ArpCache
{
    /**
     * Returned by {@link #lookup} when the address has no live entry.
     */
    public static final long MISSING = -1L;

    private final int[] addresses;
    private final long[] macs;
    private final long[] expiresNs;
    private final long[] lastRequestNs;
    private final int[] requestsSent;
    private final long entryLifetimeNs;
    private final long requestIntervalNs;

    /**
     * @param capacity          entries.
     * @param entryLifetimeNs   how long a learned translation is used (Linux's base_reachable_time
     *                          is 30 s; RFC 826 leaves it to the implementation).
     * @param requestIntervalNs least time between two requests for the same address (smoltcp uses 1 s).
     */
    public ArpCache(final int capacity, final long entryLifetimeNs, final long requestIntervalNs)
    {
        if (capacity < 1 || entryLifetimeNs <= 0 || requestIntervalNs <= 0)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " entryLifetimeNs=" + entryLifetimeNs +
                " requestIntervalNs=" + requestIntervalNs + " must all be > 0");
        }
        addresses = new int[capacity];
        macs = new long[capacity];
        expiresNs = new long[capacity];
        lastRequestNs = new long[capacity];
        requestsSent = new int[capacity];
        Arrays.fill(macs, MISSING);
        Arrays.fill(expiresNs, Long.MIN_VALUE);
        Arrays.fill(lastRequestNs, Long.MIN_VALUE);
        this.entryLifetimeNs = entryLifetimeNs;
        this.requestIntervalNs = requestIntervalNs;
    }

    /**
     * @return the MAC for address, or {@link #MISSING} if unknown or expired.
     */
    public long lookup(final int address, final long nowNs)
    {
        final int i = indexOf(address);
        return i >= 0 && macs[i] != MISSING && nowNs < expiresNs[i] ? macs[i] : MISSING;
    }

    /**
     * @return true if an entry exists (live, expired or awaiting reply), for RFC 826's merge step.
     */
    public boolean contains(final int address)
    {
        return indexOf(address) >= 0;
    }

    /**
     * Learn or refresh a translation.
     */
    public void update(final int address, final long mac, final long nowNs)
    {
        int i = indexOf(address);
        if (i < 0)
        {
            i = victim();
            addresses[i] = address;
        }
        macs[i] = mac;
        expiresNs[i] = nowNs + entryLifetimeNs;
        lastRequestNs[i] = Long.MIN_VALUE;
        requestsSent[i] = 0;
    }

    /**
     * Decide whether to send a request for address now, and if so record it.
     *
     * @return true if a request should go out (none sent within the request interval).
     */
    public boolean tryRequest(final int address, final long nowNs)
    {
        int i = indexOf(address);
        if (i < 0)
        {
            i = victim();
            addresses[i] = address;
            macs[i] = MISSING;
            expiresNs[i] = Long.MIN_VALUE;
            lastRequestNs[i] = Long.MIN_VALUE;
            requestsSent[i] = 0;
        }
        if (lastRequestNs[i] != Long.MIN_VALUE && nowNs - lastRequestNs[i] < requestIntervalNs)
        {
            return false;
        }
        lastRequestNs[i] = nowNs;
        requestsSent[i]++;
        return true;
    }

    /**
     * @return requests sent for address since it was last resolved.
     */
    public int requestsSent(final int address)
    {
        final int i = indexOf(address);
        return i < 0 ? 0 : requestsSent[i];
    }

    /**
     * @return the time the next request for address may go out, or Long.MAX_VALUE if none sent.
     */
    public long nextRequestNs(final int address)
    {
        final int i = indexOf(address);
        return i < 0 || lastRequestNs[i] == Long.MIN_VALUE ? Long.MAX_VALUE : lastRequestNs[i] + requestIntervalNs;
    }

    private int indexOf(final int address)
    {
        for (int i = 0; i < addresses.length; i++)
        {
            if (addresses[i] == address && (macs[i] != MISSING || lastRequestNs[i] != Long.MIN_VALUE))
            {
                return i;
            }
        }
        return -1;
    }

    private int victim()
    {
        int best = 0;
        for (int i = 0; i < addresses.length; i++)
        {
            if (macs[i] == MISSING && lastRequestNs[i] == Long.MIN_VALUE)
            {
                return i; // free slot
            }
            if (expiresNs[i] < expiresNs[best])
            {
                best = i;
            }
        }
        return best;
    }
}
