package io.dominoes.core;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.Publisher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest
{
    private static final class CountingPublisher implements Publisher
    {
        int offers;

        public long offer(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
        {
            return ++offers;
        }

        public long tryClaim(final int msgTypeId, final int length, final BufferClaim claim)
        {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void replicaWaitsForTheTurnUntilHalfTheOutboxIsPendingThenPublishesWithoutIt()
    {
        final Outbox outbox = new Outbox(4096);
        final PublishGuard turns = PublishGuard.replicaTurns();
        final CountingPublisher publisher = new CountingPublisher();
        final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);
        assertTrue(turns.tryEnter(), "another replica takes the turn and is descheduled holding it");

        outbox.append(1, 7, body, 0, 64);
        assertEquals(0, outbox.drain(publisher, turns, new ReplicaCounters()), "little pending: wait for the turn");

        while (!outboxMoreThanHalfFull(outbox))
        {
            outbox.append(1, 7, body, 0, 64);
        }
        final int pending = publisher.offers;
        final int sent = outbox.drain(publisher, turns, new ReplicaCounters());
        assertTrue(sent > 1 && outbox.isEmpty(), "half full: published without the turn, sent=" + sent);
        assertEquals(pending + sent, publisher.offers);
        assertFalse(turns.tryEnter(), "the other replica's turn was not released by this one");
    }

    @Test
    void singlePublisherLockIsNeverBypassed()
    {
        final Outbox outbox = new Outbox(4096);
        final PublishGuard lock = PublishGuard.lock();
        final CountingPublisher publisher = new CountingPublisher();
        final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);
        final Thread holder = new Thread(lock::enter);
        holder.start();
        try
        {
            holder.join();
            while (!outboxMoreThanHalfFull(outbox))
            {
                outbox.append(1, 7, body, 0, 64);
            }
            assertEquals(0, outbox.drain(publisher, lock, new ReplicaCounters()), "a real lock is waited for");
            assertEquals(0, publisher.offers);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static boolean outboxMoreThanHalfFull(final Outbox outbox)
    {
        // 64-byte bodies make 8 + 16 + 64 = 88-byte records; 24 of them exceed half of 4096
        return outbox.pendingBytes() > 2048;
    }
}
