package io.dominoes.core.time;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ReplicatedTimerQueueTest
{
    @Test
    void equalDeadlinesFireInIdOrderAndTimeIsOnlyWhatIsPassedIn()
    {
        final ReplicatedTimerQueue q = new ReplicatedTimerQueue(1);
        final long a = q.schedule(10, 100);
        final long b = q.schedule(5, 200);
        final long c = q.schedule(10, 300);
        final List<Long> fired = new ArrayList<>();
        assertEquals(0, q.poll(4, (id, d, corr) -> fired.add(id)));
        assertEquals(3, q.poll(10, (id, d, corr) -> fired.add(id)));
        assertEquals(List.of(b, a, c), fired);
        assertEquals(0, q.size());
    }

    @Test
    void cancelRemovesOnlyPendingTimers()
    {
        final ReplicatedTimerQueue q = new ReplicatedTimerQueue(4);
        final long a = q.schedule(1, 0);
        final long b = q.schedule(2, 0);
        assertTrue(q.cancel(a));
        assertFalse(q.cancel(a));
        assertEquals(2, q.nextDeadlineNs());
        q.poll(2, (id, d, corr) -> assertEquals(b, id));
        assertFalse(q.cancel(b));
    }

    @Test
    void randomScheduleAndCancelMatchesASortedModel()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final ReplicatedTimerQueue q = new ReplicatedTimerQueue(2);
        final List<long[]> model = new ArrayList<>();
        for (int i = 0; i < 2_000; i++)
        {
            if (!model.isEmpty() && random.nextInt(4) == 0)
            {
                final long[] victim = model.remove(random.nextInt(model.size()));
                assertTrue(q.cancel(victim[1]));
            }
            else
            {
                final long deadline = random.nextInt(50);
                model.add(new long[]{ deadline, q.schedule(deadline, i) });
            }
        }
        model.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        final List<Long> fired = new ArrayList<>();
        q.poll(Long.MAX_VALUE, (id, d, corr) -> fired.add(id));
        assertEquals(model.stream().map(t -> t[1]).toList(), fired);
    }
}
