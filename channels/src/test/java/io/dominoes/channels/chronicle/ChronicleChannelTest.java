package io.dominoes.channels.chronicle;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChronicleChannelTest
{
    @TempDir
    Path tempDir;

    private ChronicleChannel channel;

    @AfterEach
    void closeChannel()
    {
        if (null != channel)
        {
            channel.close();
        }
    }

    private ChronicleChannel open(final ChronicleChannel.Context context)
    {
        if (null != channel)
        {
            channel.close();
        }
        channel = new ChronicleChannel(context.directory(tempDir.resolve("queue").toFile()));
        return channel;
    }

    @Test
    void shouldDeliverOfferedClaimedButNotAbortedMessagesWithTypeAndBytesToEveryTailer()
    {
        open(new ChronicleChannel.Context().subscriberCount(2).maxMessageLength(70_000));
        final Publisher publisher = channel.publisher();
        final UnsafeBuffer src = new UnsafeBuffer(new byte[70_000]);
        for (int i = 0; i < src.capacity(); i++)
        {
            src.putByte(i, (byte)(i * 31));
        }
        final int[] lengths = { 0, 1, 7, 8, 70_000 };
        for (final int length : lengths)
        {
            assertTrue(publisher.offer(-length, src, 0, length) > 0);
        }
        final BufferClaim claim = new BufferClaim();
        final long p1 = publisher.tryClaim(Integer.MIN_VALUE, 3, claim);
        assertTrue(p1 > 0);
        claim.buffer().putBytes(claim.offset(), src, 0, 3);
        claim.commit();
        final long p2 = publisher.tryClaim(99, 16, claim);
        assertTrue(p2 > p1, "positions increase: " + p1 + " then " + p2);
        claim.abort();
        assertTrue(publisher.offer(5, src, 0, 8) > p1);

        for (int s = 0; s < 2; s++)
        {
            final List<String> seen = drain(channel.subscriber(s), 100, src);
            assertEquals(List.of("0/0", "-1/1", "-7/7", "-8/8", "-70000/70000",
                Integer.MIN_VALUE + "/3", "5/8"), seen, "subscriber " + s);
        }
    }

    @Test
    void shouldRejectTooLongMessageNamingLengthAndLimitAndWriteNothing()
    {
        open(new ChronicleChannel.Context().maxMessageLength(100));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> channel.publisher().offer(1, new UnsafeBuffer(new byte[101]), 0, 101));
        assertTrue(ex.getMessage().contains("101") && ex.getMessage().contains("100"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> channel.publisher().tryClaim(1, 101, new BufferClaim()));
        assertEquals(List.of(), drain(channel.subscriber(0), 10, null));
    }

    @Test
    void shouldRefuseMaxMessageLengthThatDoesNotFitChunkOverlap()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> open(new ChronicleChannel.Context().maxMessageLength(Integer.MAX_VALUE - 8)));
        assertTrue(ex.getMessage().contains("overlap"), ex.getMessage());
    }

    @Test
    void shouldResumeNamedTailersAfterReopenAndReplayForNewTailerAndCountBacklogTowardsLag()
    {
        open(new ChronicleChannel.Context().subscriberCount(2));
        final UnsafeBuffer src = new UnsafeBuffer(new byte[4]);
        for (int i = 0; i < 10; i++)
        {
            src.putInt(0, i);
            assertTrue(channel.publisher().offer(i, src, 0, 4) > 0);
        }
        assertEquals(4, channel.subscriber(0).poll((t, b, o, l) -> assertEquals(t, b.getInt(o)), 4));
        assertEquals(1, channel.subscriber(1).poll((t, b, o, l) -> { }, 1));

        open(new ChronicleChannel.Context().subscriberCount(3).maxLagMessages(9));
        // Tailer 1 still has 9 unread excerpts from before the restart, and the new tailer 2 has 10:
        // the lag limit of 9 holds from the first offer.
        assertEquals(ChannelResult.BACK_PRESSURED, channel.publisher().offer(10, src, 0, 4));
        assertEquals(types(4, 10), drain(channel.subscriber(0), 100, null));
        assertEquals(types(1, 10), drain(channel.subscriber(1), 100, null));
        assertEquals(ChannelResult.BACK_PRESSURED, channel.publisher().offer(10, src, 0, 4));
        assertEquals(types(0, 10), drain(channel.subscriber(2), 100, null));
        assertTrue(channel.publisher().offer(10, src, 0, 4) > 0);
        for (int s = 0; s < 3; s++)
        {
            assertEquals(types(10, 11), drain(channel.subscriber(s), 100, null), "subscriber " + s);
        }
    }

    @Test
    void shouldBackPressureOnMessageLagWithoutLoss()
    {
        open(new ChronicleChannel.Context().subscriberCount(2).maxLagMessages(5));
        final UnsafeBuffer src = new UnsafeBuffer(new byte[8]);
        final List<String> fast = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            assertTrue(channel.publisher().offer(i, src, 0, 8) > 0);
            fast.addAll(drain(channel.subscriber(0), 100, null));
        }
        assertEquals(ChannelResult.BACK_PRESSURED, channel.publisher().offer(5, src, 0, 8));
        assertEquals(ChannelResult.BACK_PRESSURED, channel.publisher().tryClaim(5, 8, new BufferClaim()));
        assertEquals(types(0, 2), drain(channel.subscriber(1), 2, null));
        assertTrue(channel.publisher().offer(5, src, 0, 8) > 0);
        assertTrue(channel.publisher().offer(6, src, 0, 8) > 0);
        assertEquals(ChannelResult.BACK_PRESSURED, channel.publisher().offer(7, src, 0, 8));
        fast.addAll(drain(channel.subscriber(0), 100, null));
        assertEquals(types(0, 7), fast);
        assertEquals(types(2, 7), drain(channel.subscriber(1), 100, null));
    }

    @Test
    void shouldBackPressureOnByteLagButAlwaysAdmitOneMessageWhenCaughtUp()
    {
        open(new ChronicleChannel.Context().maxLagBytes(30));
        final UnsafeBuffer src = new UnsafeBuffer(new byte[100]);
        assertTrue(channel.publisher().offer(0, src, 0, 10) > 0); // 14 bytes behind
        assertTrue(channel.publisher().offer(1, src, 0, 12) > 0); // 30 bytes behind
        assertEquals(ChannelResult.BACK_PRESSURED, channel.publisher().offer(2, src, 0, 0));
        assertEquals(types(0, 2), drain(channel.subscriber(0), 100, null));
        assertTrue(channel.publisher().offer(2, src, 0, 100) > 0); // bigger than the limit, but alone
        assertEquals(ChannelResult.BACK_PRESSURED, channel.publisher().offer(3, src, 0, 0));
        assertEquals(types(2, 3), drain(channel.subscriber(0), 100, null));
    }

    @Test
    void shouldConsumeExcerptWhoseHandlerThrows()
    {
        open(new ChronicleChannel.Context());
        final UnsafeBuffer src = new UnsafeBuffer(new byte[4]);
        channel.publisher().offer(1, src, 0, 4);
        channel.publisher().offer(2, src, 0, 4);
        final IllegalStateException boom = new IllegalStateException("boom");
        final Subscriber subscriber = channel.subscriber(0);
        assertEquals(boom, assertThrows(IllegalStateException.class,
            () -> subscriber.poll((t, b, o, l) -> { throw boom; }, 10)));
        assertEquals(types(2, 3), drain(subscriber, 10, null));
    }

    @Test
    void shouldReturnClosedAfterCloseAndReleaseFilesSoDirectoryCanBeDeleted()
    {
        open(new ChronicleChannel.Context());
        final UnsafeBuffer src = new UnsafeBuffer(new byte[4]);
        assertTrue(channel.publisher().offer(1, src, 0, 4) > 0);
        final BufferClaim openClaim = new BufferClaim();
        assertTrue(channel.publisher().tryClaim(2, 4, openClaim) > 0);
        final File dir = channel.directory();
        channel.close();
        channel.close();
        assertTrue(channel.isClosed());
        assertEquals(ChannelResult.CLOSED, channel.publisher().offer(1, src, 0, 4));
        assertEquals(0, channel.subscriber(0).poll((t, b, o, l) -> { }, 1));

        // The claim left open at close was rolled back: a reopened channel sees only the first message.
        open(new ChronicleChannel.Context());
        assertEquals(types(1, 2), drain(channel.subscriber(0), 10, null));
        channel.close();
        channel = null;
        IoUtil.delete(dir, false);
        assertFalse(dir.exists(), "queue directory deletable after close: " + dir);
    }

    private static List<String> types(final int from, final int toExclusive)
    {
        final List<String> out = new ArrayList<>();
        for (int i = from; i < toExclusive; i++)
        {
            out.add(Integer.toString(i));
        }
        return out;
    }

    /**
     * Poll until nothing is left (Chronicle reads are synchronous with the append in one process).
     * With {@code pattern}, records "type/length" and checks the payload against it; else the type.
     */
    private static List<String> drain(final Subscriber subscriber, final int limit, final UnsafeBuffer pattern)
    {
        final List<String> seen = new ArrayList<>();
        while (seen.size() < limit &&
            subscriber.poll((type, buffer, offset, length) ->
            {
                if (null == pattern)
                {
                    seen.add(Integer.toString(type));
                    return;
                }
                for (int i = 0; i < length; i++)
                {
                    assertEquals(pattern.getByte(i), buffer.getByte(offset + i), "byte " + i);
                }
                seen.add(type + "/" + length);
            }, limit - seen.size()) > 0)
        {
            Thread.onSpinWait();
        }
        return seen;
    }
}
