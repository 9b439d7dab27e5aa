package io.dominoes.net.device;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * Wraps a {@link Device} and, in both directions, loses, duplicates, corrupts, reorders and delays
 * frames, decided by a seeded generator and the caller's {@code nowNs}: the same seed, config and
 * call sequence gives the same faults, so a failing simulation replays.
 * <p>
 * Every frame (received from the inner device, or given to {@link #transmit}) enters a per-direction
 * {@link FrameQueue} with a due time; it leaves when {@code nowNs} reaches it. Outbound frames are
 * flushed to the inner device on every call, so a poll loop that only receives still sends.
 */
public final class FaultInjectingDevice implements Device
{
    private final Device inner;
    private final FaultConfig config;
    private final SplittableRandom random;
    private final FrameQueue inbound;
    private final FrameQueue outbound;
    private final UnsafeBuffer scratch;

    private long lost;
    private long duplicated;
    private long corrupted;
    private long reordered;
    private long overflowed;

    /**
     * @param inner  device to wrap; closed with this one.
     * @param config faults to apply.
     * @param seed   of the fault decisions (print it in tests).
     */
    public FaultInjectingDevice(final Device inner, final FaultConfig config, final long seed)
    {
        this.inner = inner;
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.inbound = new FrameQueue(config.framesInFlight(), inner.maxFrameLength());
        this.outbound = new FrameQueue(config.framesInFlight(), inner.maxFrameLength());
        this.scratch = new UnsafeBuffer(new byte[inner.maxFrameLength()]);
    }

    /**
     * {@inheritDoc}
     */
    public int receive(final long nowNs, final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        flushOutbound(nowNs);
        while (!inbound.isFull())
        {
            final int n = inner.receive(nowNs, scratch, 0, scratch.capacity());
            if (n <= 0)
            {
                break;
            }
            admit(nowNs, inbound, n);
        }
        int n;
        do
        {
            n = inbound.poll(nowNs, buffer, offset, capacity); // -1: oversize, skipped
        }
        while (n < 0);
        return n;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Returns true once the frame is accepted into the fault stage, even if a fault then drops it
     * (a lossy link also "accepts" what it loses). False only if the stage is full.
     */
    public boolean transmit(final long nowNs, final DirectBuffer buffer, final int offset, final int length)
    {
        flushOutbound(nowNs);
        if (outbound.isFull())
        {
            return false;
        }
        if (length > scratch.capacity())
        {
            throw new IllegalArgumentException("frame length=" + length + " exceeds maxFrameLength=" + scratch.capacity());
        }
        scratch.putBytes(0, buffer, offset, length);
        admit(nowNs, outbound, length);
        flushOutbound(nowNs);
        return true;
    }

    /**
     * @return the earliest time a delayed frame becomes due in either direction, or Long.MAX_VALUE.
     */
    public long nextDueNs()
    {
        return Math.min(inbound.earliestDueNs(), outbound.earliestDueNs());
    }

    private void flushOutbound(final long nowNs)
    {
        int slot;
        while ((slot = outbound.firstDue(nowNs)) >= 0)
        {
            if (!inner.transmit(nowNs, outbound.storage(), outbound.offsetOf(slot), outbound.lengthAt(slot)))
            {
                return; // inner busy: keep the frame, retry on the next call
            }
            outbound.remove(slot);
        }
    }

    /**
     * Apply the faults to the frame in {@code scratch[0, length)} and queue what survives.
     */
    private void admit(final long nowNs, final FrameQueue queue, final int length)
    {
        if (hit(config.lossRate()))
        {
            lost++;
            return;
        }
        if (length > 0 && hit(config.corruptRate()))
        {
            final int index = random.nextInt(length);
            scratch.putByte(index, (byte)(scratch.getByte(index) ^ (1 << random.nextInt(8))));
            corrupted++;
        }
        long due = nowNs + config.delayNs() + (config.jitterNs() > 0 ? random.nextLong(config.jitterNs() + 1) : 0);
        if (hit(config.reorderRate()))
        {
            due += config.reorderDelayNs();
            reordered++;
        }
        enqueue(queue, due, length);
        if (hit(config.duplicateRate()))
        {
            duplicated++;
            enqueue(queue, due, length);
        }
    }

    private void enqueue(final FrameQueue queue, final long due, final int length)
    {
        if (!queue.offer(due, scratch, 0, length))
        {
            overflowed++;
        }
    }

    private boolean hit(final double rate)
    {
        return rate > 0 && random.nextDouble() < rate;
    }

    public long lost()
    {
        return lost;
    }

    public long duplicated()
    {
        return duplicated;
    }

    public long corrupted()
    {
        return corrupted;
    }

    public long reordered()
    {
        return reordered;
    }

    public long overflowed()
    {
        return overflowed;
    }

    /**
     * {@inheritDoc}
     */
    public int mtu()
    {
        return inner.mtu();
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        inner.close();
    }
}
