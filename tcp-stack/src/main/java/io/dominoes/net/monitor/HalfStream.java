package io.dominoes.net.monitor;

import io.dominoes.net.tcp.Assembler;
import io.dominoes.net.tcp.ByteRing;
import io.dominoes.net.wire.SeqNumber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reassembly of one direction of a monitored TCP connection: bytes are handed to the {@link StreamSink} in
 * sequence order, each once. Out-of-order data waits in a {@link ByteRing} (at its offset from the next expected
 * sequence number) with its extent kept by the stack's {@link Assembler}, so memory per direction is bounded
 * by the ring's capacity and the number of holes by the assembler's.
 * <p>
 * Policies (a passive observer cannot ask anyone, so these are decisions, documented here and in the tests):
 * <ul>
 * <li><b>Start.</b> A SYN fixes the initial sequence number (data starts at ISN + 1). Without a SYN, the
 * first segment seen in this direction fixes the start; earlier bytes seen later count as duplicates.</li>
 * <li><b>Overlaps and retransmissions: first copy wins</b> (Suricata's default "first" policy, and
 * tshark's): a byte already delivered or already held is never replaced. Retransmitted bytes are counted in
 * {@link #duplicateBytes()}, and held bytes that a later copy contradicts in {@link #conflictBytes()}.</li>
 * <li><b>Holes.</b> A hole is skipped only when the peer has acknowledged past the start of the data held
 * after it (the bytes reached the receiver; only the capture missed them), which is what tshark's
 * "follow" does; the sink gets {@link StreamSink#onGap}. A hole never acknowledged stops the stream there:
 * the data held behind it is discarded when the connection ends and counted as
 * {@link MonitorDrop#UNACKED_HOLE_BYTES}.</li>
 * <li><b>Window.</b> The receiver's advertised window and window scale are irrelevant: acceptance is bounded
 * only by this ring's capacity (bytes beyond it are counted as {@link MonitorDrop#OUT_OF_WINDOW_BYTES}).
 * ACK numbers are never checked against anything; they only feed the hole rule of the other direction.</li>
 * <li><b>Keep-alives</b> (one old byte at next expected - 1, RFC 9293 3.8.4) are counted, not delivered.</li>
 * <li><b>End.</b> FIN marks the end of this direction at its sequence number; data after a FIN is dropped.</li>
 * </ul>
 */
public final class HalfStream
{
    private final TcpConnection connection;
    private final int direction;
    private final long[] drops;
    private ByteRing ring;
    private Assembler assembler;
    private UnsafeBuffer scratch;

    private boolean started;
    private boolean synSeen;
    private int isn;
    private int nextSeq;
    private boolean finSeen;
    private int finSeq;
    private boolean rstSeen;
    private boolean peerAckValid;
    private int peerAck;

    private long segments;
    private long payloadBytes;
    private long deliveredBytes;
    private long duplicateBytes;
    private long conflictBytes;
    private long keepAlives;
    private long gaps;
    private long gapBytes;
    private long outOfOrderSegments;
    private long droppedBytes;

    HalfStream(final TcpConnection connection, final int direction, final long[] drops)
    {
        this.connection = connection;
        this.direction = direction;
        this.drops = drops;
    }

    void attach(final ByteRing ring, final Assembler assembler, final UnsafeBuffer scratch)
    {
        this.ring = ring;
        this.assembler = assembler;
        this.scratch = scratch;
    }

    void reset()
    {
        ring.clear();
        assembler.clear();
        started = false;
        synSeen = false;
        isn = 0;
        nextSeq = 0;
        finSeen = false;
        finSeq = 0;
        rstSeen = false;
        peerAckValid = false;
        peerAck = 0;
        segments = 0;
        payloadBytes = 0;
        deliveredBytes = 0;
        duplicateBytes = 0;
        conflictBytes = 0;
        keepAlives = 0;
        gaps = 0;
        gapBytes = 0;
        outOfOrderSegments = 0;
        droppedBytes = 0;
    }

    /**
     * Copy the figures {@link ConnectionStats} reports from {@code other} (for a detached snapshot; no ring).
     */
    void copyStatsFrom(final HalfStream other)
    {
        synSeen = other.synSeen;
        finSeen = other.finSeen;
        segments = other.segments;
        payloadBytes = other.payloadBytes;
        deliveredBytes = other.deliveredBytes;
        duplicateBytes = other.duplicateBytes;
        conflictBytes = other.conflictBytes;
        keepAlives = other.keepAlives;
        gaps = other.gaps;
        gapBytes = other.gapBytes;
        outOfOrderSegments = other.outOfOrderSegments;
        droppedBytes = other.droppedBytes;
    }

    /**
     * One segment sent in this direction.
     */
    void onSegment(
        final int seq, final boolean syn, final boolean fin, final boolean rst,
        final DirectBuffer buffer, final int payloadOffset, final int payloadLength, final StreamSink sink)
    {
        segments++;
        payloadBytes += payloadLength;
        if (syn)
        {
            if (!started)
            {
                started = true;
                synSeen = true;
                isn = seq;
                nextSeq = seq + 1;
            }
            else if (!synSeen && 0 == deliveredBytes && assembler.isEmpty() && SeqNumber.lt(seq, nextSeq))
            {
                // the SYN was captured after a segment of this direction (reordering): restart from it
                synSeen = true;
                isn = seq;
                nextSeq = seq + 1;
            }
        }
        if (!started)
        {
            started = true;
            nextSeq = seq;
        }
        int dataSeq = syn ? seq + 1 : seq;
        if (payloadLength > 0)
        {
            if (finSeen && SeqNumber.ge(dataSeq, finSeq))
            {
                countDrop(MonitorDrop.OUT_OF_WINDOW_BYTES, payloadLength);
            }
            else
            {
                onData(dataSeq, buffer, payloadOffset, payloadLength, sink);
            }
        }
        if (fin && !finSeen)
        {
            finSeen = true;
            finSeq = dataSeq + payloadLength;
        }
        if (rst)
        {
            rstSeen = true;
        }
        tryGapSkip(sink);
    }

    private void onData(
        final int seq, final DirectBuffer buffer, final int payloadOffset, final int payloadLength, final StreamSink sink)
    {
        int rel = seq - nextSeq;
        int offset = payloadOffset;
        int length = payloadLength;
        if (rel < 0)
        {
            if (rel + length <= 0)
            {
                if (1 == length && -1 == rel)
                {
                    // RFC 9293 3.8.4: a keep-alive carries "one octet of data" at SND.NXT - 1 for compatibility
                    keepAlives++;
                }
                else
                {
                    duplicateBytes += length;
                }
                return;
            }
            duplicateBytes += -rel;
            offset += -rel;
            length += rel;
            rel = 0;
        }
        if (rel >= ring.capacity())
        {
            countDrop(MonitorDrop.OUT_OF_WINDOW_BYTES, length);
            return;
        }
        if (rel + length > ring.capacity())
        {
            countDrop(MonitorDrop.OUT_OF_WINDOW_BYTES, rel + length - ring.capacity());
            length = ring.capacity() - rel;
        }
        if (0 == rel && assembler.isEmpty())
        {
            // the common case: in order, nothing held; deliver straight from the frame
            nextSeq += length;
            deliveredBytes += length;
            sink.onData(connection, direction, buffer, offset, length);
            return;
        }
        if (rel > 0)
        {
            outOfOrderSegments++;
        }
        writeNew(rel, buffer, offset, length);
        if (0 == rel)
        {
            deliverFromRing(length + assembler.advance(length), sink);
        }
        else if (!assembler.add(rel, length))
        {
            countDrop(MonitorDrop.TOO_MANY_HOLES_BYTES, length);
        }
    }

    /**
     * Writes into the ring only the bytes of {@code [rel, rel + length)} that no held range covers (first copy
     * wins), comparing the covered ones to count conflicts.
     */
    private void writeNew(final int rel, final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = rel + length;
        int cursor = rel;
        for (int i = 0; i < assembler.rangeCount() && cursor < end; i++)
        {
            final int rs = assembler.rangeStart(i);
            final int re = assembler.rangeEnd(i);
            if (re <= cursor)
            {
                continue;
            }
            if (rs >= end)
            {
                break;
            }
            if (rs > cursor)
            {
                ring.writeAt(cursor, buffer, offset + (cursor - rel), rs - cursor);
                cursor = rs;
            }
            final int overlapEnd = Math.min(re, end);
            countOverlap(cursor, overlapEnd - cursor, buffer, offset + (cursor - rel));
            cursor = overlapEnd;
        }
        if (cursor < end)
        {
            ring.writeAt(cursor, buffer, offset + (cursor - rel), end - cursor);
        }
    }

    private void countOverlap(final int rel, final int length, final DirectBuffer buffer, final int offset)
    {
        duplicateBytes += length;
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(length - done, scratch.capacity());
            ring.readAt(rel + done, scratch, 0, n);
            for (int i = 0; i < n; i++)
            {
                if (scratch.getByte(i) != buffer.getByte(offset + done + i))
                {
                    conflictBytes++;
                }
            }
            done += n;
        }
    }

    private void deliverFromRing(final int total, final StreamSink sink)
    {
        ring.commit(total);
        int done = 0;
        while (done < total)
        {
            final int n = Math.min(total - done, scratch.capacity());
            ring.readAt(0, scratch, 0, n);
            ring.consume(n);
            sink.onData(connection, direction, scratch, 0, n);
            done += n;
        }
        nextSeq += total;
        deliveredBytes += total;
    }

    /**
     * The peer acknowledged {@code ack} (from a segment of the other direction with ACK set).
     */
    void onPeerAck(final int ack, final StreamSink sink)
    {
        if (!peerAckValid || SeqNumber.gt(ack, peerAck))
        {
            peerAck = ack;
            peerAckValid = true;
        }
        tryGapSkip(sink);
    }

    private void tryGapSkip(final StreamSink sink)
    {
        // tshark's rule: the hole before the first held range was lost by the capture if the receiver
        // acknowledged beyond where that held range begins.
        while (peerAckValid && !assembler.isEmpty() && SeqNumber.gt(peerAck, nextSeq + assembler.rangeStart(0)))
        {
            final int hole = assembler.rangeStart(0);
            gaps++;
            gapBytes += hole;
            sink.onGap(connection, direction, hole);
            final int extra = assembler.advance(hole);
            ring.commit(hole);
            ring.consume(hole);
            nextSeq += hole;
            deliverFromRing(extra, sink);
        }
    }

    /**
     * End of the connection: skip acknowledged holes, count what stays held behind an unacknowledged one.
     */
    void finish(final StreamSink sink)
    {
        tryGapSkip(sink);
        if (!assembler.isEmpty())
        {
            long held = 0;
            for (int i = 0; i < assembler.rangeCount(); i++)
            {
                held += assembler.rangeEnd(i) - assembler.rangeStart(i);
            }
            countDrop(MonitorDrop.UNACKED_HOLE_BYTES, held);
            assembler.clear();
        }
    }

    private void countDrop(final int reason, final long bytes)
    {
        drops[reason] += bytes;
        droppedBytes += bytes;
    }

    /** @return true when a FIN has been seen and every byte before it delivered. */
    public boolean finished()
    {
        return finSeen && nextSeq == finSeq && assembler.isEmpty();
    }

    public int direction()
    {
        return direction;
    }

    public boolean synSeen()
    {
        return synSeen;
    }

    public int isn()
    {
        return isn;
    }

    public int nextSeq()
    {
        return nextSeq;
    }

    public boolean finSeen()
    {
        return finSeen;
    }

    public boolean rstSeen()
    {
        return rstSeen;
    }

    public long segments()
    {
        return segments;
    }

    public long payloadBytes()
    {
        return payloadBytes;
    }

    public long deliveredBytes()
    {
        return deliveredBytes;
    }

    public long duplicateBytes()
    {
        return duplicateBytes;
    }

    public long conflictBytes()
    {
        return conflictBytes;
    }

    public long keepAlives()
    {
        return keepAlives;
    }

    public long gaps()
    {
        return gaps;
    }

    public long gapBytes()
    {
        return gapBytes;
    }

    public long outOfOrderSegments()
    {
        return outOfOrderSegments;
    }

    public long droppedBytes()
    {
        return droppedBytes;
    }

    /** @return bytes held out of order now. */
    public int heldBytes()
    {
        int held = 0;
        for (int i = 0; i < assembler.rangeCount(); i++)
        {
            held += assembler.rangeEnd(i) - assembler.rangeStart(i);
        }
        return held;
    }
}
