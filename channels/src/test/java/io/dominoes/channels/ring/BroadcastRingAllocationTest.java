package io.dominoes.channels.ring;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady state allocates nothing: offer, tryClaim/commit, tryClaim/abort, back-pressure and poll,
 * measured with the JVM's per-thread allocation counter after a warm-up.
 */
class BroadcastRingAllocationTest
{
    private static final int ROUNDS = 200_000;

    @ParameterizedTest(name = "multiPublisher={0}")
    @ValueSource(booleans = {false, true})
    void publishAndPollAllocateNothingInSteadyState(final boolean multiPublisher)
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        threads.setThreadAllocatedMemoryEnabled(true);

        try (BroadcastRing ring = BroadcastRing.builder()
            .capacity(4096).subscribers(2).multiPublisher(multiPublisher).direct().build())
        {
            final Exercise exercise = new Exercise(ring);
            exercise.run(ROUNDS); // warm-up: class loading, JIT
            final long threadId = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(threadId);
            exercise.run(ROUNDS);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertEquals(2L * ROUNDS * 3, exercise.counter.count, "every committed message polled by both");
            assertTrue(exercise.backPressured > 0, "the run should hit back-pressure too");
            // A few hundred bytes of slack for the measurement itself; any per-message allocation
            // over 600,000 messages would be megabytes.
            assertTrue(allocated < 1024, "allocated " + allocated + " bytes in steady state");
        }
    }

    private static final class Counter implements MessageHandler
    {
        long count;

        public void onMessage(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
        {
            count++;
        }
    }

    private static final class Exercise
    {
        final Publisher publisher;
        final Subscriber s0;
        final Subscriber s1;
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        final BufferClaim claim = new BufferClaim();
        final Counter counter = new Counter();
        long backPressured;

        Exercise(final BroadcastRing ring)
        {
            publisher = ring.publisher();
            s0 = ring.subscriber(0);
            s1 = ring.subscriber(1);
        }

        void run(final int rounds)
        {
            counter.count = 0;
            for (int i = 0; i < rounds; i++)
            {
                offer(i);
                claimAndCommit(i);
                claimAndAbort(i);
                offer(i);
                if ((i & 63) == 63)
                {
                    drain();
                }
            }
            drain();
        }

        private void offer(final int i)
        {
            while (publisher.offer(i, payload, 0, 1 + (i & 31)) < 0)
            {
                backPressured++;
                drain();
            }
        }

        private void claimAndCommit(final int i)
        {
            while (publisher.tryClaim(i, 24, claim) < 0)
            {
                backPressured++;
                drain();
            }
            claim.buffer().putLong(claim.offset(), i);
            claim.commit();
        }

        private void claimAndAbort(final int i)
        {
            while (publisher.tryClaim(i, 16, claim) < 0)
            {
                backPressured++;
                drain();
            }
            claim.abort();
        }

        private void drain()
        {
            while (s0.poll(counter, 100) + s1.poll(counter, 100) > 0)
            {
                Thread.onSpinWait();
            }
        }
    }
}
