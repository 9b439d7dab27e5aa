package io.dominoes.channels.ring;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long randomized multi-thread runs of the ring on its smallest capacity (1 KiB, payloads up to
 * 120 bytes), so it wraps and fills constantly and every release/acquire pair is crossed millions of
 * times. Every payload carries its publisher, its sequence number and a checksum of its bytes; every
 * subscriber verifies all three, so a record read before it was complete, or after it was
 * overwritten, fails with the seed printed.
 *
 * <p>What each part catches (each was checked by breaking the ring on purpose):
 * <ul>
 *   <li><b>Torn or early records</b> (tail released before the record is written, or the release
 *       weakened so the JIT may sink the payload stores below it): a subscriber sees the new tail,
 *       reads stale or partial bytes: wrong sequence or checksum.</li>
 *   <li><b>Overwrite of unread records</b> (cursor released before the subscriber's reads are done,
 *       the publisher ignoring or mis-caching the slowest cursor, a wrong capacity check at the
 *       wrap): the publisher writes over a record a subscriber is reading: checksum or sequence
 *       failure, or a lost message.</li>
 *   <li><b>Multi-publisher commit order</b> (a publisher releasing its end while an earlier claim is
 *       still being written, which is the stale previous-lap record pitfall): the subscriber reads
 *       the unwritten claim as a record: wrong publisher, sequence or checksum. The publishers
 *       sometimes yield between claim and commit to hold that window open.</li>
 *   <li><b>Lost or overlapping claims</b> (a plain read-modify-write instead of the CAS on the claim
 *       tail): two publishers write the same space: checksum failures or lost messages.</li>
 * </ul>
 * On x86 (TSO) the hardware does not reorder stores with stores or loads with later stores, so a
 * missing release is caught only when the JIT reorders; a missing ordering <em>protocol</em> step
 * (the cases above as written) is caught on any hardware. Duration per part:
 * {@code -Ddominoes.stress.seconds} (default 5).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BroadcastRingStressTest
{
    private static final long RUN_NS = TimeUnit.SECONDS.toNanos(Long.getLong("dominoes.stress.seconds", 5));
    private static final int CAPACITY = RingDescriptor.MIN_CAPACITY;
    private static final int HEADER = 20; // publisher id (int), seq (long), checksum (long)

    @Test
    void singlePublisherTwoSubscribers() throws InterruptedException
    {
        run(false, 1, 2);
    }

    @Test
    void multiPublisherTwoPublishersTwoSubscribers() throws InterruptedException
    {
        run(true, 2, 2);
    }

    private static void run(final boolean multiPublisher, final int publishers, final int subscribers)
        throws InterruptedException
    {
        final long seed = Long.getLong("dominoes.stress.seed", System.nanoTime());
        final String label = (multiPublisher ? "multi" : "single") + "-publisher stress seed=" + seed +
            " (rerun with -Ddominoes.stress.seed=" + seed + ")";
        System.out.println(label);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean publishing = new AtomicBoolean(true);
        final long[] published = new long[publishers];
        // Each publisher's final count, -1 while running: the subscribers' stop condition.
        final AtomicLongArray finalCounts = new AtomicLongArray(publishers);
        for (int p = 0; p < publishers; p++)
        {
            finalCounts.set(p, -1);
        }
        final Verifier[] verifiers = new Verifier[subscribers];
        final List<Thread> threads = new ArrayList<>();

        try (BroadcastRing ring = BroadcastRing.builder()
            .capacity(CAPACITY).subscribers(subscribers).multiPublisher(multiPublisher).direct().build())
        {
            for (int p = 0; p < publishers; p++)
            {
                final int id = p;
                threads.add(new Thread(() ->
                {
                    try
                    {
                        published[id] = publish(ring.publisher(), id, seed + id, ring.maxMessageLength(), publishing);
                        finalCounts.set(id, published[id]);
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                }, "stress-publisher-" + p));
            }
            for (int s = 0; s < subscribers; s++)
            {
                final Verifier verifier = new Verifier(s, publishers);
                verifiers[s] = verifier;
                final Subscriber subscriber = ring.subscriber(s);
                final long pollSeed = seed ^ (0x5DEECE66DL * (s + 1));
                threads.add(new Thread(() ->
                {
                    try
                    {
                        consume(subscriber, verifier, pollSeed, finalCounts, failure);
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                }, "stress-subscriber-" + s));
            }
            threads.forEach(Thread::start);

            final long deadline = System.nanoTime() + RUN_NS;
            while (System.nanoTime() < deadline && null == failure.get())
            {
                Thread.sleep(50);
            }
            publishing.set(false);
            for (final Thread thread : threads)
            {
                thread.join(30_000);
                assertTrue(!thread.isAlive(), thread.getName() + " did not stop; " + label);
            }
        }

        if (null != failure.get())
        {
            throw new AssertionError(label + ": " + failure.get(), failure.get());
        }
        long total = 0;
        for (int p = 0; p < publishers; p++)
        {
            total += published[p];
            for (final Verifier verifier : verifiers)
            {
                assertEquals(published[p], verifier.next[p], "subscriber " + verifier.index + " publisher " + p + "; " + label);
            }
        }
        for (final Verifier verifier : verifiers)
        {
            // Same interleaving on every subscriber, not just the same per-publisher order.
            assertEquals(verifiers[0].orderHash, verifier.orderHash, "subscriber " + verifier.index + " order; " + label);
        }
        assertTrue(total > 1000, "too few messages to mean anything (" + total + "); " + label);
        System.out.println(label + ": " + total + " messages to each of " + subscribers + " subscribers");
    }

    private static long publish(
        final Publisher publisher, final int id, final long seed, final int maxLength, final AtomicBoolean running)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[maxLength]);
        final BufferClaim claim = new BufferClaim();
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 100_000);
        long seq = 0;
        while (running.get())
        {
            final int length = HEADER + random.nextInt(maxLength - HEADER + 1);
            final int mode = random.nextInt(16);
            long result;
            if (mode < 8)
            {
                write(payload, 0, id, seq, length, random);
                result = publisher.offer(id, payload, 0, length);
            }
            else
            {
                result = publisher.tryClaim(id, length, claim);
                if (result > 0)
                {
                    if (mode == 15)
                    {
                        // Hold a claim open across a yield: later publishers' commits must wait.
                        Thread.yield();
                    }
                    if (mode == 14)
                    {
                        fillJunk(claim.buffer(), claim.offset(), length, random);
                        claim.abort();
                        continue;
                    }
                    write(claim.buffer(), claim.offset(), id, seq, length, random);
                    claim.commit();
                }
            }
            if (result > 0)
            {
                seq++;
                idle.reset();
            }
            else if (result == ChannelResult.BACK_PRESSURED)
            {
                idle.idle();
            }
            else
            {
                throw new IllegalStateException("publisher " + id + " got " + ChannelResult.describe(result));
            }
        }
        return seq;
    }

    private static void write(
        final MutableDirectBuffer buffer, final int offset, final int id, final long seq, final int length,
        final SplittableRandom random)
    {
        buffer.putInt(offset, id);
        buffer.putLong(offset + 4, seq);
        long checksum = seq * 0x9E3779B97F4A7C15L + id;
        for (int i = HEADER; i < length; i++)
        {
            final byte b = (byte)random.nextInt();
            buffer.putByte(offset + i, b);
            checksum = checksum * 31 + b;
        }
        buffer.putLong(offset + 12, checksum);
    }

    private static void fillJunk(
        final MutableDirectBuffer buffer, final int offset, final int length, final SplittableRandom random)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(offset + i, (byte)random.nextInt());
        }
    }

    private static void consume(
        final Subscriber subscriber,
        final Verifier verifier,
        final long seed,
        final AtomicLongArray finalCounts,
        final AtomicReference<Throwable> failure)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 100_000);
        long drainDeadline = Long.MAX_VALUE;
        while (null == failure.get())
        {
            // Random batch sizes vary how far behind the tail each cursor release lands.
            final int read = subscriber.poll(verifier, 1 + random.nextInt(64));
            if (0 == read)
            {
                if (verifier.receivedAll(finalCounts))
                {
                    return;
                }
                if (verifier.publishersDone(finalCounts))
                {
                    if (drainDeadline == Long.MAX_VALUE)
                    {
                        drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    }
                    else if (System.nanoTime() > drainDeadline)
                    {
                        throw new AssertionError("subscriber " + verifier.index + " lost messages: got " +
                            java.util.Arrays.toString(verifier.next) + " of " + finalCounts);
                    }
                }
                idle.idle();
            }
            else
            {
                idle.reset();
            }
        }
    }

    /**
     * Checks publisher id, per-publisher sequence and checksum of every message.
     */
    static final class Verifier implements MessageHandler
    {
        final int index;
        final long[] next;
        long orderHash;

        Verifier(final int index, final int publishers)
        {
            this.index = index;
            this.next = new long[publishers];
        }

        public void onMessage(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
        {
            final int id = buffer.getInt(offset);
            if (length < HEADER || id != msgTypeId || id < 0 || id >= next.length)
            {
                throw new AssertionError("subscriber " + index + " got a malformed record: type " + msgTypeId +
                    ", id " + id + ", length " + length);
            }
            final long seq = buffer.getLong(offset + 4);
            if (seq != next[id])
            {
                throw new AssertionError("subscriber " + index + " publisher " + id + " expected seq " + next[id] +
                    " got " + seq);
            }
            long checksum = seq * 0x9E3779B97F4A7C15L + id;
            for (int i = HEADER; i < length; i++)
            {
                checksum = checksum * 31 + buffer.getByte(offset + i);
            }
            if (checksum != buffer.getLong(offset + 12))
            {
                throw new AssertionError("subscriber " + index + " publisher " + id + " seq " + seq +
                    " checksum mismatch (torn or overwritten record)");
            }
            next[id] = seq + 1;
            orderHash = orderHash * 1_000_003 + id * 7919L + seq;
        }

        boolean publishersDone(final AtomicLongArray finalCounts)
        {
            for (int p = 0; p < next.length; p++)
            {
                if (finalCounts.get(p) < 0)
                {
                    return false;
                }
            }
            return true;
        }

        boolean receivedAll(final AtomicLongArray finalCounts)
        {
            for (int p = 0; p < next.length; p++)
            {
                if (finalCounts.get(p) != next[p])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
