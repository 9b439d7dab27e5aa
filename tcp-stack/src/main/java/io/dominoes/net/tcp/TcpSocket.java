package io.dominoes.net.tcp;

import io.dominoes.net.wire.SeqNumber;
import io.dominoes.net.wire.TcpOptionValues;
import io.dominoes.net.wire.TcpOptions;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

import static io.dominoes.net.wire.SeqNumber.ge;
import static io.dominoes.net.wire.SeqNumber.gt;
import static io.dominoes.net.wire.SeqNumber.le;
import static io.dominoes.net.wire.SeqNumber.lt;
import static io.dominoes.net.wire.TcpSegment.FLAG_ACK;
import static io.dominoes.net.wire.TcpSegment.FLAG_FIN;
import static io.dominoes.net.wire.TcpSegment.FLAG_PSH;
import static io.dominoes.net.wire.TcpSegment.FLAG_RST;
import static io.dominoes.net.wire.TcpSegment.FLAG_SYN;

/**
 * One TCP connection as a deterministic state machine (RFC 9293). Its only inputs are
 * {@link #process(TcpSegmentRepr, long)} (a received segment), {@link #dispatch(TcpEmitter, long)} (a chance to
 * send, which also runs expired timers) and the application calls; time is always passed in. Two sockets that
 * see the same inputs in the same order hold the same state, which {@link #digest()} summarises and
 * {@link #copyFrom(TcpSocket)} reproduces. Nothing is allocated per segment.
 * <p>
 * Not thread safe: one thread drives a socket.
 */
public final class TcpSocket
{
    /**
     * {@link #process} took the segment (possibly only its ACK).
     */
    public static final int ACCEPTED = 0;

    /**
     * {@link #process}: the segment reset the connection.
     */
    public static final int RESET_RECEIVED = 1;

    /**
     * {@link #process}: addresses or ports are not this connection's.
     */
    public static final int DROPPED_NOT_MINE = -1;

    /**
     * {@link #process}: the current state does not take this segment (RFC 9293 3.10.7).
     */
    public static final int DROPPED_STATE = -2;

    /**
     * {@link #process}: sequence number outside the receive window (RFC 9293 3.10.7.4 first check).
     */
    public static final int DROPPED_UNACCEPTABLE = -3;

    /**
     * {@link #process}: RFC 7323 5.3 PAWS rejected an old timestamp.
     */
    public static final int DROPPED_PAWS = -4;

    /**
     * {@link #process}: the acknowledgment number is not acceptable.
     */
    public static final int DROPPED_BAD_ACK = -5;

    /**
     * {@link #process}: RST in the window but not at RCV.NXT (RFC 5961 3.2: challenge ACK sent).
     */
    public static final int DROPPED_RST_CHALLENGED = -6;

    /**
     * {@link #process}: SYN in a synchronized state (RFC 5961 4.2: challenge ACK sent).
     */
    public static final int DROPPED_SYN_CHALLENGED = -7;

    /**
     * {@link #read}: the peer closed its direction and every byte has been read.
     */
    public static final int END_OF_STREAM = -1;

    /**
     * {@link #read}/{@link #write}: the connection is not in a state that allows it.
     */
    public static final int NOT_CONNECTED = -2;

    public static final int ERROR_NONE = 0;
    public static final int ERROR_RESET = 1;
    public static final int ERROR_REFUSED = 2;
    public static final int ERROR_TIMED_OUT = 3;

    static final long NEVER = Long.MAX_VALUE;
    private static final TcpOptionValues NO_OPTIONS = new TcpOptionValues();
    private static final long TWENTY_FOUR_DAYS_NS = 24L * 24 * 3600 * 1_000_000_000L;
    private static final int DEFAULT_IPV4_MSS = 536;
    private static final int TIMESTAMP_OPTION_SPACE = 12;

    private final TcpConfig config;
    private final ByteRing sendRing;
    private final ByteRing recvRing;
    private final Assembler assembler;
    private final RttEstimator rtt;
    private final NewReno congestion = new NewReno();
    private final TcpSegment outSegment = new TcpSegment();
    private final TcpOptionValues outOptions = new TcpOptionValues();
    private final int localWindowShift;
    private final TcpReceiveSink receiveSink;

    private TcpState state = TcpState.CLOSED;
    private int localAddr;
    private int listenAddr;
    private int localPort;
    private int remoteAddr;
    private int remotePort;
    private boolean passiveOpen;
    private int error;

    // send sequence space (RFC 9293 3.3.1)
    private int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private int sndWnd;
    private int sndWl1;
    private int sndWl2;
    private int maxSndWnd;
    private int sndBufSeq;
    private boolean finQueued;

    // receive sequence space
    private int irs;
    private int rcvNxt;
    private int rcvAdvRightEdge;
    private boolean remoteFinReceived;
    private boolean remoteFinPending;
    private int remoteFinSeq;
    /**
     * Sequence numbers of the latest out-of-order segments kept, most recent first (RFC 2018 4), so the SACK
     * blocks that hold them are reported in that order; {@code recentSackCount} are valid.
     */
    private final int[] recentSackSeqs = new int[TcpOptionValues.MAX_SACK_BLOCKS];
    private int recentSackCount;
    private final boolean copyPayload;

    // negotiated options
    private int sndWndShift;
    private int rcvWndShift;
    private int sendMss;
    private boolean timestampsEnabled;
    private boolean sackEnabled;
    private boolean peerOfferedWindowScale;
    private int tsRecent;
    private long tsRecentNs;
    private int lastAckSent;

    // timers, NEVER when off
    private long rtoDeadlineNs = NEVER;
    private long persistDeadlineNs = NEVER;
    private long delayedAckDeadlineNs = NEVER;
    private long timeWaitDeadlineNs = NEVER;
    private int retransmissions;
    private int synRetransmissions;

    // pending output
    private boolean ackNow;
    private int segmentsUnacked;
    private boolean windowUpdatePending;
    private boolean fastRetransmitPending;
    private boolean persistProbePending;
    private boolean probeOutstanding;
    private boolean noDelay;

    // RTT timing of one segment at a time (Karn)
    private boolean rttTiming;
    private int rttSeq;
    private long rttSentNs;

    // a RST to send in reply to a segment (not necessarily this connection's addresses)
    private boolean resetPending;
    private int resetSrcAddr;
    private int resetSrcPort;
    private int resetDstAddr;
    private int resetDstPort;
    private int resetSeq;
    private int resetAck;
    private int resetFlags;

    // statistics, part of the replicated state
    private long segmentsIn;
    private long segmentsOut;
    private long retransmittedSegments;
    private long droppedOutOfOrder;
    private long retransmissionTimeouts;
    private long fastRetransmits;

    // scratch for the next data segment decision
    private int nextLength;
    private boolean nextFin;

    /**
     * @param config concluded settings; buffers are allocated here, once.
     */
    public TcpSocket(final TcpConfig config)
    {
        this(config, null);
    }

    /**
     * A socket in data-sink mode when {@code receiveSink} is not null: accepted payload ranges go to the sink
     * (stream position, payload offset, length) instead of being copied into the socket's receive buffer, which
     * then only keeps bookkeeping and allocates no memory. The application consumes with {@link #consume(int)}
     * instead of {@link #read}. Everything else is unchanged; {@link #digest()} then covers the buffer positions
     * and reassembly ranges but not the bytes, which are not the socket's.
     *
     * @param config      concluded settings; buffers are allocated here, once.
     * @param receiveSink where accepted payload goes, or null for the ordinary socket.
     */
    public TcpSocket(final TcpConfig config, final TcpReceiveSink receiveSink)
    {
        this.config = config.conclude();
        this.receiveSink = receiveSink;
        this.sendRing = new ByteRing(config.sendBufferCapacity());
        this.recvRing = new ByteRing(config.receiveBufferCapacity(), null == receiveSink);
        this.assembler = new Assembler(config.maxAssemblerRanges());
        this.rtt = new RttEstimator(
            config.initialRtoNs(), config.minRtoNs(), config.maxRtoNs(), config.clockGranularityNs());
        int shift = 0;
        while (shift < TcpOptions.MAX_WINDOW_SCALE && (config.receiveBufferCapacity() >>> shift) > 0xFFFF)
        {
            shift++;
        }
        this.localWindowShift = shift;
        this.noDelay = config.noDelay();
        this.copyPayload = config.copyPayload();
    }

    // ------------------------------------------------------------------------------------------------ open/close

    /**
     * Active open (RFC 9293 3.10.1 OPEN, active): choose the ISS and send a SYN on the next dispatch.
     *
     * @throws IllegalStateException unless CLOSED.
     */
    public void connect(
        final int localAddr, final int localPort, final int remoteAddr, final int remotePort, final long nowNs)
    {
        requireState(TcpState.CLOSED, "connect");
        checkPort("localPort", localPort);
        checkPort("remotePort", remotePort);
        bind(localAddr, localPort, remoteAddr, remotePort);
        resetConnection();
        initSend(config.isnGenerator().iss(localAddr, localPort, remoteAddr, remotePort, nowNs));
        passiveOpen = false;
        state = TcpState.SYN_SENT;
    }

