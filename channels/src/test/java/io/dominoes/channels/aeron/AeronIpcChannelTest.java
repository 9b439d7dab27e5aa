package io.dominoes.channels.aeron;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AeronIpcChannelTest
{
    @Test
    void shouldDeliverOfferedAndClaimedMessagesWithTypeToEverySubscriberThenRemoveDriverDirOnClose()
    {
        final File dir;
        try (AeronIpcChannel channel = new AeronIpcChannel(new AeronIpcChannel.Context()
            .subscriberCount(2).termLength(64 * 1024).mtu(4096)))
        {
            dir = channel.driverDirectory();
            assertTrue(dir.isDirectory(), "driver dir exists while open: " + dir);
            assertEquals(4096 - 32, channel.maxMessageLength());

            final UnsafeBuffer src = new UnsafeBuffer(ByteBuffer.allocateDirect(channel.maxMessageLength()));
            src.putBytes(0, new byte[]{ 1, 2, 3 });
            offerUntilAccepted(channel.publisher(), -7, src, 3);

            final BufferClaim claim = new BufferClaim();
            long result;
            while ((result = channel.publisher().tryClaim(Integer.MAX_VALUE, 2, claim)) < 0)
            {
                assertTrue(ChannelResult.isRetryable(result), ChannelResult.describe(result));
                Thread.yield();
            }
            claim.buffer().putByte(claim.offset(), (byte)9);
            claim.buffer().putByte(claim.offset() + 1, (byte)8);
            claim.commit();

            while (channel.publisher().tryClaim(5, 4, claim) < 0)
            {
                Thread.yield();
            }
            claim.abort();
            offerUntilAccepted(channel.publisher(), 0, src, 0);

            for (int s = 0; s < 2; s++)
            {
                final List<String> seen = drain(channel.subscriber(s), 3);
                assertEquals(List.of("-7:[1, 2, 3]", "2147483647:[9, 8]", "0:[]"), seen, "subscriber " + s);
            }
        }
        assertFalse(dir.exists(), "driver dir removed on close: " + dir);
    }

    @Test
    void shouldRejectMessageLongerThanMaxAndWriteNothing()
    {
        try (AeronIpcChannel channel = new AeronIpcChannel(new AeronIpcChannel.Context().termLength(64 * 1024)))
        {
            final int max = channel.maxMessageLength();
            final UnsafeBuffer src = new UnsafeBuffer(new byte[max + 1]);
            final IllegalArgumentException ex = assertThrows(
                IllegalArgumentException.class, () -> channel.publisher().offer(1, src, 0, max + 1));
            assertTrue(ex.getMessage().contains(Integer.toString(max + 1)) &&
                ex.getMessage().contains(Integer.toString(max)), ex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> channel.publisher().tryClaim(1, max + 1, new BufferClaim()));
            assertThrows(IllegalArgumentException.class, () -> channel.publisher().offer(1, src, 0, -1));

            offerUntilAccepted(channel.publisher(), 2, src, max);
            final List<String> seen = new ArrayList<>();
            drainInto(channel.subscriber(0), 1, seen, (type, len) -> type + "/" + len);
            assertEquals(List.of("2/" + max), seen, "only the max-length message arrived");
        }
    }

    @Test
    void shouldBackPressureStalledSubscriberWithoutLossAndReturnClosedAfterClose()
    {
        final AeronIpcChannel channel = new AeronIpcChannel(
            new AeronIpcChannel.Context().subscriberCount(2).termLength(64 * 1024).mtu(1024));
        final Publisher publisher = channel.publisher();
        final UnsafeBuffer src = new UnsafeBuffer(new byte[8]);
        final List<String> fast = new ArrayList<>();
        int sent = 0;
        long result;
        // Subscriber 1 never polls: the publisher must eventually be refused, while subscriber 0 keeps up.
        while (true)
        {
            src.putLong(0, sent);
            result = publisher.offer(sent, src, 0, 8);
            if (result == ChannelResult.BACK_PRESSURED)
            {
                break;
            }
            assertTrue(result > 0, ChannelResult.describe(result));
            sent++;
            drainInto(channel.subscriber(0), 0, fast, (type, len) -> Integer.toString(type));
            assertTrue(sent < 1_000_000, "never back-pressured");
        }
        assertTrue(sent > 100, "window holds more than a few messages: " + sent);
        final List<String> slow = new ArrayList<>();
        drainInto(channel.subscriber(1), sent, slow, (type, len) -> Integer.toString(type));
        drainInto(channel.subscriber(0), sent - fast.size(), fast, (type, len) -> Integer.toString(type));
        for (int i = 0; i < sent; i++)
        {
            assertEquals(Integer.toString(i), slow.get(i));
            assertEquals(Integer.toString(i), fast.get(i));
        }

        channel.close();
        channel.close();
        assertTrue(channel.isClosed());
        assertEquals(ChannelResult.CLOSED, publisher.offer(1, src, 0, 8));
        assertEquals(ChannelResult.CLOSED, publisher.tryClaim(1, 8, new BufferClaim()));
        assertEquals(0, channel.subscriber(0).poll((t, b, o, l) -> { }, 10));
    }

    @Test
    void shouldConsumeMessageWhoseHandlerThrowsAndRethrowIt()
    {
        try (AeronIpcChannel channel = new AeronIpcChannel(new AeronIpcChannel.Context().termLength(64 * 1024)))
        {
            final UnsafeBuffer src = new UnsafeBuffer(new byte[4]);
            offerUntilAccepted(channel.publisher(), 1, src, 4);
            offerUntilAccepted(channel.publisher(), 2, src, 4);
            final Subscriber subscriber = channel.subscriber(0);
            final IllegalStateException boom = new IllegalStateException("boom");
            Throwable thrown = null;
            while (null == thrown)
            {
                try
                {
                    subscriber.poll((type, b, o, l) -> { throw boom; }, 10);
                    Thread.yield();
                }
                catch (final IllegalStateException ex)
                {
                    thrown = ex;
                }
            }
            assertEquals(boom, thrown);
            final List<String> seen = new ArrayList<>();
            drainInto(subscriber, 1, seen, (type, len) -> Integer.toString(type));
            assertEquals(List.of("2"), seen);
        }
    }

    static void offerUntilAccepted(final Publisher publisher, final int type, final UnsafeBuffer src, final int length)
    {
        long result;
        while ((result = publisher.offer(type, src, 0, length)) < 0)
        {
            assertTrue(ChannelResult.isRetryable(result), ChannelResult.describe(result));
            LockSupport.parkNanos(100_000);
        }
    }

    private static List<String> drain(final Subscriber subscriber, final int count)
    {
        final List<String> seen = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.size() < count && System.nanoTime() < deadline)
        {
            if (0 == subscriber.poll((type, buffer, offset, length) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                seen.add(type + ":" + java.util.Arrays.toString(bytes));
            }, 10))
            {
                LockSupport.parkNanos(100_000);
            }
        }
        return seen;
    }

    interface Describe
    {
        String describe(int type, int length);
    }

    static void drainInto(final Subscriber subscriber, final int atLeast, final List<String> into, final Describe describe)
    {
        final int target = into.size() + atLeast;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do
        {
            if (0 == subscriber.poll((type, buffer, offset, length) -> into.add(describe.describe(type, length)), 100) &&
                into.size() < target)
            {
                LockSupport.parkNanos(100_000);
            }
        }
        while (into.size() < target && System.nanoTime() < deadline);
        assertTrue(into.size() >= target, "expected " + target + " got " + into.size());
    }
}
