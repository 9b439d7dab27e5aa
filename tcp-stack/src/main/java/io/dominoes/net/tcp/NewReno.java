package io.dominoes.net.tcp;

import io.dominoes.net.wire.SeqNumber;

/**
 * Congestion control of RFC 5681 with the NewReno fast recovery of RFC 6582. Counts bytes; the socket tells it
 * about ACKs and timeouts and does the retransmitting it asks for.
 */
public final class NewReno
{
    /**
     * Nothing to do beyond normal sending.
     */
    public static final int NONE = 0;

    /**
     * Retransmit the first unacknowledged segment now (fast retransmit, or a partial ACK in recovery).
     */
    public static final int RETRANSMIT_FIRST_UNACKED = 1;

    /**
     * RFC 5681 3.2 step 2: fast retransmit on the third duplicate ACK.
     */
    static final int DUPLICATE_ACK_THRESHOLD = 3;

    private int mss;
    private int cwnd;
    private int ssthresh;
    private int duplicateAcks;
    private boolean inRecovery;
    private int recover;
    private int bytesAckedInAvoidance;

    /**
     * Start a connection.
     *
     * @param mss     sender maximum segment size (SMSS).
     * @param iss     initial send sequence number; RFC 6582 3.2 step 1: "recover is initialized to the
     *                initial send sequence number".
     */
    public void init(final int mss, final int iss)
    {
        this.mss = mss;
        // RFC 5681 3.1: IW = min(4*SMSS, max(2*SMSS, 4380)) (RFC 3390's window).
        this.cwnd = Math.min(4 * mss, Math.max(2 * mss, 4380));
        // RFC 5681 3.1: "The initial value of ssthresh SHOULD be set arbitrarily high".
        this.ssthresh = Integer.MAX_VALUE;
        this.duplicateAcks = 0;
        this.inRecovery = false;
        this.recover = iss;
        this.bytesAckedInAvoidance = 0;
    }

    /**
     * An ACK acknowledged new data.
     *
     * @param ack           the cumulative acknowledgment.
     * @param ackedBytes    sequence space newly acknowledged.
     * @param flightAfter   bytes still outstanding after this ACK.
     * @return {@link #NONE} or {@link #RETRANSMIT_FIRST_UNACKED}.
     */
    public int onNewAck(final int ack, final int ackedBytes, final int flightAfter)
    {
        duplicateAcks = 0;
        if (inRecovery)
        {
            if (SeqNumber.gt(ack, recover))
            {
                // RFC 6582 3.2 step 3 (full acknowledgment): "Set cwnd to either (1) min (ssthresh,
                // max(FlightSize, SMSS) + SMSS) or (2) ssthresh ... Exit the fast recovery procedure."
                cwnd = Math.min(ssthresh, Math.max(flightAfter, mss) + mss);
                inRecovery = false;
                return NONE;
            }
            // RFC 6582 3.2 step 3 (partial acknowledgment): "retransmit the first unacknowledged segment ...
            // deflate the congestion window by the amount of new data acknowledged by the Cumulative
            // Acknowledgment field. If the partial ACK acknowledges at least one SMSS of new data, then add back
            // SMSS bytes to the congestion window."
            cwnd = Math.max(mss, cwnd - ackedBytes + (ackedBytes >= mss ? mss : 0));
            return RETRANSMIT_FIRST_UNACKED;
        }
        if (cwnd < ssthresh)
        {
            // RFC 5681 3.1 (slow start): "cwnd += min (N, SMSS)".
            cwnd = saturatingAdd(cwnd, Math.min(ackedBytes, mss));
        }
        else
        {
            // RFC 5681 3.1 (congestion avoidance), the byte-counting variant: increase by SMSS once a
            // window's worth of bytes has been acknowledged.
            bytesAckedInAvoidance += ackedBytes;
            if (bytesAckedInAvoidance >= cwnd)
            {
                bytesAckedInAvoidance -= cwnd;
                cwnd = saturatingAdd(cwnd, mss);
            }
        }
        return NONE;
    }