    /**
     * Passive open (RFC 9293 3.10.1 OPEN, passive): wait for a SYN to {@code localAddr:localPort}.
     *
     * @param localAddr local address, 0 for any.
     * @throws IllegalStateException unless CLOSED.
     */
    public void listen(final int localAddr, final int localPort)
    {
        requireState(TcpState.CLOSED, "listen");
        checkPort("localPort", localPort);
        bind(localAddr, localPort, 0, 0);
        resetConnection();
        listenAddr = localAddr;
        state = TcpState.LISTEN;
    }

    /**
     * RFC 9293 3.10.4 CLOSE: no more data will be written; a FIN follows the queued data.
     */
    public void close()
    {
        switch (state)
        {
            case LISTEN:
                enterClosed();
                break;

            case SYN_SENT:
                // RFC 9293 says "Delete the TCB"; with data already queued we keep it and send the FIN after the
                // data once established, as for SYN-RECEIVED, so write-then-close before the handshake works.
                if (0 == sendRing.size())
                {
                    enterClosed();
                }
                else
                {
                    finQueued = true;
                }
                break;

            case SYN_RECEIVED:
                // "queue for processing after entering ESTABLISHED state"
                finQueued = true;
                break;

            case ESTABLISHED:
                finQueued = true;
                state = TcpState.FIN_WAIT_1;
                break;

            case CLOSE_WAIT:
                finQueued = true;
                state = TcpState.LAST_ACK;
                break;

            default:
                break;
        }
    }

    /**
     * RFC 9293 3.10.5 ABORT: send a RST (in synchronized states) and drop everything.
     */
    public void abort()
    {
        if (state == TcpState.SYN_RECEIVED || state.isSynchronized())
        {
            queueReset(localAddr, localPort, remoteAddr, remotePort, sndMax, 0, FLAG_RST);
        }
        sendRing.clear();
        recvRing.clear();
        assembler.clear();
        enterClosed();
    }

    // ------------------------------------------------------------------------------------------------ application

    /**
     * Queue bytes to send.
     *
     * @return bytes queued (0 when the send buffer is full), or {@link #NOT_CONNECTED} after close or before
     * connect/listen.
     */
    public int write(final DirectBuffer src, final int offset, final int length)
    {
        if (!state.canSend() || finQueued)
        {
            return NOT_CONNECTED;
        }
        return sendRing.append(src, offset, length);
    }

    /**
     * Take received in-order bytes.
     *
     * @return bytes copied, 0 when none yet, {@link #END_OF_STREAM} when the peer's FIN was reached, or
     * {@link #NOT_CONNECTED} when nothing will ever arrive (never connected or reset).
     */
    public int read(final MutableDirectBuffer dst, final int offset, final int length)
    {
        if (null != receiveSink)
        {
            throw new IllegalStateException("read() on a data-sink socket: its bytes are in the sink, use consume()");
        }
        return take(dst, offset, length);
    }

    /**
     * Drop received in-order bytes without copying them, for an application that discards what it receives.
     *
     * @return bytes dropped, or the codes of {@link #read}.
     */
    public int skip(final int length)
    {
        return take(null, 0, length);
    }

    private int take(final MutableDirectBuffer dst, final int offset, final int length)
    {
        final int n = Math.min(length, recvRing.size());
        if (n > 0)
        {
            if (null != dst)
            {
                recvRing.readAt(0, dst, offset, n);
            }
            recvRing.consume(n);
            checkWindowUpdate();
            return n;
        }
        if (remoteFinReceived)
        {
            return END_OF_STREAM;
        }
        if (state == TcpState.CLOSED || state == TcpState.LISTEN)
        {
            return NOT_CONNECTED;
        }
        return 0;
    }

    /**
     * Data-sink mode: the application has taken {@code length} bytes from the front of the in-order data (which
     * the sink holds); frees receive-buffer space and may queue a window update, as {@link #read} does.
     *
     * @param length bytes taken, at most {@link #readableBytes()}.
     * @return {@code length}.
     * @throws IllegalArgumentException if {@code length} is negative or more than is readable.
     */
    public int consume(final int length)
    {
        recvRing.consume(length);
        if (length > 0)
        {
            checkWindowUpdate();
        }
        return length;
    }

    /**
     * @return the stream position just past the in-order data: bytes consumed plus bytes readable (RCV.NXT as a
     * byte count, without SYN and FIN), the position the next in-order byte will have in {@link TcpReceiveSink}.
     */
    public long receivedStreamPosition()
    {
        return recvRing.headPosition() + recvRing.size();
    }

    /**
     * @return bytes {@link #read} can return now.
     */
    public int readableBytes()
    {
        return recvRing.size();
    }

    /**
     * @return bytes {@link #write} can take now.
     */
    public int writableBytes()
    {
        return state.canSend() && !finQueued ? sendRing.free() : 0;
    }

    /**
     * @return bytes written but not yet acknowledged.
     */
    public int unacknowledgedBytes()
    {
        return sendRing.size();
    }

    /**
     * Nagle's algorithm on (false, default) or off (true).
     */
    public void noDelay(final boolean noDelay)
    {
        this.noDelay = noDelay;
    }

    // ------------------------------------------------------------------------------------------------ input

    /**
     * Process one received segment (RFC 9293 3.10.7 SEGMENT ARRIVES). Bad or unwanted input is counted and
     * dropped, never thrown.
     *
     * @param segment parsed segment, checksum already verified.
     * @param nowNs   current time from the injected clock.
     * @return {@link #ACCEPTED}, {@link #RESET_RECEIVED} or a negative {@code DROPPED_*} code.
     */
    public int process(final TcpSegmentRepr segment, final long nowNs)
    {
        switch (state)
        {
            case CLOSED:
                return DROPPED_STATE;

            case LISTEN:
                if (segment.dstPort() != localPort || (0 != localAddr && segment.dstAddr() != localAddr))
                {
                    return DROPPED_NOT_MINE;
                }
                segmentsIn++;
                return processListen(segment, nowNs);

            default:
                if (!matches(segment))
                {
                    return DROPPED_NOT_MINE;
                }
                segmentsIn++;
                return state == TcpState.SYN_SENT ?
                    processSynSent(segment, nowNs) : processSynchronized(segment, nowNs);
        }
    }

    /**
     * @return true when the segment's 4-tuple is this connection's.
     */
    public boolean matches(final TcpSegmentRepr segment)
    {
        return segment.dstPort() == localPort && segment.srcPort() == remotePort &&
            segment.srcAddr() == remoteAddr && segment.dstAddr() == localAddr;
    }

    private int processListen(final TcpSegmentRepr segment, final long nowNs)
    {
        // RFC 9293 3.10.7.2
        if (segment.hasFlag(FLAG_RST))
        {
            return DROPPED_STATE;
        }
        if (segment.hasFlag(FLAG_ACK))
        {
            // "Any acknowledgment is bad if it arrives on a connection still in the LISTEN state. An acceptable
            // reset segment should be formed for any arriving ACK-bearing segment. The RST should be formatted
            // as follows: <SEQ=SEG.ACK><CTL=RST>"
            queueReset(segment.dstAddr(), segment.dstPort(), segment.srcAddr(), segment.srcPort(),
                segment.ack(), 0, FLAG_RST);
            return DROPPED_STATE;
        }
        if (!segment.hasFlag(FLAG_SYN))
        {
            return DROPPED_STATE;
        }
        // "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ ... ISS should be selected and a SYN segment sent
        // of the form: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>". Data carried by the SYN is not kept (the peer
        // sends it again once it sees it unacknowledged).
        localAddr = segment.dstAddr();
        remoteAddr = segment.srcAddr();
        remotePort = segment.srcPort();
        initSend(config.isnGenerator().iss(localAddr, localPort, remoteAddr, remotePort, nowNs));
        initReceive(segment, nowNs);
        sndWnd = segment.window();
        maxSndWnd = sndWnd;
        sndWl1 = segment.seq();
        sndWl2 = iss;
        passiveOpen = true;
        state = TcpState.SYN_RECEIVED;
        return ACCEPTED;
    }

