package io.dominoes.channels.aeron;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AeronUdpChannelTest
{
    @Test
    void shouldGateSenderOnStalledLocalSubscriberWithoutLossThenCloseReleasingDriverDir()
    {
        final AeronUdpChannel channel = AeronUdpChannel.publishing(
            new AeronUdpChannel.Context().subscriberCount(2).termLength(64 * 1024));
        final File dir = channel.driverDirectory();
        assertTrue(dir.isDirectory());
        assertEquals(1408 - 32, channel.maxMessageLength());
        assertTrue(channel.controlEndpoint().startsWith("127.0.0.1:"), channel.controlEndpoint());
        assertFalse(channel.controlEndpoint().endsWith(":0"), channel.controlEndpoint());

        final Publisher publisher = channel.publisher();
        final int max = channel.maxMessageLength();
        final UnsafeBuffer src = new UnsafeBuffer(new byte[max + 1]);
        assertThrows(IllegalArgumentException.class, () -> publisher.offer(1, src, 0, max + 1));
        assertThrows(IllegalArgumentException.class, () -> publisher.tryClaim(1, max + 1, new BufferClaim()));

        final List<String> fast = new ArrayList<>();
        int sent = 0;
        long backPressured = 0;
        // Subscriber 1 never polls; min flow control must stop the sender, so the publisher is refused
        // for a sustained period while subscriber 0 keeps draining everything that was accepted.
        while (backPressured < 2_000)
        {
            final long result = publisher.offer(sent, src, 0, sent % 2 == 0 ? max : 8);
            if (result > 0)
            {
                sent++;
                backPressured = 0;
            }
            else
            {
                assertTrue(ChannelResult.isRetryable(result), ChannelResult.describe(result));
                backPressured += result == ChannelResult.BACK_PRESSURED ? 1 : 0;
                Thread.yield();
            }
            channel.subscriber(0).poll((type, buffer, offset, length) -> fast.add(type + "/" + length), 100);
            assertTrue(sent < 200_000, "stalled subscriber never gated the sender");
        }
        // Drain both together: min flow control gates on whichever receiver is behind, so draining
        // one alone would stall once the other's receiver window is full.
        final List<String> slow = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((slow.size() < sent || fast.size() < sent) && System.nanoTime() < deadline)
        {
            final int n = channel.subscriber(1).poll((type, buffer, offset, length) -> slow.add(type + "/" + length), 100) +
                channel.subscriber(0).poll((type, buffer, offset, length) -> fast.add(type + "/" + length), 100);
            if (0 == n)
            {
                Thread.yield();
            }
        }
        assertEquals(sent, slow.size());
        assertEquals(sent, fast.size());
        for (int i = 0; i < sent; i++)
        {
            final String expected = i + "/" + (i % 2 == 0 ? max : 8);
            assertEquals(expected, slow.get(i));
            assertEquals(expected, fast.get(i));
        }

        channel.close();
        assertFalse(dir.exists(), "driver dir removed: " + dir);
        assertEquals(ChannelResult.CLOSED, publisher.offer(1, src, 0, 1));
    }

    @Test
    void shouldRefuseReceivingSideWithoutResolvedControlEndpointAndPublisherOnReceivingSide()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> AeronUdpChannel.subscribing(new AeronUdpChannel.Context()));
        assertTrue(ex.getMessage().contains("127.0.0.1:0"), ex.getMessage());
    }
}
