package io.dominoes.net.misd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SharedReceiveBufferTest
{
    private static final long LONG_NS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void shouldReturnAtOnceWhenEveryMarkIsAlreadyPastThePosition()
    {
        final SharedReceiveBuffer shared = new SharedReceiveBuffer(1024, 2);
        shared.publish(0, 100, 0);
        shared.publish(1, 90, 0);
        assertEquals(90, shared.awaitMinMark(90, LONG_NS, LONG_NS));
    }

    @Test
    void shouldBeWokenByTheReplicaWhosePublishRaisesTheMinimumPastThePosition() throws InterruptedException
    {
        final SharedReceiveBuffer shared = new SharedReceiveBuffer(1024, 2);
        final Thread replicas = new Thread(() ->
        {
            for (long mark = 1; mark <= 5_000; mark++)
            {
                shared.publish(0, mark, 0);
                if (mark % 3 == 0)
                {
                    Thread.yield();
                }
                shared.publish(1, mark, 0);
            }
        });
        replicas.start();
        // a park is bounded by 30 s and the test by 60 s: returning proves the wake-up (a missed one is bounded,
        // documented, and would need the store-load race to hit the last publish)
        final long min = shared.awaitMinMark(5_000, LONG_NS, LONG_NS);
        replicas.join();
        assertEquals(5_000, min);
        assertEquals(5_000, shared.minMark());
    }

    @Test
    void shouldTimeOutBelowThePositionWhenAReplicaLags()
    {
        final SharedReceiveBuffer shared = new SharedReceiveBuffer(1024, 2);
        shared.publish(0, 500, 0);
        shared.publish(1, 10, 0);
        final long min = shared.awaitMinMark(500, TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(10, min);
        assertTrue(min < 500);
    }

    @Test
    void shouldRejectNegativeTimeoutAndNonPositivePark()
    {
        final SharedReceiveBuffer shared = new SharedReceiveBuffer(1024, 1);
        final IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> shared.awaitMinMark(1, -1, 1));
        assertTrue(a.getMessage().contains("timeoutNs=-1"), a.getMessage());
        final IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> shared.awaitMinMark(1, 1, 0));
        assertTrue(b.getMessage().contains("maxParkNs=0"), b.getMessage());
    }
}