    private int processSynSent(final TcpSegmentRepr segment, final long nowNs)
    {
        // RFC 9293 3.10.7.3
        final boolean hasAck = segment.hasFlag(FLAG_ACK);
        if (hasAck && (le(segment.ack(), iss) || gt(segment.ack(), sndMax)))
        {
            // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if so drop the
            // segment and return) <SEQ=SEG.ACK><CTL=RST>"
            if (!segment.hasFlag(FLAG_RST))
            {
                queueReset(localAddr, localPort, remoteAddr, remotePort, segment.ack(), 0, FLAG_RST);
            }
            return DROPPED_BAD_ACK;
        }
        if (segment.hasFlag(FLAG_RST))
        {
            // "If the ACK was acceptable, then signal to the user "error: connection reset", drop the segment,
            // enter CLOSED state ... Otherwise (no ACK), drop the segment and return." (RFC 5961 3.2 agrees.)
            if (hasAck)
            {
                error = ERROR_REFUSED;
                enterClosed();
                return RESET_RECEIVED;
            }
            return DROPPED_STATE;
        }
        if (!segment.hasFlag(FLAG_SYN))
        {
            return DROPPED_STATE;
        }
        initReceive(segment, nowNs);
        if (hasAck)
        {
            // "SND.UNA should be advanced to equal SEG.ACK ... If SND.UNA > ISS (our SYN has been ACKed), change
            // the connection state to ESTABLISHED, form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
            sndUna = segment.ack();
            // RFC 7323 2.2: "The window field in a segment where the SYN bit is set MUST NOT be scaled".
            sndWnd = segment.window();
            maxSndWnd = sndWnd;
            sndWl1 = segment.seq();
            sndWl2 = segment.ack();
            takeRttSample(segment.ack(), nowNs);
            establish();
            // RFC 9293 would go on to "the sixth step" with any text on the SYN,ACK; like data on a SYN in LISTEN it
            // is not kept: the ACK covers the SYN only and the peer sends the text again.
            ackNow = true;
        }
        else
        {
            // Simultaneous open: "enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>"
            sndWnd = segment.window();
            maxSndWnd = sndWnd;
            sndWl1 = segment.seq();
            sndWl2 = iss;
            sndNxt = iss;
            state = TcpState.SYN_RECEIVED;
        }
        return ACCEPTED;
    }

    private int processSynchronized(final TcpSegmentRepr segment, final long nowNs)
    {
        final int seq = segment.seq();
        final boolean rst = segment.hasFlag(FLAG_RST);
        final TcpOptionValues options = segment.options();

        if (state == TcpState.SYN_RECEIVED && segment.hasFlag(FLAG_SYN) && seq == irs && !rst)
        {
            return processSynInSynReceived(segment, nowNs);
        }

        // RFC 7323 5.3 R1: "If there is a Timestamps option in the arriving segment, SEG.TSval < TS.Recent,
        // TS.Recent is valid (see later discussion), and if the RST bit is not set, then treat the arriving
        // segment as not acceptable: Send an acknowledgment in reply ... and drop the segment." R5: TS.Recent
        // older than 24 days is invalid.
        if (timestampsEnabled && options.hasTimestamps() && !rst &&
            nowNs - tsRecentNs < TWENTY_FOUR_DAYS_NS && lt(options.tsVal(), tsRecent))
        {
            ackNow = true;
            return DROPPED_PAWS;
        }

        // RFC 9293 3.10.7.4 first: "check sequence number"
        final int segLen = segment.sequenceLength();
        final int rcvWnd = Math.max(0, rcvAdvRightEdge - rcvNxt);
        boolean acceptable;
        boolean zeroWindowProbe = false;
        if (0 == segLen)
        {
            // The right edge itself is let in (as Linux's tcp_sequence does): a peer whose last segment filled our
            // window exactly sends its ACKs with SEQ = RCV.NXT + RCV.WND until we have received everything.
            acceptable = 0 == rcvWnd ? seq == rcvNxt : SeqNumber.inRange(seq, rcvNxt, rcvNxt + rcvWnd + 1);
        }
        else if (0 == rcvWnd)
        {
            // "If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made to
            // accept valid ACKs, URGs, and RSTs": a probe at RCV.NXT has its ACK processed and its text dropped.
            acceptable = seq == rcvNxt;
            zeroWindowProbe = acceptable;
        }
        else
        {
            acceptable = SeqNumber.inRange(seq, rcvNxt, rcvNxt + rcvWnd) ||
                SeqNumber.inRange(seq + segLen - 1, rcvNxt, rcvNxt + rcvWnd);
        }
        if (!acceptable)
        {
            // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply (unless the
            // RST bit is set, if so drop the segment and return)"
            if (!rst)
            {
                ackNow = true;
                if (state == TcpState.TIME_WAIT && segment.hasFlag(FLAG_FIN))
                {
                    // a retransmitted FIN: "Acknowledge it, and restart the 2 MSL timeout."
                    timeWaitDeadlineNs = nowNs + 2 * config.maxSegmentLifetimeNs();
                }
            }
            return DROPPED_UNACCEPTABLE;
        }

        // second: "check the RST bit", RFC 5961 3.2: "If the RST bit is set and the sequence number exactly
        // matches the next expected sequence value, the TCP MUST reset the connection ... Otherwise (the sequence
        // number is in the window but not at RCV.NXT), the TCP MUST send an ACK (challenge ACK)".
        if (rst)
        {
            if (seq != rcvNxt)
            {
                ackNow = true;
                return DROPPED_RST_CHALLENGED;
            }
            if (state == TcpState.SYN_RECEIVED && passiveOpen)
            {
                // "If this connection was initiated with a passive OPEN ... return this connection to LISTEN"
                final int port = localPort;
                enterClosed();
                listen(listenAddr, port);
                return RESET_RECEIVED;
            }
            if (state == TcpState.SYN_RECEIVED)
            {
                error = ERROR_REFUSED;
            }
            else if (state != TcpState.CLOSING && state != TcpState.LAST_ACK && state != TcpState.TIME_WAIT)
            {
                error = ERROR_RESET;
            }
            sendRing.clear();
            enterClosed();
            return RESET_RECEIVED;
        }

        // fourth: "check the SYN bit", RFC 5961 4.2: a SYN in any synchronized state draws a challenge ACK.
        if (segment.hasFlag(FLAG_SYN))
        {
            ackNow = true;
            return DROPPED_SYN_CHALLENGED;
        }

        // fifth: "check the ACK field": "if the ACK bit is off, drop the segment and return"
        if (!segment.hasFlag(FLAG_ACK))
        {
            return DROPPED_STATE;
        }
        final int ack = segment.ack();
        if (state == TcpState.SYN_RECEIVED)
        {
            // "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state ... If the segment acknowledgment is
            // not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST> and send it."
            if (!(gt(ack, sndUna) && le(ack, sndMax)))
            {
                queueReset(localAddr, localPort, remoteAddr, remotePort, ack, 0, FLAG_RST);
                return DROPPED_BAD_ACK;
            }
            sndWnd = segment.window() << sndWndShift;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            sndWl1 = seq;
            sndWl2 = ack;
            takeRttSample(ack, nowNs);
            establish();
        }
        // RFC 5961 5.2: "the ACK value is acceptable only if it is in the range of ((SND.UNA - MAX.SND.WND) =<
        // SEG.ACK =< SND.NXT). All incoming segments whose ACK value doesn't satisfy the above condition MUST be
        // discarded and an ACK sent back." SND.MAX stands for SND.NXT since a timeout may pull SND.NXT back.
        if (gt(ack, sndMax) || lt(ack, sndUna - maxSndWnd))
        {
            ackNow = true;
            return DROPPED_BAD_ACK;
        }
        processAck(segment, nowNs);

        final boolean finAcked = finQueued && gt(sndUna, finSeq());
        switch (state)
        {
            case FIN_WAIT_1:
                if (finAcked)
                {
                    state = TcpState.FIN_WAIT_2;
                }
                break;

            case CLOSING:
                if (finAcked)
                {
                    enterTimeWait(nowNs);
                }
                break;

            case LAST_ACK:
                if (finAcked)
                {
                    enterClosed();
                    return ACCEPTED;
                }
                break;

            default:
                break;
        }

        // RFC 7323 4.3: "If SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent then SEG.TSval is copied to
        // TS.Recent; otherwise, it is ignored."
        if (timestampsEnabled && options.hasTimestamps() && ge(options.tsVal(), tsRecent) && le(seq, lastAckSent))
        {
            tsRecent = options.tsVal();
            tsRecentNs = nowNs;
        }

        // sixth, URG: urgent data is delivered as ordinary data (RFC 6093 advises against using it).
        // seventh: "process the segment text"
        boolean finInWindow = true;
        if (segment.payloadLength() > 0)
        {
            if (state.acceptsData() && !zeroWindowProbe)
            {
                finInWindow = receiveData(segment, nowNs);
            }
            else
            {
                ackNow = true;
                finInWindow = false;
            }
        }

        // eighth: "check the FIN bit". A FIN beyond a hole is remembered and taken when the hole fills.
        if (segment.hasFlag(FLAG_FIN) && finInWindow && !remoteFinReceived)
        {
            final int finSeq = seq + segment.payloadLength();
            if (finSeq == rcvNxt)
            {
                receiveFin(nowNs);
            }
            else if (gt(finSeq, rcvNxt))
            {
                remoteFinPending = true;
                remoteFinSeq = finSeq;
                ackNow = true;
            }
        }
        if (remoteFinPending && remoteFinSeq == rcvNxt && !remoteFinReceived)
        {
            receiveFin(nowNs);
        }
        return ACCEPTED;
    }

