package io.dominoes.bench.harness;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Subscriber;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every implementation delivers checked messages through the harness, and a harness fails (rather
 * than reporting a number) when a channel loses a message. Waits yield: the machine has 2 cores.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BroadcastHarnessTest
{
    static List<String> implementations()
    {
        return BroadcastImplementations.names();
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void everySubscriberReceivesEveryMessageInOrder(final String impl)
    {
        try (BroadcastHarness harness = BroadcastImplementations.create(impl, 2, 64, WaitMode.YIELD))
        {
            harness.start();
            for (int i = 0; i < 20_000; i++)
            {
                harness.publishNext();
            }
            harness.awaitDelivered(TimeUnit.SECONDS.toNanos(60));
            assertEquals(20_000, harness.published());
            assertEquals(impl, harness.name());
        }
    }

    @Test
    void lostMessageFailsTheHarness()
    {
        final BroadcastChannel lossy = new DroppingChannel(new JctoolsFanOutChannel(1, 64, 64), 5);
        try (BroadcastHarness harness = new ChannelBroadcastHarness("lossy", lossy, 64, YieldingIdleStrategy::new))
        {
            harness.start();
            final BenchmarkFailure failure = assertThrows(BenchmarkFailure.class, () ->
            {
                for (int i = 0; i < 1000; i++)
                {
                    harness.publishNext();
                }
                harness.awaitDelivered(TimeUnit.SECONDS.toNanos(60));
            });
            assertTrue(failure.getMessage().contains("expected sequence 5") &&
                failure.getMessage().contains("got sequence 6"), failure.getMessage());
        }
    }

    @Test
    void unknownImplementationIsNamed()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> BroadcastImplementations.create("nope", 1, 64, WaitMode.YIELD));
        assertTrue(ex.getMessage().contains("'nope'") && ex.getMessage().contains("disruptor"), ex.getMessage());
    }

    /**
     * Hides the message with one sequence from its subscribers.
     */
    private static final class DroppingChannel extends ForwardingChannel
    {
        private final long dropSequence;

        DroppingChannel(final BroadcastChannel delegate, final long dropSequence)
        {
            super(delegate);
            this.dropSequence = dropSequence;
        }

        @Override
        public Subscriber subscriber(final int index)
        {
            final Subscriber inner = delegate.subscriber(index);
            return new Subscriber()
            {
                @Override
                public int poll(final MessageHandler handler, final int limit)
                {
                    return inner.poll(
                        (type, buffer, offset, length) ->
                        {
                            if (buffer.getLong(offset) != dropSequence)
                            {
                                handler.onMessage(type, buffer, offset, length);
                            }
                        },
                        limit);
                }

                @Override
                public int index()
                {
                    return index;
                }
            };
        }
    }
}
