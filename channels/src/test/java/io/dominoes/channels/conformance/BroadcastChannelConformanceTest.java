package io.dominoes.channels.conformance;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract of {@link BroadcastChannel} (see its javadoc), run against every implementation: a
 * subclass per implementation supplies the channel (JCTools {@code QueueSanityTest} style).
 *
 * <h2>Hooks</h2>
 * <ul>
 *   <li>{@link #newChannel(int)} (required): a fresh, empty channel with that many subscribers,
 *       ready to publish to (a channel that needs time to connect may return
 *       {@link ChannelResult#NOT_CONNECTED} for a while; the suite retries every retryable
 *       result). The suite closes every channel it creates.</li>
 *   <li>{@link #approximateCapacityBytes()}: roughly how many bytes of messages the channel holds
 *       before a stalled subscriber back-pressures the publisher (a ring's capacity, an Aeron term
 *       window, a Chronicle lag bound). The suite publishes many times this much to force wraps,
 *       and expects back-pressure within {@value #STALL_FACTOR} times this much.</li>
 *   <li>{@link #assertResourcesReleased()}: called after {@code close()}; check that the files and
 *       directories the subclass gave the channel are gone. Threads are checked by the suite.</li>
 * </ul>
 *
 * <h2>Messages</h2>
 * Message {@code seq} (counted from 0 over committed messages) has type {@code (int)seq}, a length
 * chosen by the test, and payload byte {@code i} equal to {@link #payloadByte(long, int)}; each
 * subscriber's {@link Checker} verifies type, length and every byte, so a lost, duplicated, reordered
 * or torn message fails with the subscriber and sequence named.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class BroadcastChannelConformanceTest
{
    /**
     * A stalled subscriber must stop the publisher within this many times
     * {@link #approximateCapacityBytes()}.
     */
    protected static final int STALL_FACTOR = 16;

    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(30);

    private final List<BroadcastChannel> channels = new ArrayList<>();

    /**
     * @param subscribers the channel's fixed subscriber count, {@code >= 1}.
     * @return a new, empty channel; the suite closes it.
     */
    protected abstract BroadcastChannel newChannel(int subscribers);

    /**
     * @return approximate bytes the channel buffers before a stalled subscriber back-pressures the
     *         publisher. Default 64 KiB.
     */
    protected int approximateCapacityBytes()
    {
        return 64 * 1024;
    }

    /**
     * Called after the channel was closed: assert that files and directories the channel owned are
     * gone. Default: nothing to check.
     */
    protected void assertResourcesReleased()
    {
    }

    @AfterEach
    void closeChannels()
    {
        for (final BroadcastChannel channel : channels)
        {
            channel.close();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Basic contract
    // ------------------------------------------------------------------------------------------

    @Test
    void everySubscriberReceivesEveryMessageOnceInPublicationOrder()
    {
        final Harness h = harness(3);
        final Random random = new Random(42);
        for (int i = 0; i < 2_000; i++)
        {
            h.publish(lengthUpTo(random, 64, h.max));
            // Poll each subscriber by a random amount so they lag differently.
            for (int s = 0; s < 3; s++)
            {
                h.poll(s, 1 + random.nextInt(3));
            }
        }
        h.drainAll();
        h.assertNothingMore();
    }

    @Test
    void subscriberAccessorsHonourTheirContract()
    {
        final BroadcastChannel channel = open(2);
        assertEquals(2, channel.subscriberCount());
        assertSame(channel.subscriber(1), channel.subscriber(1));
        assertEquals(0, channel.subscriber(0).index());
        assertEquals(1, channel.subscriber(1).index());
        assertThrows(IllegalArgumentException.class, () -> channel.subscriber(2));
        assertThrows(IllegalArgumentException.class, () -> channel.subscriber(-1));
        assertTrue(channel.maxMessageLength() > 0);
        assertFalse(channel.isClosed());
    }

    @Test
    void manyWrapsKeepOrderAndContent()
    {
        final Harness h = harness(2);
        final Random random = new Random(7);
        final long target = 20L * approximateCapacityBytes();
        long bytes = 0;
        while (bytes < target)
        {
            // Odd lengths up to a quarter of the maximum: records of every alignment meet the wrap.
            final int length = lengthUpTo(random, h.max / 4, h.max);
            h.publish(length);
            bytes += length;
            h.poll(0, 4);
            h.poll(1, 4);
        }
        h.drainAll();
        h.assertNothingMore();
    }

    @ParameterizedTest(name = "payload length {0} (-1 = max)")
    @ValueSource(ints = {0, 1, 7, 8, 9, 63, -1})
    void payloadSizesAtTheEdgesArriveIntact(final int requested)
    {
        final Harness h = harness(2);
        final int length = requested < 0 ? h.max : requested;
        for (int i = 0; i < 10; i++)
        {
            h.publish(length);
            h.drainAll();
            h.publishClaimed(length);
            h.drainAll();
        }
        assertEquals(20, h.checkers[0].received);
        h.assertNothingMore();
    }

    @Test
    void oversizedOrNegativeLengthIsRejectedAndNothingIsWritten()
    {
        final Harness h = harness(2);
        final Publisher publisher = h.channel.publisher();
        final int max = h.max;

        final IllegalArgumentException offerTooLong = assertThrows(
            IllegalArgumentException.class, () -> publisher.offer(1, h.payload, 0, max + 1));
        assertMentions(offerTooLong, max + 1, max);
        final IllegalArgumentException claimTooLong = assertThrows(
            IllegalArgumentException.class, () -> publisher.tryClaim(1, max + 1, new BufferClaim()));
        assertMentions(claimTooLong, max + 1, max);
        final IllegalArgumentException negative = assertThrows(
            IllegalArgumentException.class, () -> publisher.offer(1, h.payload, 0, -1));
        assertMentions(negative, -1, max);
        assertThrows(IllegalArgumentException.class, () -> publisher.tryClaim(1, -1, new BufferClaim()));

        h.assertNothingMore();
        // The channel still works, and the first message seen is the first valid one (seq 0).
        h.publish(max);
        h.drainAll();
        h.assertNothingMore();
    }

    @Test
    void tryClaimWritesInPlaceAndCommitPublishes()
    {
        final Harness h = harness(2);
        for (int i = 0; i < 100; i++)
        {
            h.publishClaimed(i % 40);
            h.poll(0, 10);
        }
        h.drainAll();
        h.assertNothingMore();
    }

    @Test
    void abortedClaimIsSkippedBySubscribers()
    {
        final Harness h = harness(2);
        h.publish(10);
        h.abortClaim(16);
        h.abortClaim(0);
        h.publish(11);
        h.drainAll();
        assertEquals(2, h.checkers[0].received);
        assertEquals(2, h.checkers[1].received);
        h.assertNothingMore();
    }

    @Test
    void handlerExceptionConsumesTheMessageAndPropagates()
    {
        final Harness h = harness(1);
        h.publish(4);
        h.publish(4);
        h.publish(4);
        final Subscriber subscriber = h.channel.subscriber(0);
        final Checker checker = h.checkers[0];
        final RuntimeException boom = new IllegalStateException("handler failed on purpose");
        final MessageHandler throwOnSecond = (type, buffer, offset, length) ->
        {
            checker.onMessage(type, buffer, offset, length);
            if (checker.received == 2)
            {
                throw boom;
            }
        };
        final long deadline = System.nanoTime() + WAIT_NS;
        RuntimeException thrown = null;
        while (checker.received < 2 && System.nanoTime() < deadline)
        {
            try
            {
                subscriber.poll(throwOnSecond, 10);
            }
            catch (final RuntimeException ex)
            {
                thrown = ex;
            }
        }
        assertSame(boom, thrown);
        assertEquals(2, checker.received);
        // The message that threw is not redelivered: the next one is seq 2.
        h.drainAll();
        assertEquals(3, checker.received);
        h.assertNothingMore();
    }

    // ------------------------------------------------------------------------------------------
    // Back-pressure
    // ------------------------------------------------------------------------------------------

    @Test
    void stalledSubscriberBackPressuresThePublisherAndLosesNothing()
    {
        final Harness h = harness(2);
        final int length = Math.min(h.max, 100);
        final Publisher publisher = h.channel.publisher();
        final long limitBytes = (long)STALL_FACTOR * approximateCapacityBytes();
        long bytes = 0;
        int consecutiveBackPressure = 0;
        final long deadline = System.nanoTime() + WAIT_NS;

        // Subscriber 1 stalls; subscriber 0 keeps up. Publish until back-pressure persists.
        while (consecutiveBackPressure < 200)
        {
            assertTrue(bytes <= limitBytes, "no back-pressure after " + bytes + " bytes with a stalled subscriber");
            assertTrue(System.nanoTime() < deadline, "timed out waiting for back-pressure");
            h.fillPayload(h.published, length);
            final long result = publisher.offer((int)h.published, h.payload, 0, length);
            if (result > 0)
            {
                h.published++;
                bytes += length;
                consecutiveBackPressure = 0;
            }
            else if (result == ChannelResult.BACK_PRESSURED)
            {
                h.drain(0);
                consecutiveBackPressure++;
                Thread.yield();
            }
            else
            {
                assertTrue(ChannelResult.isRetryable(result), "unexpected " + ChannelResult.describe(result));
                h.poll(0, Integer.MAX_VALUE);
                Thread.yield();
            }
        }
        assertTrue(h.published > 0, "the publisher was back-pressured before publishing anything");
        assertEquals(0, h.checkers[1].received);

        // Subscriber 1 resumes: it gets every message, then publishing goes on.
        h.drain(1);
        assertEquals(h.published, h.checkers[1].received);
        final long more = h.published + 3L * approximateCapacityBytes() / length;
        while (h.published < more)
        {
            h.publish(length);
            h.poll(0, 8);
            h.poll(1, 8);
        }
        h.drainAll();
        h.assertNothingMore();
    }

    // ------------------------------------------------------------------------------------------
    // Threads
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} subscriber thread(s)")
    @ValueSource(ints = {1, 2, 4})
    void subscribersOnTheirOwnThreadsReceiveEverything(final int subscribers) throws InterruptedException
    {
        final BroadcastChannel channel = open(subscribers);
        final int max = channel.maxMessageLength();
        final long messages = 20_000;
        final long seed = 1234 + subscribers;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[subscribers];
        final Checker[] checkers = new Checker[subscribers];
        for (int s = 0; s < subscribers; s++)
        {
            final Checker checker = new Checker(s, seedLengths(seed, max));
            checkers[s] = checker;
            final Subscriber subscriber = channel.subscriber(s);
            threads[s] = new Thread(() ->
            {
                final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
                try
                {
                    final long deadline = System.nanoTime() + WAIT_NS;
                    while (checker.received < messages && failure.get() == null)
                    {
                        if (System.nanoTime() > deadline)
                        {
                            throw new AssertionError("subscriber " + checker.index + " timed out at " + checker.received);
                        }
                        idle.idle(subscriber.poll(checker, 64));
                    }
                }
                catch (final Throwable t)
                {
                    failure.compareAndSet(null, t);
                }
            }, "conformance-subscriber-" + s);
            threads[s].start();
        }

        final Publisher publisher = channel.publisher();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[max]);
        final LengthSequence lengths = seedLengths(seed, max);
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
        final long deadline = System.nanoTime() + WAIT_NS;
        for (long seq = 0; seq < messages && failure.get() == null; )
        {
            final int length = lengths.lengthOf(seq);
            fill(payload, seq, length);
            final long result = publisher.offer((int)seq, payload, 0, length);
            if (result > 0)
            {
                seq++;
                idle.reset();
            }
            else
            {
                assertTrue(ChannelResult.isRetryable(result), "unexpected " + ChannelResult.describe(result));
                assertTrue(System.nanoTime() < deadline, "publisher timed out at " + seq);
                idle.idle();
            }
        }
        for (final Thread thread : threads)
        {
            thread.join(WAIT_NS / 1_000_000);
            assertFalse(thread.isAlive(), thread.getName() + " did not finish");
        }
        assertNull(failure.get(), () -> "subscriber failed: " + failure.get());
        for (final Checker checker : checkers)
        {
            assertEquals(messages, checker.received, "subscriber " + checker.index);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Close
    // ------------------------------------------------------------------------------------------

    @Test
    void closeRejectsPublishingAndReleasesThreadsAndFiles() throws InterruptedException
    {
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        final Harness h = harness(2);
        h.publish(8);
        h.drainAll();

        h.channel.close();
        assertTrue(h.channel.isClosed());
        assertEquals(ChannelResult.CLOSED, h.channel.publisher().offer(1, h.payload, 0, 8));
        assertEquals(ChannelResult.CLOSED, h.channel.publisher().tryClaim(1, 8, new BufferClaim()));
        h.channel.close(); // idempotent

        final long deadline = System.nanoTime() + WAIT_NS;
        List<Thread> leftover = newLiveThreads(before);
        while (!leftover.isEmpty() && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            leftover = newLiveThreads(before);
        }
        assertTrue(leftover.isEmpty(), "threads still running after close: " + leftover);
        assertResourcesReleased();
    }

    private static List<Thread> newLiveThreads(final Set<Thread> before)
    {
        final List<Thread> result = new ArrayList<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.isAlive() && !before.contains(t) && !isJvmOrTestFrameworkThread(t.getName()))
            {
                result.add(t);
            }
        }
        return result;
    }

    private static boolean isJvmOrTestFrameworkThread(final String name)
    {
        return name.startsWith("ForkJoinPool.commonPool") || name.startsWith("Common-Cleaner") ||
            name.startsWith("junit") || name.startsWith("process reaper") || name.startsWith("Attach Listener");
    }

    // ------------------------------------------------------------------------------------------
    // Randomized
    // ------------------------------------------------------------------------------------------

    @Test
    void randomizedPublishClaimAbortAndPollKeepsEverySubscriberExact()
    {
        final long seed = Long.getLong("dominoes.conformance.seed", System.nanoTime());
        System.out.println(getClass().getName() + " randomized seed=" + seed +
            " (rerun with -Ddominoes.conformance.seed=" + seed + ")");
        try
        {
            runRandomized(seed);
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError("randomized conformance failed with seed=" + seed + ": " + ex, ex);
        }
    }

    private void runRandomized(final long seed)
    {
        final Random random = new Random(seed);
        final int subscribers = 1 + random.nextInt(4);
        final Harness h = harness(subscribers);
        final long bytesTarget = 8L * approximateCapacityBytes();
        long bytes = 0;
        while (bytes < bytesTarget)
        {
            final int length = random.nextInt(4) == 0 ? lengthUpTo(random, h.max, h.max) : lengthUpTo(random, 48, h.max);
            final int action = random.nextInt(10);
            if (action < 6)
            {
                h.publish(length);
            }
            else if (action < 9)
            {
                h.publishClaimed(length);
            }
            else
            {
                h.abortClaim(length);
            }
            bytes += length;
            final int s = random.nextInt(subscribers);
            h.poll(s, 1 + random.nextInt(16));
        }
        h.drainAll();
        h.assertNothingMore();
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /**
     * @param seq   of the message.
     * @param index of the byte in its payload.
     * @return the byte the suite writes there.
     */
    protected static byte payloadByte(final long seq, final int index)
    {
        return (byte)(seq * 31 + index * 7 + 1);
    }

    static void fill(final UnsafeBuffer buffer, final long seq, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, payloadByte(seq, i));
        }
    }

    private static int lengthUpTo(final Random random, final int upTo, final int max)
    {
        return random.nextInt(Math.min(upTo, max) + 1);
    }

    private static LengthSequence seedLengths(final long seed, final int max)
    {
        // Deterministic per seq, so publisher and subscriber threads agree without sharing state.
        return seq -> (int)(((seq * 0x9E3779B97F4A7C15L) ^ seed) >>> 40) % (Math.min(max, 512) + 1);
    }

    private static void assertMentions(final IllegalArgumentException ex, final int length, final int limit)
    {
        final String message = String.valueOf(ex.getMessage());
        assertTrue(message.contains(String.valueOf(length)), "message should name the length " + length + ": " + message);
        assertTrue(message.contains(String.valueOf(limit)), "message should name the limit " + limit + ": " + message);
    }

    private BroadcastChannel open(final int subscribers)
    {
        final BroadcastChannel channel = newChannel(subscribers);
        channels.add(channel);
        return channel;
    }

    private Harness harness(final int subscribers)
    {
        return new Harness(open(subscribers));
    }

    /**
     * The length of message {@code seq} when publisher and subscribers must agree on it.
     */
    @FunctionalInterface
    interface LengthSequence
    {
        int lengthOf(long seq);
    }

    /**
     * Verifies one subscriber's stream: types 0, 1, 2, ... with the lengths and bytes published.
     */
    static final class Checker implements MessageHandler
    {
        final int index;
        final LengthSequence expectedLengths;
        long received;

        Checker(final int index, final LengthSequence expectedLengths)
        {
            this.index = index;
            this.expectedLengths = expectedLengths;
        }

        public void onMessage(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
        {
            final long seq = received;
            if (msgTypeId != (int)seq)
            {
                fail("subscriber " + index + " expected message " + seq + " but got type " + msgTypeId +
                    (msgTypeId < seq ? " (duplicate or reordered)" : " (lost messages)"));
            }
            final int expectedLength = expectedLengths.lengthOf(seq);
            if (length != expectedLength)
            {
                fail("subscriber " + index + " message " + seq + " length " + length + ", expected " + expectedLength);
            }
            for (int i = 0; i < length; i++)
            {
                if (buffer.getByte(offset + i) != payloadByte(seq, i))
                {
                    fail("subscriber " + index + " message " + seq + " byte " + i + " is " + buffer.getByte(offset + i) +
                        ", expected " + payloadByte(seq, i));
                }
            }
            received = seq + 1;
        }
    }

    /**
     * Single-threaded driver: publishes with retries (polling the subscribers meanwhile) and records
     * every committed length so the checkers can verify.
     */
    final class Harness
    {
        final BroadcastChannel channel;
        final int max;
        final UnsafeBuffer payload;
        final BufferClaim claim = new BufferClaim();
        final Checker[] checkers;
        final List<Integer> lengths = new ArrayList<>();
        long published;

        Harness(final BroadcastChannel channel)
        {
            this.channel = channel;
            this.max = channel.maxMessageLength();
            this.payload = new UnsafeBuffer(new byte[max + 1]);
            this.checkers = new Checker[channel.subscriberCount()];
            for (int s = 0; s < checkers.length; s++)
            {
                checkers[s] = new Checker(s, seq -> lengths.get((int)seq));
            }
        }

        void fillPayload(final long seq, final int length)
        {
            fill(payload, seq, length);
            if (lengths.size() == seq)
            {
                lengths.add(length);
            }
            else
            {
                lengths.set((int)seq, length);
            }
        }

        void publish(final int length)
        {
            final long seq = published;
            fillPayload(seq, length);
            final Publisher publisher = channel.publisher();
            final long deadline = System.nanoTime() + WAIT_NS;
            long result;
            while ((result = publisher.offer((int)seq, payload, 0, length)) <= 0)
            {
                awaitRetry(result, seq, deadline);
            }
            published++;
        }

        void publishClaimed(final int length)
        {
            final long seq = published;
            fillPayload(seq, length);
            claimWithRetry((int)seq, length, seq);
            assertEquals(length, claim.length());
            claim.buffer().putBytes(claim.offset(), payload, 0, length);
            claim.commit();
            published++;
        }

        void abortClaim(final int length)
        {
            claimWithRetry(-1, length, published);
            for (int i = 0; i < length; i++)
            {
                claim.buffer().putByte(claim.offset() + i, (byte)0xAB);
            }
            claim.abort();
        }

        private void claimWithRetry(final int type, final int length, final long seq)
        {
            final Publisher publisher = channel.publisher();
            final long deadline = System.nanoTime() + WAIT_NS;
            long result;
            while ((result = publisher.tryClaim(type, length, claim)) <= 0)
            {
                awaitRetry(result, seq, deadline);
            }
        }

        private void awaitRetry(final long result, final long seq, final long deadline)
        {
            assertTrue(ChannelResult.isRetryable(result),
                "publishing message " + seq + " returned " + ChannelResult.describe(result));
            assertTrue(System.nanoTime() < deadline, "publishing message " + seq + " stayed " +
                ChannelResult.describe(result) + " although every subscriber was polled");
            for (int s = 0; s < checkers.length; s++)
            {
                poll(s, Integer.MAX_VALUE);
            }
            Thread.yield();
        }

        int poll(final int subscriber, final int limit)
        {
            return channel.subscriber(subscriber).poll(checkers[subscriber], limit);
        }

        void drain(final int subscriber)
        {
            final long deadline = System.nanoTime() + WAIT_NS;
            while (checkers[subscriber].received < published)
            {
                if (poll(subscriber, Integer.MAX_VALUE) == 0)
                {
                    assertTrue(System.nanoTime() < deadline, "subscriber " + subscriber + " stuck at " +
                        checkers[subscriber].received + " of " + published);
                    Thread.yield();
                }
            }
        }

        void drainAll()
        {
            for (int s = 0; s < checkers.length; s++)
            {
                drain(s);
            }
        }

        void assertNothingMore()
        {
            for (int s = 0; s < checkers.length; s++)
            {
                assertEquals(0, poll(s, Integer.MAX_VALUE), "subscriber " + s + " got more than was published");
                assertEquals(published, checkers[s].received, "subscriber " + s);
            }
        }
    }
}