    /**
     * The peer's SYN again while in SYN-RECEIVED. Either our SYN,ACK was lost and the peer repeats its SYN (send
     * the SYN,ACK again), or this is a simultaneous open (RFC 9293 3.5 figure 8, line 6) and the peer's SYN,ACK
     * acknowledges our SYN: its ACK completes the handshake although its SYN lies just left of RCV.NXT.
     */
    private int processSynInSynReceived(final TcpSegmentRepr segment, final long nowNs)
    {
        final int ack = segment.ack();
        if (segment.hasFlag(FLAG_ACK) && gt(ack, sndUna) && le(ack, sndMax))
        {
            sndUna = ack;
            sndWnd = segment.window();
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            sndWl1 = segment.seq();
            sndWl2 = ack;
            takeRttSample(ack, nowNs);
            establish();
            ackNow = true;
            return ACCEPTED;
        }
        sndNxt = iss;
        return ACCEPTED;
    }

    private void processAck(final TcpSegmentRepr segment, final long nowNs)
    {
        final int ack = segment.ack();
        final int scaledWindow = segment.window() << sndWndShift;
        if (gt(ack, sndUna))
        {
            final int acked = ack - sndUna;
            if (gt(ack, sndBufSeq))
            {
                final int dataAcked = Math.min(ack - sndBufSeq, sendRing.size());
                sendRing.consume(dataAcked);
                sndBufSeq += dataAcked;
            }
            sndUna = ack;
            if (lt(sndNxt, sndUna))
            {
                sndNxt = sndUna;
            }
            takeRttSample(ack, nowNs);
            retransmissions = 0;
            if (NewReno.RETRANSMIT_FIRST_UNACKED == congestion.onNewAck(ack, acked, sndMax - sndUna))
            {
                fastRetransmitPending = true;
            }
            // RFC 6298 5.2: "When all outstanding data has been acknowledged, turn off the retransmission timer."
            // 5.3: "When an ACK is received that acknowledges new data, restart the retransmission timer".
            rtoDeadlineNs = sndUna == sndMax ? NEVER : nowNs + rtt.rtoNs();
        }
        else if (ack == sndUna && sndUna != sndMax && 0 == segment.payloadLength() &&
            !segment.hasFlag(FLAG_SYN | FLAG_FIN) && scaledWindow == sndWnd)
        {
            // RFC 5681 2 "DUPLICATE ACKNOWLEDGMENT" conditions (a)-(e).
            if (NewReno.RETRANSMIT_FIRST_UNACKED == congestion.onDuplicateAck(ack, sndMax - sndUna, sndMax - 1))
            {
                fastRetransmitPending = true;
                rttTiming = false;
            }
        }
        // RFC 9293 3.10.7.4: "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated. If (SND.WL1 <
        // SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)), set SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ,
        // and set SND.WL2 <- SEG.ACK."
        final int seq = segment.seq();
        if (ge(ack, sndUna) && (lt(sndWl1, seq) || (sndWl1 == seq && le(sndWl2, ack))))
        {
            sndWnd = scaledWindow;
            sndWl1 = seq;
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            if (sndWnd > 0)
            {
                persistDeadlineNs = NEVER;
                if (probeOutstanding && ack == sndUna && lt(sndUna, sndNxt))
                {
                    // the window opened without taking the probe's byte: send it again with what follows now
                    // rather than waiting for its retransmission timeout.
                    sndNxt = sndUna;
                }
                probeOutstanding = false;
            }
        }
    }

    /**
     * @return false when the end of the segment (and so its FIN) fell outside the receive buffer.
     */
    private boolean receiveData(final TcpSegmentRepr segment, final long nowNs)
    {
        int seq = segment.seq();
        int payloadOffset = segment.payloadOffset();
        int length = segment.payloadLength();
        if (lt(seq, rcvNxt))
        {
            final int cut = rcvNxt - seq;
            if (cut >= length)
            {
                // all old: RFC 5681 4.2, a duplicate segment is acknowledged at once.
                ackNow = true;
                return true;
            }
            seq = rcvNxt;
            payloadOffset += cut;
            length -= cut;
        }
        final int offset = seq - rcvNxt;
        final int space = recvRing.free();
        if (offset >= space)
        {
            ackNow = true;
            return false;
        }
        boolean endKept = true;
        if (offset + length > space)
        {
            length = space - offset;
            endKept = false;
        }
        if (null != receiveSink)
        {
            // data-sink mode: the same range, reported instead of copied (TcpReceiveSink).
            receiveSink.onData(recvRing.headPosition() + recvRing.size() + offset, segment.payloadBuffer(),
                payloadOffset, length);
        }
        else if (copyPayload)
        {
            recvRing.writeAt(recvRing.size() + offset, segment.payloadBuffer(), payloadOffset, length);
        }
        if (0 == offset)
        {
            final boolean fillsGap = !assembler.isEmpty();
            final int total = length + assembler.advance(length);
            recvRing.commit(total);
            rcvNxt += total;
            if (fillsGap)
            {
                // RFC 5681 4.2: "a TCP receiver SHOULD send an immediate ACK when the incoming segment fills in
                // all or part of a gap in the sequence space."
                ackNow = true;
            }
            else
            {
                // RFC 9293 3.8.6.3 (SHLD-19): "an ACK SHOULD be generated for at least every second full-sized
                // segment", and (MUST-40) delayed by less than 0.5 s.
                segmentsUnacked++;
                if (segmentsUnacked >= 2)
                {
                    ackNow = true;
                }
                else if (delayedAckDeadlineNs == NEVER)
                {
                    delayedAckDeadlineNs = nowNs + config.delayedAckTimeoutNs();
                }
            }
        }
        else
        {
            // RFC 5681 4.2: "A TCP receiver SHOULD send an immediate duplicate ACK when an out-of-order segment
            // arrives." RFC 2018 4: the first SACK block reports the block holding the latest segment.
            if (assembler.add(offset, length))
            {
                rememberSackTrigger(seq);
            }
            else
            {
                droppedOutOfOrder++;
                endKept = false;
            }
            ackNow = true;
        }
        return endKept;
    }

    private void receiveFin(final long nowNs)
    {
        // RFC 9293 3.10.7.4 eighth: "advance RCV.NXT over the FIN, and send an acknowledgment for the FIN."
        rcvNxt++;
        remoteFinReceived = true;
        remoteFinPending = false;
        ackNow = true;
        if (lt(rcvAdvRightEdge, rcvNxt))
        {
            rcvAdvRightEdge = rcvNxt;
        }
        switch (state)
        {
            case SYN_RECEIVED:
            case ESTABLISHED:
                state = TcpState.CLOSE_WAIT;
                break;

            case FIN_WAIT_1:
                // "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT ... otherwise, enter
                // the CLOSING state."
                if (finQueued && gt(sndUna, finSeq()))
                {
                    enterTimeWait(nowNs);
                }
                else
                {
                    state = TcpState.CLOSING;
                }
                break;

            case FIN_WAIT_2:
                enterTimeWait(nowNs);
                break;

            case TIME_WAIT:
                timeWaitDeadlineNs = nowNs + 2 * config.maxSegmentLifetimeNs();
                break;

            default:
                break;
        }
    }

    // ------------------------------------------------------------------------------------------------ output

    /**
     * Run expired timers and send what is due: a pending RST, SYN, retransmissions, new data, FIN, ACKs.
     *
     * @param emitter where segments go.
     * @param nowNs   current time from the injected clock.
     * @return segments emitted.
     */
    public int dispatch(final TcpEmitter emitter, final long nowNs)
    {
        int sent = 0;
        if (resetPending)
        {
            if (!emitReset(emitter))
            {
                return 0;
            }
            sent++;
        }
        if (state == TcpState.CLOSED || state == TcpState.LISTEN)
        {
            return sent;
        }
        if (state == TcpState.TIME_WAIT)
        {
            if (nowNs >= timeWaitDeadlineNs)
            {
                enterClosed();
                return sent;
            }
        }
        if (nowNs >= rtoDeadlineNs && !onRetransmitTimeout(nowNs))
        {
            return resetPending && emitReset(emitter) ? sent + 1 : sent;
        }
        if (nowNs >= persistDeadlineNs)
        {
            persistDeadlineNs = NEVER;
            persistProbePending = true;
            rtt.backoff();
        }
        if (nowNs >= delayedAckDeadlineNs)
        {
            delayedAckDeadlineNs = NEVER;
            ackNow = true;
        }

        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED)
        {
            if (sndNxt == iss)
            {
                final int flags = state == TcpState.SYN_SENT ? FLAG_SYN : FLAG_SYN | FLAG_ACK;
                if (!emit(emitter, iss, flags, 0, 0, nowNs))
                {
                    return sent;
                }
                if (sndMax == iss && 0 == synRetransmissions)
                {
                    startRttTiming(iss + 1, nowNs);
                }
                sndNxt = iss + 1;
                sndMax = sndNxt;
                if (rtoDeadlineNs == NEVER)
                {
                    rtoDeadlineNs = nowNs + rtt.rtoNs();
                }
                sent++;
            }
            else if (ackNow && state == TcpState.SYN_RECEIVED)
            {
                if (emit(emitter, sndNxt, FLAG_ACK, 0, 0, nowNs))
                {
                    sent++;
                }
            }
            return sent;
        }