    /**
     * A duplicate ACK arrived (RFC 5681 2: outstanding data, no payload, no SYN/FIN, ACK equal to SND.UNA,
     * same window).
     *
     * @param ack          SEG.ACK (equal to SND.UNA).
     * @param flight       bytes outstanding.
     * @param highestSent  highest sequence number sent so far (SND.MAX - 1).
     * @return {@link #NONE} or {@link #RETRANSMIT_FIRST_UNACKED}.
     */
    public int onDuplicateAck(final int ack, final int flight, final int highestSent)
    {
        if (inRecovery)
        {
            // RFC 6582 3.2 step 3/RFC 5681 3.2 step 4: "For each additional duplicate ACK received (after the
            // third), cwnd MUST be incremented by SMSS."
            cwnd = saturatingAdd(cwnd, mss);
            return NONE;
        }
        duplicateAcks++;
        if (DUPLICATE_ACK_THRESHOLD == duplicateAcks)
        {
            // RFC 6582 3.2 step 2: "the TCP sender first checks the value of recover to see if the Cumulative
            // Acknowledgment field covers more than recover. If so, the value of recover is incremented to the
            // value of the highest sequence number transmitted ... If not, the TCP does not enter fast retransmit".
            if (SeqNumber.gt(ack, recover))
            {
                recover = highestSent;
                // RFC 5681 3.2 step 2: "ssthresh = max (FlightSize / 2, 2*SMSS)", step 3: "cwnd = ssthresh + 3*SMSS".
                ssthresh = Math.max(flight / 2, 2 * mss);
                cwnd = ssthresh + 3 * mss;
                inRecovery = true;
                return RETRANSMIT_FIRST_UNACKED;
            }
        }
        return NONE;
    }

    /**
     * The retransmission timer expired.
     *
     * @param flight      bytes outstanding.
     * @param highestSent highest sequence number sent (SND.MAX - 1).
     */
    public void onRetransmitTimeout(final int flight, final int highestSent)
    {
        // RFC 5681 3.1 (4): "ssthresh = max (FlightSize / 2, 2*SMSS)" and cwnd to the loss window, 1 SMSS.
        ssthresh = Math.max(flight / 2, 2 * mss);
        cwnd = mss;
        duplicateAcks = 0;
        bytesAckedInAvoidance = 0;
        // RFC 6582 4: "After a retransmit timeout, record the highest sequence number transmitted in the
        // variable recover, and exit the fast recovery procedure if applicable."
        recover = highestSent;
        inRecovery = false;
    }

    public int cwnd()
    {
        return cwnd;
    }

    public int ssthresh()
    {
        return ssthresh;
    }

    public int duplicateAcks()
    {
        return duplicateAcks;
    }

    public boolean inRecovery()
    {
        return inRecovery;
    }

    public int recover()
    {
        return recover;
    }

    public void copyFrom(final NewReno other)
    {
        mss = other.mss;
        cwnd = other.cwnd;
        ssthresh = other.ssthresh;
        duplicateAcks = other.duplicateAcks;
        inRecovery = other.inRecovery;
        recover = other.recover;
        bytesAckedInAvoidance = other.bytesAckedInAvoidance;
    }

    long digest(final long seed)
    {
        long h = seed;
        h = TcpSocket.mix(h, mss);
        h = TcpSocket.mix(h, cwnd);
        h = TcpSocket.mix(h, ssthresh);
        h = TcpSocket.mix(h, duplicateAcks);
        h = TcpSocket.mix(h, inRecovery ? 1 : 0);
        h = TcpSocket.mix(h, recover);
        return TcpSocket.mix(h, bytesAckedInAvoidance);
    }

    private static int saturatingAdd(final int a, final int b)
    {
        final int sum = a + b;
        return sum < 0 ? Integer.MAX_VALUE : sum;
    }
}
