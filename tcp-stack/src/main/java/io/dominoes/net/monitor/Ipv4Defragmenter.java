package io.dominoes.net.monitor;

import io.dominoes.net.tcp.Assembler;
import io.dominoes.net.wire.Ipv4Packet;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * IPv4 reassembly (RFC 791 3.2, "reassembly") for a passive monitor, in bounded memory: a fixed number of
 * slots, each a preallocated 64 KiB datagram buffer plus an {@link Assembler} recording which payload
 * offsets have arrived. Keyed by (source, destination, protocol, identification) as RFC 791 says: "The
 * identification field is used to distinguish the fragments of one datagram from those of another."
 * <p>
 * Policies, chosen to be stated rather than clever:
 * <ul>
 * <li>Overlapping fragments: the first copy of a byte wins (bytes already held are never overwritten),
 * the same rule as the TCP reassembly; overlapping bytes are counted in {@link #overlapBytes()}.</li>
 * <li>The header of the reassembled datagram is the offset-0 fragment's, with total length, flags and
 * fragment offset rewritten and the header checksum recomputed.</li>
 * <li>A slot is freed when its datagram completes, when it is older than the timeout (checked whenever a
 * fragment arrives; Linux's ipfrag_time is 30 s), or when the oldest one is evicted for a new datagram.
 * Expired datagrams are counted in {@link #expiredDatagrams()}.</li>
 * </ul>
 * Returns of {@link #onFragment}: a completed datagram's length (read it from {@link #datagramBuffer()}),
 * 0 while incomplete, or a negative {@link MonitorDrop} reason negated minus one. Never throws for
 * packet contents.
 */
public final class Ipv4Defragmenter
{
    /** Largest datagram: the total length field is 16 bits. */
    public static final int MAX_DATAGRAM = 0xFFFF;

    private final int slotCount;
    private final long timeoutNs;
    private final UnsafeBuffer[] buffers;
    private final Assembler[] coverage;
    private final int[] srcAddr;
    private final int[] dstAddr;
    private final int[] protoId;
    private final int[] payloadTotal;
    private final int[] headerLength;
    private final long[] firstSeenNs;
    private final boolean[] inUse;
    private final UnsafeBuffer out = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_DATAGRAM + 1, 64));
    private long overlapBytes;
    private long expiredDatagrams;
    private long completedDatagrams;

    /**
     * @param slotCount datagrams reassembled at once (memory is about 64 KiB each), at least 1.
     * @param maxHoles  disjoint received ranges tracked per datagram, at least 1.
     * @param timeoutNs an incomplete datagram older than this is dropped.
     */
    public Ipv4Defragmenter(final int slotCount, final int maxHoles, final long timeoutNs)
    {
        if (slotCount < 1 || slotCount > 4096)
        {
            throw new IllegalArgumentException("slotCount=" + slotCount + " not in [1, 4096]");
        }
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("timeoutNs=" + timeoutNs + " must be > 0");
        }
        this.slotCount = slotCount;
        this.timeoutNs = timeoutNs;
        buffers = new UnsafeBuffer[slotCount];
        coverage = new Assembler[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            buffers[i] = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_DATAGRAM + 1 + Ipv4Packet.MAX_HEADER_LENGTH, 64));
            coverage[i] = new Assembler(maxHoles);
        }
        srcAddr = new int[slotCount];
        dstAddr = new int[slotCount];
        protoId = new int[slotCount];
        payloadTotal = new int[slotCount];
        headerLength = new int[slotCount];
        firstSeenNs = new long[slotCount];
        inUse = new boolean[slotCount];
    }

    /**
     * Add one fragment (a packet that {@link Ipv4Packet#parse()} accepted and whose {@link Ipv4Packet#isFragment()}
     * is true).
     *
     * @return length of the reassembled datagram now in {@link #datagramBuffer()} at offset 0 (valid until the
     * next call), 0 if the datagram is still incomplete, or {@code -(reason + 1)} for a {@link MonitorDrop}
     * reason when the fragment was dropped.
     */
    public int onFragment(final Ipv4Packet ip, final long nowNs)
    {
        expireOld(nowNs);
        final int fragOffset = ip.fragmentOffset();
        final int length = ip.payloadLength();
        final boolean more = ip.moreFragments();
        final int end = fragOffset + length;
        // RFC 791: every fragment but the last carries a multiple of 8 octets ("the data ... must be a multiple of
        // 8 octets" for fragments with more-fragments set), and the datagram cannot exceed 65535 octets.
        if ((more && (0 == length || 0 != (length & 7))) || end + ip.headerLength() > MAX_DATAGRAM)
        {
            return -(MonitorDrop.FRAGMENT_MALFORMED + 1);
        }
        final int key = (ip.protocol() << 16) | ip.identification();
        int slot = find(ip.sourceAddress(), ip.destinationAddress(), key);
        if (slot < 0)
        {
            slot = allocate(nowNs);
            srcAddr[slot] = ip.sourceAddress();
            dstAddr[slot] = ip.destinationAddress();
            protoId[slot] = key;
            payloadTotal[slot] = -1;
            headerLength[slot] = -1;
            firstSeenNs[slot] = nowNs;
            coverage[slot].clear();
            inUse[slot] = true;
        }
        final int total = payloadTotal[slot];
        if (!more)
        {
            if (total >= 0 && total != end)
            {
                return -(MonitorDrop.FRAGMENT_MALFORMED + 1);
            }
            if (coverage[slot].highestEnd() > end)
            {
                return -(MonitorDrop.FRAGMENT_MALFORMED + 1);
            }
        }
        else if (total >= 0 && end > total)
        {
            return -(MonitorDrop.FRAGMENT_MALFORMED + 1);
        }
        if (length > 0 && !record(slot, ip, fragOffset, length))
        {
            return -(MonitorDrop.FRAGMENT_TOO_MANY_HOLES + 1);
        }
        if (!more)
        {
            payloadTotal[slot] = end;
        }
        if (0 == fragOffset)
        {
            headerLength[slot] = ip.headerLength();
            buffers[slot].putBytes(0, ip.buffer(), ip.offset(), ip.headerLength());
        }
        return tryComplete(slot);
    }

    private boolean record(final int slot, final Ipv4Packet ip, final int fragOffset, final int length)
    {
        final Assembler ranges = coverage[slot];
        final UnsafeBuffer data = buffers[slot];
        final int base = Ipv4Packet.MAX_HEADER_LENGTH;
        final int end = fragOffset + length;
        // first copy wins: write only the parts no earlier fragment supplied
        int cursor = fragOffset;
        int written = 0;
        for (int i = 0; i < ranges.rangeCount() && cursor < end; i++)
        {
            final int rs = ranges.rangeStart(i);
            final int re = ranges.rangeEnd(i);
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
                data.putBytes(base + cursor, ip.buffer(), ip.payloadOffset() + (cursor - fragOffset), rs - cursor);
                written += rs - cursor;
            }
            cursor = Math.max(cursor, re);
        }
        if (cursor < end)
        {
            data.putBytes(base + cursor, ip.buffer(), ip.payloadOffset() + (cursor - fragOffset), end - cursor);
            written += end - cursor;
        }
        if (!ranges.add(fragOffset, length))
        {
            return false;
        }
        overlapBytes += length - written;
        return true;
    }

    private int tryComplete(final int slot)
    {
        final int total = payloadTotal[slot];
        final Assembler ranges = coverage[slot];
        if (total < 0 || headerLength[slot] < 0 || ranges.rangeCount() != 1 || ranges.rangeStart(0) != 0 ||
            ranges.rangeEnd(0) != total)
        {
            return 0;
        }
        final int hl = headerLength[slot];
        final UnsafeBuffer data = buffers[slot];
        out.putBytes(0, data, 0, hl);
        out.putBytes(hl, data, Ipv4Packet.MAX_HEADER_LENGTH, total);
        out.putShort(Ipv4Packet.TOTAL_LENGTH_OFFSET, (short)(hl + total), java.nio.ByteOrder.BIG_ENDIAN);
        final int flags = out.getShort(Ipv4Packet.FLAGS_FRAGMENT_OFFSET, java.nio.ByteOrder.BIG_ENDIAN) &
            Ipv4Packet.FLAG_DONT_FRAGMENT;
        out.putShort(Ipv4Packet.FLAGS_FRAGMENT_OFFSET, (short)flags, java.nio.ByteOrder.BIG_ENDIAN);
        Ipv4Packet.fillChecksum(out, 0, hl);
        inUse[slot] = false;
        completedDatagrams++;
        return hl + total;
    }

    private int find(final int src, final int dst, final int key)
    {
        for (int i = 0; i < slotCount; i++)
        {
            if (inUse[i] && srcAddr[i] == src && dstAddr[i] == dst && protoId[i] == key)
            {
                return i;
            }
        }
        return -1;
    }

    private int allocate(final long nowNs)
    {
        int oldest = 0;
        for (int i = 0; i < slotCount; i++)
        {
            if (!inUse[i])
            {
                return i;
            }
            if (firstSeenNs[i] < firstSeenNs[oldest])
            {
                oldest = i;
            }
        }
        expiredDatagrams++;
        inUse[oldest] = false;
        return oldest;
    }

    private void expireOld(final long nowNs)
    {
        for (int i = 0; i < slotCount; i++)
        {
            if (inUse[i] && nowNs - firstSeenNs[i] > timeoutNs)
            {
                inUse[i] = false;
                expiredDatagrams++;
            }
        }
    }

    /**
     * Drop every incomplete datagram (end of input); they count as expired.
     */
    public void flush()
    {
        for (int i = 0; i < slotCount; i++)
        {
            if (inUse[i])
            {
                inUse[i] = false;
                expiredDatagrams++;
            }
        }
    }

    /**
     * @return the buffer holding the datagram most recently completed, at offset 0.
     */
    public UnsafeBuffer datagramBuffer()
    {
        return out;
    }

    /**
     * @return datagrams being reassembled.
     */
    public int pendingDatagrams()
    {
        int n = 0;
        for (int i = 0; i < slotCount; i++)
        {
            n += inUse[i] ? 1 : 0;
        }
        return n;
    }

    public long overlapBytes()
    {
        return overlapBytes;
    }

    public long expiredDatagrams()
    {
        return expiredDatagrams;
    }

    public long completedDatagrams()
    {
        return completedDatagrams;
    }
}