        if (state != TcpState.TIME_WAIT)
        {
            if (fastRetransmitPending)
            {
                if (!retransmitFirstUnacked(emitter, nowNs))
                {
                    return sent;
                }
                fastRetransmitPending = false;
                sent++;
            }
            if (persistProbePending)
            {
                if (!sendProbe(emitter, nowNs))
                {
                    return sent;
                }
                sent++;
            }
            while (decideNextSegment())
            {
                if (!sendNext(emitter, nowNs))
                {
                    return sent;
                }
                sent++;
            }
            updatePersistTimer(nowNs);
        }

        if (ackNow || windowUpdatePending)
        {
            // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, where SND.NXT is the highest sequence sent: a retransmission
            // timeout pulls sndNxt back for go-back-N, and an ACK carrying an old sequence number would be
            // unacceptable to a peer that already holds that data, which then ignores its acknowledgment.
            if (emit(emitter, sndMax, FLAG_ACK, 0, 0, nowNs))
            {
                sent++;
            }
        }
        return sent;
    }

    /**
     * @return the time the socket next wants {@link #dispatch} called: 0 when it has something to send now,
     * {@link Long#MAX_VALUE} when it waits only for input.
     */
    public long pollAt()
    {
        if (resetPending)
        {
            return 0;
        }
        switch (state)
        {
            case CLOSED:
            case LISTEN:
                return NEVER;

            case TIME_WAIT:
                return ackNow ? 0 : timeWaitDeadlineNs;

            case SYN_SENT:
            case SYN_RECEIVED:
                if (sndNxt == iss || ackNow)
                {
                    return 0;
                }
                return rtoDeadlineNs;

            default:
                if (ackNow || windowUpdatePending || fastRetransmitPending || persistProbePending ||
                    decideNextSegment())
                {
                    return 0;
                }
                return Math.min(Math.min(rtoDeadlineNs, persistDeadlineNs), delayedAckDeadlineNs);
        }
    }

    /**
     * Decide whether new data (or a FIN) goes out now and how much, into {@code nextLength}/{@code nextFin}.
     */
    private boolean decideNextSegment()
    {
        final int flight = sndNxt - sndUna;
        final int dataEnd = sndBufSeq + sendRing.size();
        final int available = Math.max(0, dataEnd - sndNxt);
        final boolean finToSend = finQueued && le(sndNxt, dataEnd);
        final int window = Math.min(sndWnd, congestion.cwnd());
        final int usable = Math.max(0, window - flight);
        final int maxPayload = maxPayload();
        final int length = Math.min(available, Math.min(maxPayload, usable));
        final boolean fin = finToSend && length == available;
        if (0 == length && !fin)
        {
            return false;
        }
        if (length < maxPayload && !fin)
        {
            // RFC 9293 3.7.4 Nagle (RFC 896): "If there is unacknowledged data (i.e., SND.NXT > SND.UNA), then
            // the sending TCP endpoint buffers all user data ... until the outstanding data has been acknowledged
            // or until the TCP endpoint can send a full-sized segment".
            if (!noDelay && flight > 0)
            {
                return false;
            }
            // RFC 9293 3.8.6.2.1 sender SWS avoidance: a window-limited partial segment waits unless it is at
            // least half the largest window the peer has offered.
            if (length < available && length < (maxSndWnd >>> 1))
            {
                return false;
            }
        }
        nextLength = length;
        nextFin = fin;
        return true;
    }

    private boolean sendNext(final TcpEmitter emitter, final long nowNs)
    {
        final int length = nextLength;
        final boolean fin = nextFin;
        final int dataEnd = sndBufSeq + sendRing.size();
        int flags = FLAG_ACK;
        if (length > 0 && sndNxt + length == dataEnd)
        {
            flags |= FLAG_PSH;
        }
        if (fin)
        {
            flags |= FLAG_FIN;
        }
        if (!emit(emitter, sndNxt, flags, sndNxt - sndBufSeq, length, nowNs))
        {
            return false;
        }
        if (lt(sndNxt, sndMax))
        {
            retransmittedSegments++;
        }
        else if (length > 0 && !rttTiming)
        {
            startRttTiming(sndNxt + length, nowNs);
        }
        sndNxt += length + (fin ? 1 : 0);
        if (gt(sndNxt, sndMax))
        {
            sndMax = sndNxt;
        }
        // RFC 6298 5.1: "Every time a packet containing data is sent (including a retransmission), if the timer
        // is not running, start it running so that it will expire after RTO seconds".
        if (rtoDeadlineNs == NEVER)
        {
            rtoDeadlineNs = nowNs + rtt.rtoNs();
        }
        return true;
    }

    private boolean retransmitFirstUnacked(final TcpEmitter emitter, final long nowNs)
    {
        final int dataEnd = sndBufSeq + sendRing.size();
        final int available = Math.max(0, dataEnd - sndUna);
        final int length = Math.min(available, maxPayload());
        final boolean fin = finQueued && sndUna + length == dataEnd && gt(sndMax, dataEnd);
        if (0 == length && !fin)
        {
            return true;
        }
        final int flags = FLAG_ACK | (fin ? FLAG_FIN : 0);
        if (!emit(emitter, sndUna, flags, sndUna - sndBufSeq, length, nowNs))
        {
            return false;
        }
        retransmittedSegments++;
        fastRetransmits++;
        rttTiming = false;
        if (rtoDeadlineNs == NEVER)
        {
            rtoDeadlineNs = nowNs + rtt.rtoNs();
        }
        return true;
    }

    /**
     * RFC 9293 3.8.6.1 (MUST-36): "The transmitting host SHOULD send the first zero-window probe when a zero
     * window has existed for the retransmission timeout period ... and SHOULD increase exponentially the
     * interval between successive probes." The probe carries one byte beyond the window.
     */
    private boolean sendProbe(final TcpEmitter emitter, final long nowNs)
    {
        final int dataEnd = sndBufSeq + sendRing.size();
        if (!lt(sndNxt, dataEnd))
        {
            persistProbePending = false;
            return true;
        }
        if (!emit(emitter, sndNxt, FLAG_ACK, sndNxt - sndBufSeq, 1, nowNs))
        {
            return false;
        }
        persistProbePending = false;
        probeOutstanding = true;
        sndNxt++;
        if (gt(sndNxt, sndMax))
        {
            sndMax = sndNxt;
        }
        rtoDeadlineNs = nowNs + rtt.rtoNs();
        return true;
    }

    private void updatePersistTimer(final long nowNs)
    {
        final int dataEnd = sndBufSeq + sendRing.size();
        if (0 == sndWnd && sndNxt == sndUna && lt(sndNxt, dataEnd))
        {
            if (persistDeadlineNs == NEVER)
            {
                persistDeadlineNs = nowNs + rtt.rtoNs();
            }
            rtoDeadlineNs = NEVER;
        }
        else
        {
            persistDeadlineNs = NEVER;
        }
    }

    /**
     * @return false when the connection was dropped.
     */
    private boolean onRetransmitTimeout(final long nowNs)
    {
        rtoDeadlineNs = NEVER;
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED)
        {
            if (++synRetransmissions > config.maxSynRetransmissions())
            {
                error = ERROR_TIMED_OUT;
                enterClosed();
                return false;
            }
            rtt.backoff();
            rttTiming = false;
            sndNxt = iss;
            return true;
        }
        if (sndUna == sndMax)
        {
            return true;
        }
        if (0 == sndWnd)
        {
            // the outstanding byte is a zero-window probe: probe again, without giving up on the connection
            // (RFC 9293 3.8.6.1 MUST-35: "A TCP implementation MUST NOT ... close the connection" while the
            // receiving window is zero and the receiver keeps acknowledging).
            rtt.backoff();
            sndNxt = sndUna;
            persistProbePending = true;
            return true;
        }
        // RFC 9293 3.8.3 R2: give up after repeated retransmissions.
        if (++retransmissions > config.maxRetransmissions())
        {
            error = ERROR_TIMED_OUT;
            queueReset(localAddr, localPort, remoteAddr, remotePort, sndMax, 0, FLAG_RST);
            enterClosed();
            return false;
        }
        // RFC 6298 5.4-5.6: retransmit the earliest unacknowledged segment, back off, restart the timer. The
        // whole window goes again (go-back-N) under the collapsed congestion window.
        retransmissionTimeouts++;
        congestion.onRetransmitTimeout(sndMax - sndUna, sndMax - 1);
        rtt.backoff();
        rttTiming = false;
        fastRetransmitPending = false;
        sndNxt = sndUna;
        return true;
    }

    private boolean emit(
        final TcpEmitter emitter,
        final int seq,
        final int flags,
        final int payloadRingOffset,
        final int payloadLength,
        final long nowNs)
    {
        final boolean syn = 0 != (flags & FLAG_SYN);
        final boolean hasAck = 0 != (flags & FLAG_ACK);
        final TcpOptionValues options = outOptions.reset();
        int window;
        if (syn)
        {
            options.mss(config.mss());
            final boolean offerScale = config.windowScaling() && (state == TcpState.SYN_SENT || peerOfferedWindowScale);
            if (offerScale)
            {
                options.windowScale(localWindowShift);
            }
            if (config.sack() && (state == TcpState.SYN_SENT || sackEnabled))
            {
                options.sackPermitted(true);
            }
            if (config.timestamps() && (state == TcpState.SYN_SENT || timestampsEnabled))
            {
                // RFC 7323 3.2: "The TSecr field is valid if the ACK bit is set ... When the ACK bit is not set,
                // the receiver MUST ignore the value of the TSecr field", so send 0 then.
                options.timestamps(timestampValue(nowNs), hasAck ? tsRecent : 0);
            }
            // RFC 7323 2.2: the window of a SYN is never scaled.
            window = Math.min(recvRing.free(), 0xFFFF);
        }
        else
        {
            if (timestampsEnabled)
            {
                options.timestamps(timestampValue(nowNs), tsRecent);
            }
            if (sackEnabled && hasAck && !assembler.isEmpty())
            {
                addSackBlocks(options);
                // RFC 6691: "the sender MUST reduce the TCP data length to account for any IP or TCP options
                // that it is including": a data segment sized for the MSS has no room for SACK blocks, which
                // then travel on the next pure ACK instead.
                if (payloadLength > 0 && payloadLength + TcpOptions.emittedLength(options) > sendMss)
                {
                    options.clearSackBlocks();
                }
            }
            window = windowField();
        }
        final int optionsLength = TcpOptions.emittedLength(options);
        final int tcpLength = TcpSegment.MIN_HEADER_LENGTH + optionsLength + payloadLength;
        final int offset = emitter.claim(localAddr, remoteAddr, tcpLength);
        if (offset < 0)
        {
            return false;
        }
        if (emitter.wantsBytes())
        {
            final TcpSegment out = outSegment.wrap(emitter.buffer(), offset, tcpLength);
            final int headerLength = out.emitHeader(localPort, remotePort, seq, hasAck ? rcvNxt : 0, flags, window, options);
            if (payloadLength > 0)
            {
                sendRing.readAt(payloadRingOffset, out.buffer(), headerLength, payloadLength);
            }
            out.fillChecksum(localAddr, remoteAddr);
        }
        emitter.commit();
        segmentsOut++;
        if (hasAck)
        {
            lastAckSent = rcvNxt;
            if (!syn)
            {
                final int rightEdge = rcvNxt + (window << rcvWndShift);
                if (gt(rightEdge, rcvAdvRightEdge))
                {
                    rcvAdvRightEdge = rightEdge;
                }
            }
            // A retransmission (old sequence number) may be entirely old to the peer, which then drops it with its
            // ACK field unread; only a segment at the highest sequence number counts as having sent the ACK.
            if (syn || !lt(seq, sndMax))
            {
                ackNow = false;
                windowUpdatePending = false;
                segmentsUnacked = 0;
                delayedAckDeadlineNs = NEVER;
            }
        }
        return true;
    }

    private void addSackBlocks(final TcpOptionValues options)
    {
        // RFC 2018 4: "The first SACK block (i.e., the one immediately following the kind and length fields in
        // the option) MUST specify the contiguous block of data containing the segment which triggered this ACK"
        // ... "The SACK option SHOULD be filled out by repeating the most recently reported SACK blocks (based on
        // first SACK blocks in previous SACK options) that are not subsets of a SACK block already included";
        // what room is left goes to the other held ranges in sequence order.
        final int maxBlocks = timestampsEnabled ? 3 : TcpOptionValues.MAX_SACK_BLOCKS;
        for (int r = 0; r < recentSackCount && options.sackBlockCount() < maxBlocks; r++)
        {
            addSackBlock(options, assembler.rangeContaining(recentSackSeqs[r] - rcvNxt));
        }
        for (int i = 0; i < assembler.rangeCount() && options.sackBlockCount() < maxBlocks; i++)
        {
            addSackBlock(options, i);
        }
    }

    private void addSackBlock(final TcpOptionValues options, final int range)
    {
        if (range < 0)
        {
            return; // that segment has since been delivered in order
        }
        final int left = rcvNxt + assembler.rangeStart(range);
        for (int b = 0; b < options.sackBlockCount(); b++)
        {
            if (options.sackLeft(b) == left)
            {
                return; // ranges are disjoint: the same left edge is the same range
            }
        }
        options.addSackBlock(left, rcvNxt + assembler.rangeEnd(range));
    }

    private void rememberSackTrigger(final int seq)
    {
        // move-to-front: drop an older entry in the same range so one range never takes two places
        final int range = assembler.rangeContaining(seq - rcvNxt);
        int last = Math.min(recentSackCount, recentSackSeqs.length - 1);
        for (int r = 0; r < recentSackCount; r++)
        {
            if (assembler.rangeContaining(recentSackSeqs[r] - rcvNxt) == range)
            {
                last = r;
                break;
            }
        }
        System.arraycopy(recentSackSeqs, 0, recentSackSeqs, 1, last);
        recentSackSeqs[0] = seq;
        recentSackCount = Math.max(recentSackCount, last + 1);
    }

    /**
     * RFC 9293 3.8.6.2.2 receiver SWS avoidance: "keep RCV.NXT+RCV.WND fixed until the reduction satisfies
     * RCV.BUFF - RCV.USER - RCV.WND >= min(Fr * RCV.BUFF, Eff.snd.MSS)" with Fr = 1/2; and never move the right
     * edge left (3.8.6 SHLD-14: "A TCP receiver SHOULD NOT shrink the window").
     *
     * @return the window field to send, scaled down by our shift, rounded up so the edge never recedes.
     */
    private int windowField()
    {
        int rightEdge = rcvNxt + recvRing.free();
        if (lt(rightEdge, rcvAdvRightEdge) ||
            rightEdge - rcvAdvRightEdge < Math.min(recvRing.capacity() >>> 1, config.mss()))
        {
            rightEdge = SeqNumber.max(rcvAdvRightEdge, rcvNxt);
        }
        final int window = rightEdge - rcvNxt;
        final int field = (window + (1 << rcvWndShift) - 1) >>> rcvWndShift;
        return Math.min(field, 0xFFFF);
    }

    private void checkWindowUpdate()
    {
        if (!state.acceptsData())
        {
            return;
        }
        final int advertised = rcvAdvRightEdge - rcvNxt;
        final int possible = recvRing.free();
        final int threshold = Math.min(recvRing.capacity() >>> 1, config.mss());
        // send an update when the offered window has closed below half the buffer and can open by the SWS amount
        if (advertised < (recvRing.capacity() >>> 1) && possible - advertised >= threshold)
        {
            windowUpdatePending = true;
        }
    }

    private boolean emitReset(final TcpEmitter emitter)
    {
        final int offset = emitter.claim(resetSrcAddr, resetDstAddr, TcpSegment.MIN_HEADER_LENGTH);
        if (offset < 0)
        {
            return false;
        }
        final TcpSegment out = outSegment.wrap(emitter.buffer(), offset, TcpSegment.MIN_HEADER_LENGTH);
        out.emitHeader(resetSrcPort, resetDstPort, resetSeq, resetAck, resetFlags, 0, outOptions.reset());
        out.fillChecksum(resetSrcAddr, resetDstAddr);
        emitter.commit();
        segmentsOut++;
        resetPending = false;
        return true;
    }

    /**
     * Emit the RST that RFC 9293 3.10.7.1 prescribes for a segment that reached no connection: "If the ACK bit is
     * off, sequence number zero is used, &lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;&lt;CTL=RST,ACK&gt;. If the ACK
     * bit is on, &lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;". Nothing is sent in reply to a RST.
     *
     * @param segment the unmatched segment.
     * @param emitter where the RST goes.
     * @param scratch flyweight to write with.
     * @return true when a RST was emitted.
     */
    public static boolean emitResetForUnmatched(
        final TcpSegmentRepr segment, final TcpEmitter emitter, final TcpSegment scratch)
    {
        if (segment.hasFlag(FLAG_RST))
        {
            return false;
        }
        final int offset = emitter.claim(segment.dstAddr(), segment.srcAddr(), TcpSegment.MIN_HEADER_LENGTH);
        if (offset < 0)
        {
            return false;
        }
        scratch.wrap(emitter.buffer(), offset, TcpSegment.MIN_HEADER_LENGTH);
        if (segment.hasFlag(FLAG_ACK))
        {
            scratch.emitHeader(segment.dstPort(), segment.srcPort(), segment.ack(), 0, FLAG_RST, 0, NO_OPTIONS);
        }
        else
        {
            scratch.emitHeader(segment.dstPort(), segment.srcPort(), 0, segment.seq() + segment.sequenceLength(),
                FLAG_RST | FLAG_ACK, 0, NO_OPTIONS);
        }
        scratch.fillChecksum(segment.dstAddr(), segment.srcAddr());
        emitter.commit();
        return true;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void bind(final int localAddr, final int localPort, final int remoteAddr, final int remotePort)
    {
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.remoteAddr = remoteAddr;
        this.remotePort = remotePort;
    }

    private void resetConnection()
    {
        sendRing.clear();
        recvRing.clear();
        assembler.clear();
        rtt.reset();
        error = ERROR_NONE;
        passiveOpen = false;
        finQueued = false;
        remoteFinReceived = false;
        remoteFinPending = false;
        remoteFinSeq = 0;
        recentSackCount = 0;
        Arrays.fill(recentSackSeqs, 0);
        sndWndShift = 0;
        rcvWndShift = 0;
        sendMss = DEFAULT_IPV4_MSS;
        timestampsEnabled = false;
        sackEnabled = false;
        peerOfferedWindowScale = false;
        tsRecent = 0;
        tsRecentNs = 0;
        lastAckSent = 0;
        rtoDeadlineNs = NEVER;
        persistDeadlineNs = NEVER;
        delayedAckDeadlineNs = NEVER;
        timeWaitDeadlineNs = NEVER;
        retransmissions = 0;
        synRetransmissions = 0;
        ackNow = false;
        segmentsUnacked = 0;
        windowUpdatePending = false;
        fastRetransmitPending = false;
        persistProbePending = false;
        probeOutstanding = false;
        rttTiming = false;
        irs = 0;
        rcvNxt = 0;
        rcvAdvRightEdge = 0;
        sndWnd = 0;
        maxSndWnd = 0;
        sndWl1 = 0;
        sndWl2 = 0;
    }

    private void initSend(final int iss)
    {
        this.iss = iss;
        sndUna = iss;
        sndNxt = iss;
        sndMax = iss;
        sndBufSeq = iss + 1;
    }

    /**
     * Take the peer's SYN: IRS, RCV.NXT and the options of RFC 9293 3.7.1, RFC 7323 and RFC 2018.
     */
    private void initReceive(final TcpSegmentRepr segment, final long nowNs)
    {
        final TcpOptionValues options = segment.options();
        irs = segment.seq();
        rcvNxt = irs + 1;
        lastAckSent = rcvNxt;
        rcvAdvRightEdge = rcvNxt + Math.min(recvRing.free(), 0xFFFF);
        // RFC 9293 3.7.1 (MUST-15): "If an MSS Option is not received at connection setup, TCP implementations
        // MUST assume a default send MSS of 536 (576 - 40) for IPv4".
        sendMss = Math.min(config.mss(), options.mss() > 0 ? options.mss() : DEFAULT_IPV4_MSS);
        // RFC 7323 2.2: "If a Window Scale option was received in the <SYN> ... and the TCP sent a Window Scale
        // option, then window scaling is enabled in both directions; otherwise both shift counts are zero."
        peerOfferedWindowScale = options.windowScale() >= 0;
        if (config.windowScaling() && peerOfferedWindowScale)
        {
            sndWndShift = options.windowScale();
            rcvWndShift = localWindowShift;
        }
        // RFC 7323 3.2: timestamps are enabled when both SYNs carry TSopt; RFC 2018 2 likewise for SACK.
        timestampsEnabled = config.timestamps() && options.hasTimestamps();
        if (timestampsEnabled)
        {
            tsRecent = options.tsVal();
            tsRecentNs = nowNs;
        }
        sackEnabled = config.sack() && options.sackPermitted();
    }

    private void establish()
    {
        state = TcpState.ESTABLISHED;
        congestion.init(maxPayload(), iss);
        retransmissions = 0;
        if (synRetransmissions > 0)
        {
            rtt.afterSynTimeout();
        }
        rtoDeadlineNs = sndUna == sndMax ? NEVER : rtoDeadlineNs;
        if (finQueued)
        {
            state = TcpState.FIN_WAIT_1;
        }
    }

    private void enterTimeWait(final long nowNs)
    {
        state = TcpState.TIME_WAIT;
        // RFC 9293 3.10.7.4: "Start the time-wait timer, turn off the other timers."
        timeWaitDeadlineNs = nowNs + 2 * config.maxSegmentLifetimeNs();
        rtoDeadlineNs = NEVER;
        persistDeadlineNs = NEVER;
        delayedAckDeadlineNs = NEVER;
    }

    private void enterClosed()
    {
        state = TcpState.CLOSED;
        rtoDeadlineNs = NEVER;
        persistDeadlineNs = NEVER;
        delayedAckDeadlineNs = NEVER;
        timeWaitDeadlineNs = NEVER;
        ackNow = false;
        windowUpdatePending = false;
        fastRetransmitPending = false;
        persistProbePending = false;
    }

    private void queueReset(
        final int srcAddr, final int srcPort, final int dstAddr, final int dstPort, final int seq, final int ack,
        final int flags)
    {
        resetPending = true;
        resetSrcAddr = srcAddr;
        resetSrcPort = srcPort;
        resetDstAddr = dstAddr;
        resetDstPort = dstPort;
        resetSeq = seq;
        resetAck = ack;
        resetFlags = flags;
    }

    private void startRttTiming(final int seq, final long nowNs)
    {
        rttTiming = true;
        rttSeq = seq;
        rttSentNs = nowNs;
    }

    private void takeRttSample(final int ack, final long nowNs)
    {
        // Karn: timing is cancelled whenever anything is retransmitted, so a sample here is from a segment sent once.
        if (rttTiming && ge(ack, rttSeq))
        {
            rtt.sample(nowNs - rttSentNs);
            rttTiming = false;
        }
    }

    private int finSeq()
    {
        return sndBufSeq + sendRing.size();
    }

    private int maxPayload()
    {
        // RFC 6691: the MSS counts data only, so room taken by options in every segment comes off it.
        return sendMss - (timestampsEnabled ? TIMESTAMP_OPTION_SPACE : 0);
    }

    private int timestampValue(final long nowNs)
    {
        // RFC 7323 5.4: a clock of 1 ms ticks plus an offset.
        return (int)(nowNs / 1_000_000L) + config.timestampOffset();
    }

    private void requireState(final TcpState expected, final String operation)
    {
        if (state != expected)
        {
            throw new IllegalStateException(operation + " needs state " + expected + " but state=" + state);
        }
    }

    private static void checkPort(final String name, final int port)
    {
        if (port < 1 || port > 0xFFFF)
        {
            throw new IllegalArgumentException(name + "=" + port + " not in [1, 65535]");
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    public TcpState state()
    {
        return state;
    }

    /**
     * @return {@code ERROR_*}: why the connection ended, {@link #ERROR_NONE} while open or after a clean close.
     */
    public int error()
    {
        return error;
    }

    public int localAddr()
    {
        return localAddr;
    }

    public int localPort()
    {
        return localPort;
    }

    public int remoteAddr()
    {
        return remoteAddr;
    }

    public int remotePort()
    {
        return remotePort;
    }

    public int iss()
    {
        return iss;
    }

    public int irs()
    {
        return irs;
    }

    public int sndUna()
    {
        return sndUna;
    }

    public int sndNxt()
    {
        return sndNxt;
    }

    /**
     * @return the send window in bytes, scaling applied.
     */
    public int sndWnd()
    {
        return sndWnd;
    }

    public int rcvNxt()
    {
        return rcvNxt;
    }

    /**
     * @return the receive window last advertised, in bytes from RCV.NXT.
     */
    public int rcvWnd()
    {
        return Math.max(0, rcvAdvRightEdge - rcvNxt);
    }

    public int sendMss()
    {
        return sendMss;
    }

    public int sndWndShift()
    {
        return sndWndShift;
    }

    public int rcvWndShift()
    {
        return rcvWndShift;
    }

    public boolean timestampsEnabled()
    {
        return timestampsEnabled;
    }

    public boolean sackEnabled()
    {
        return sackEnabled;
    }

    public NewReno congestion()
    {
        return congestion;
    }

    public RttEstimator rttEstimator()
    {
        return rtt;
    }

    public Assembler assembler()
    {
        return assembler;
    }

    public long retransmissionDeadlineNs()
    {
        return rtoDeadlineNs;
    }

    public long persistDeadlineNs()
    {
        return persistDeadlineNs;
    }

    public long delayedAckDeadlineNs()
    {
        return delayedAckDeadlineNs;
    }

    public long timeWaitDeadlineNs()
    {
        return timeWaitDeadlineNs;
    }

    public long segmentsIn()
    {
        return segmentsIn;
    }

    public long segmentsOut()
    {
        return segmentsOut;
    }

    public long retransmittedSegments()
    {
        return retransmittedSegments;
    }

    public long droppedOutOfOrder()
    {
        return droppedOutOfOrder;
    }

    public long retransmissionTimeouts()
    {
        return retransmissionTimeouts;
    }

    public long fastRetransmits()
    {
        return fastRetransmits;
    }

    /**
     * @return true once the peer's FIN has been received.
     */
    public boolean remoteClosed()
    {
        return remoteFinReceived;
    }

    /**
     * A 64-bit digest of the whole replicated state: sequence variables, options, timers, congestion and RTT
     * state, and the bytes held in both buffers. Equal inputs give equal digests; compare replicas with it.
     */
    public long digest()
    {
        long h = 0xCBF29CE484222325L;
        h = mix(h, state.ordinal());
        h = mix(h, localAddr);
        h = mix(h, listenAddr);
        h = mix(h, localPort);
        h = mix(h, remoteAddr);
        h = mix(h, remotePort);
        h = mix(h, passiveOpen ? 1 : 0);
        h = mix(h, error);
        h = mix(h, iss);
        h = mix(h, sndUna);
        h = mix(h, sndNxt);
        h = mix(h, sndMax);
        h = mix(h, sndWnd);
        h = mix(h, sndWl1);
        h = mix(h, sndWl2);
        h = mix(h, maxSndWnd);
        h = mix(h, sndBufSeq);
        h = mix(h, finQueued ? 1 : 0);
        h = mix(h, irs);
        h = mix(h, rcvNxt);
        h = mix(h, rcvAdvRightEdge);
        h = mix(h, remoteFinReceived ? 1 : 0);
        h = mix(h, remoteFinPending ? 1 : 0);
        h = mix(h, remoteFinSeq);
        h = mix(h, recentSackCount);
        for (int r = 0; r < recentSackCount; r++)
        {
            h = mix(h, recentSackSeqs[r]);
        }
        h = mix(h, sndWndShift);
        h = mix(h, rcvWndShift);
        h = mix(h, sendMss);
        h = mix(h, timestampsEnabled ? 1 : 0);
        h = mix(h, sackEnabled ? 1 : 0);
        h = mix(h, peerOfferedWindowScale ? 1 : 0);
        h = mix(h, tsRecent);
        h = mix(h, tsRecentNs);
        h = mix(h, lastAckSent);
        h = mix(h, rtoDeadlineNs);
        h = mix(h, persistDeadlineNs);
        h = mix(h, delayedAckDeadlineNs);
        h = mix(h, timeWaitDeadlineNs);
        h = mix(h, retransmissions);
        h = mix(h, synRetransmissions);
        h = mix(h, ackNow ? 1 : 0);
        h = mix(h, segmentsUnacked);
        h = mix(h, windowUpdatePending ? 1 : 0);
        h = mix(h, fastRetransmitPending ? 1 : 0);
        h = mix(h, persistProbePending ? 1 : 0);
        h = mix(h, probeOutstanding ? 1 : 0);
        h = mix(h, noDelay ? 1 : 0);
        h = mix(h, rttTiming ? 1 : 0);
        h = mix(h, rttSeq);
        h = mix(h, rttSentNs);
        h = mix(h, resetPending ? 1 : 0);
        h = mix(h, resetSeq);
        h = mix(h, resetAck);
        h = mix(h, resetFlags);
        h = mix(h, segmentsIn);
        h = mix(h, segmentsOut);
        h = mix(h, retransmittedSegments);
        h = mix(h, droppedOutOfOrder);
        h = mix(h, retransmissionTimeouts);
        h = mix(h, fastRetransmits);
        h = mix(h, rtt.srttNs());
        h = mix(h, rtt.rttvarNs());
        h = mix(h, rtt.rtoNs());
        h = congestion.digest(h);
        h = sendRing.digest(h, 0, sendRing.size());
        h = recvRing.digest(h, 0, recvRing.size());
        for (int i = 0; i < assembler.rangeCount(); i++)
        {
            final int start = assembler.rangeStart(i);
            final int end = assembler.rangeEnd(i);
            h = mix(h, start);
            h = mix(h, end);
            h = recvRing.digest(h, recvRing.size() + start, end - start);
        }
        return h;
    }

    /**
     * Make this socket an exact copy of {@code other}, which must have the same buffer capacities: afterwards
     * both produce the same outputs for the same inputs and have equal {@link #digest()}s.
     */
    public void copyFrom(final TcpSocket other)
    {
        sendRing.copyFrom(other.sendRing);
        recvRing.copyFrom(other.recvRing);
        assembler.copyFrom(other.assembler);
        rtt.copyFrom(other.rtt);
        congestion.copyFrom(other.congestion);
        state = other.state;
        localAddr = other.localAddr;
        listenAddr = other.listenAddr;
        localPort = other.localPort;
        remoteAddr = other.remoteAddr;
        remotePort = other.remotePort;
        passiveOpen = other.passiveOpen;
        error = other.error;
        iss = other.iss;
        sndUna = other.sndUna;
        sndNxt = other.sndNxt;
        sndMax = other.sndMax;
        sndWnd = other.sndWnd;
        sndWl1 = other.sndWl1;
        sndWl2 = other.sndWl2;
        maxSndWnd = other.maxSndWnd;
        sndBufSeq = other.sndBufSeq;
        finQueued = other.finQueued;
        irs = other.irs;
        rcvNxt = other.rcvNxt;
        rcvAdvRightEdge = other.rcvAdvRightEdge;
        remoteFinReceived = other.remoteFinReceived;
        remoteFinPending = other.remoteFinPending;
        remoteFinSeq = other.remoteFinSeq;
        System.arraycopy(other.recentSackSeqs, 0, recentSackSeqs, 0, recentSackSeqs.length);
        recentSackCount = other.recentSackCount;
        sndWndShift = other.sndWndShift;
        rcvWndShift = other.rcvWndShift;
        sendMss = other.sendMss;
        timestampsEnabled = other.timestampsEnabled;
        sackEnabled = other.sackEnabled;
        peerOfferedWindowScale = other.peerOfferedWindowScale;
        tsRecent = other.tsRecent;
        tsRecentNs = other.tsRecentNs;
        lastAckSent = other.lastAckSent;
        rtoDeadlineNs = other.rtoDeadlineNs;
        persistDeadlineNs = other.persistDeadlineNs;
        delayedAckDeadlineNs = other.delayedAckDeadlineNs;
        timeWaitDeadlineNs = other.timeWaitDeadlineNs;
        retransmissions = other.retransmissions;
        synRetransmissions = other.synRetransmissions;
        ackNow = other.ackNow;
        segmentsUnacked = other.segmentsUnacked;
        windowUpdatePending = other.windowUpdatePending;
        fastRetransmitPending = other.fastRetransmitPending;
        persistProbePending = other.persistProbePending;
        probeOutstanding = other.probeOutstanding;
        noDelay = other.noDelay;
        rttTiming = other.rttTiming;
        rttSeq = other.rttSeq;
        rttSentNs = other.rttSentNs;
        resetPending = other.resetPending;
        resetSrcAddr = other.resetSrcAddr;
        resetSrcPort = other.resetSrcPort;
        resetDstAddr = other.resetDstAddr;
        resetDstPort = other.resetDstPort;
        resetSeq = other.resetSeq;
        resetAck = other.resetAck;
        resetFlags = other.resetFlags;
        segmentsIn = other.segmentsIn;
        segmentsOut = other.segmentsOut;
        retransmittedSegments = other.retransmittedSegments;
        droppedOutOfOrder = other.droppedOutOfOrder;
        retransmissionTimeouts = other.retransmissionTimeouts;
        fastRetransmits = other.fastRetransmits;
    }

    static long mix(final long hash, final long value)
    {
        return IsnGenerator.mix(hash ^ value);
    }

    public String toString()
    {
        return "TcpSocket{" + state + " " + localPort + "->" + remotePort +
            " una=" + Integer.toUnsignedString(sndUna) + " nxt=" + Integer.toUnsignedString(sndNxt) +
            " wnd=" + sndWnd + " rcvNxt=" + Integer.toUnsignedString(rcvNxt) + " rcvWnd=" + rcvWnd() +
            " cwnd=" + congestion.cwnd() + " rto=" + rtt.rtoNs() / 1_000_000 + "ms srtt=" + rtt.srttNs() / 1000 +
            "us rtos=" + retransmissionTimeouts + " fastRtx=" + fastRetransmits + " rtx=" + retransmittedSegments +
            " oooDropped=" + droppedOutOfOrder + "}";
    }
}
