package io.dominoes.net.tcp;

/**
 * Retransmission timeout per RFC 6298, all times in nanoseconds from the injected clock.
 * <pre>
 * 2.2 first sample R:   SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, K*RTTVAR), K = 4
 * 2.3 later sample R':  RTTVAR = (1 - 1/4) * RTTVAR + 1/4 * |SRTT - R'|
 *                       SRTT   = (1 - 1/8) * SRTT   + 1/8 * R'
 * 2.4 "Whenever RTO is computed, if it is less than 1 second, then the RTO SHOULD be rounded up to 1 second";
 *     the floor is configurable ({@code minRtoNs}); Linux uses 200 ms.
 * 2.5 "A maximum value MAY be placed on RTO provided it is at least 60 seconds."
 * 5.5 on expiry "set RTO <- RTO * 2 ("back off the timer")".
 * </pre>
 * Karn's rule (RFC 6298 3: "RTT samples MUST NOT be made using segments that were retransmitted") is kept by
 * the socket, which only times segments sent once.
 */
public final class RttEstimator
{
    private final long initialRtoNs;
    private final long minRtoNs;
    private final long maxRtoNs;
    private final long granularityNs;
    private long srttNs;
    private long rttvarNs;
    private long rtoNs;
    private boolean hasSample;

    public RttEstimator(final long initialRtoNs, final long minRtoNs, final long maxRtoNs, final long granularityNs)
    {
        if (minRtoNs <= 0 || maxRtoNs < minRtoNs || initialRtoNs < minRtoNs || initialRtoNs > maxRtoNs)
        {
            throw new IllegalArgumentException("need 0 < minRtoNs=" + minRtoNs + " <= initialRtoNs=" + initialRtoNs +
                " <= maxRtoNs=" + maxRtoNs);
        }
        this.initialRtoNs = initialRtoNs;
        this.minRtoNs = minRtoNs;
        this.maxRtoNs = maxRtoNs;
        this.granularityNs = granularityNs;
        reset();
    }

    /**
     * Back to the state before any measurement (RFC 6298 2.1: "Until a round-trip time (RTT) measurement has
     * been made ... the sender SHOULD set RTO <- 1 second").
     */
    public void reset()
    {
        srttNs = 0;
        rttvarNs = 0;
        rtoNs = initialRtoNs;
        hasSample = false;
    }

    /**
     * Take one RTT measurement.
     *
     * @param rttNs measured round-trip time.
     */
    public void sample(final long rttNs)
    {
        final long r = Math.max(rttNs, 0);
        if (!hasSample)
        {
            srttNs = r;
            rttvarNs = r / 2;
            hasSample = true;
        }
        else
        {
            rttvarNs = (3 * rttvarNs + Math.abs(srttNs - r)) / 4;
            srttNs = (7 * srttNs + r) / 8;
        }
        rtoNs = clamp(srttNs + Math.max(granularityNs, 4 * rttvarNs));
    }

    /**
     * RFC 6298 5.5: double the RTO after a retransmission timeout, up to the maximum.
     */
    public void backoff()
    {
        rtoNs = clamp(rtoNs * 2);
    }

    /**
     * RFC 6298 5.7: "If the timer expires awaiting the ACK of a SYN segment and the TCP implementation is
     * using an RTO less than 3 seconds, the RTO MUST be re-initialized to 3 seconds when data transmission
     * begins (i.e., after the three-way handshake completes)."
     */
    public void afterSynTimeout()
    {
        if (!hasSample && rtoNs < 3_000_000_000L)
        {
            rtoNs = clamp(3_000_000_000L);
        }
    }

    public long rtoNs()
    {
        return rtoNs;
    }

    public long srttNs()
    {
        return srttNs;
    }

    public long rttvarNs()
    {
        return rttvarNs;
    }

    public boolean hasSample()
    {
        return hasSample;
    }

    public void copyFrom(final RttEstimator other)
    {
        srttNs = other.srttNs;
        rttvarNs = other.rttvarNs;
        rtoNs = other.rtoNs;
        hasSample = other.hasSample;
    }

    private long clamp(final long value)
    {
        return Math.min(maxRtoNs, Math.max(minRtoNs, value));
    }
}
