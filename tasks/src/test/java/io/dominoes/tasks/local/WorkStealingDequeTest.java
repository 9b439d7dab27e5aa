package io.dominoes.tasks.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

class WorkStealingDequeTest
{
    @Test
    void ownerTakesNewestFirstAndThiefOldestFirst()
    {
        final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>(2);
        for (int i = 0; i < 10; i++)
        {
            deque.push(i);
        }
        assertEquals(10, deque.size());
        assertEquals(9, deque.take());
        assertEquals(0, deque.steal());
        assertEquals(1, deque.steal());
        assertEquals(8, deque.take());
        for (int i = 2; i < 8; i++)
        {
            assertEquals(i, deque.steal());
        }
        assertNull(deque.steal());
        assertNull(deque.take());
        assertEquals(0, deque.size());
    }

    @Test
    void rejectsCapacityThatIsNotAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new WorkStealingDeque<>(6));
    }

    @Test
    @Timeout(60)
    void everyElementIsTakenExactlyOnceUnderConcurrentStealing() throws Exception
    {
        final int count = 200_000;
        final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>(4);
        final AtomicIntegerArray seen = new AtomicIntegerArray(count);
        final AtomicBoolean ownerDone = new AtomicBoolean();
        final Thread thief = new Thread(() ->
        {
            while (true)
            {
                final Integer e = deque.steal();
                if (e != null)
                {
                    seen.incrementAndGet(e);
                }
                else if (ownerDone.get() && deque.size() == 0)
                {
                    return;
                }
                else
                {
                    Thread.yield();
                }
            }
        });
        thief.start();
        int pushed = 0;
        while (pushed < count)
        {
            // Push a few, take one: keeps the deque short so owner and thief race for the last element often.
            for (int i = 0; i < 3 && pushed < count; i++)
            {
                deque.push(pushed++);
            }
            final Integer e = deque.take();
            if (e != null)
            {
                seen.incrementAndGet(e);
            }
        }
        Integer e;
        while ((e = deque.take()) != null)
        {
            seen.incrementAndGet(e);
        }
        ownerDone.set(true);
        thief.join();
        for (int i = 0; i < count; i++)
        {
            assertEquals(1, seen.get(i), "element " + i);
        }
    }
}
