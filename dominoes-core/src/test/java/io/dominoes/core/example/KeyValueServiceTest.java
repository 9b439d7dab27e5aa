package io.dominoes.core.example;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.core.EventPublisher;
import io.dominoes.core.ReplicaGroup;
import io.dominoes.core.ShutdownMode;
import io.dominoes.core.idle.IdleStrategies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class KeyValueServiceTest
{
    private static final long SEED = 0x5EED;
    private static final int REQUESTS = 4_000;

    /** What one run produced: replies by request id, and the replicas' final state. */
    private static final class Run
    {
        final TreeMap<Long, String> replies = new TreeMap<>();
        long digest;
        int size;
        int requestsNeedingReply;
    }

    private static Run run(final int replicas)
    {
        final BroadcastChannel replies = BroadcastRing.builder().capacity(1 << 20).subscribers(1).multiPublisher(true).build();
        final ReplicaGroup<KeyValueDomain> group = ReplicaGroup.builder(i -> new KeyValueDomain())
            .name("kv").replicas(replicas)
            .channel(subs -> BroadcastRing.builder().capacity(1 << 16).subscribers(subs).multiPublisher(true).build())
            .multiPublisher(true)
            .handlers(KeyValueService.handlers())
            .output(replies, true)
            .digestEvery(256)
            .idleStrategy(IdleStrategies.byName("park"))
            .start();
        final Run run = new Run();
        final EventPublisher pub = group.newPublisher();
        final UnsafeBuffer body = new UnsafeBuffer(new byte[KeyValueService.REQUEST_LENGTH]);

        // A fixed opening whose replies are known by hand.
        KeyValueService.request(body, 1, 5);
        pub.publish(KeyValueService.PUT, 1, body, 0, KeyValueService.REQUEST_LENGTH);
        KeyValueService.request(body, 2, 3);
        pub.publish(KeyValueService.ADD, 1, body, 0, KeyValueService.REQUEST_LENGTH);
        KeyValueService.request(body, 3, 0);
        pub.publish(KeyValueService.GET, 1, body, 0, KeyValueService.REQUEST_LENGTH);
        run.requestsNeedingReply = 3;

        // Then a seeded mix, with ticks driving expiry.
        final SplittableRandom random = new SplittableRandom(SEED);
        long now = 0;
        for (long id = 4; id < REQUESTS; id++)
        {
            final long key = random.nextInt(64);
            final int op = random.nextInt(10);
            final int type = op < 3 ? KeyValueService.PUT : op < 6 ? KeyValueService.ADD :
                op < 9 ? KeyValueService.GET : KeyValueService.EXPIRE;
            KeyValueService.request(body, id, type == KeyValueService.EXPIRE ? 1_000 + random.nextInt(5_000) : random.nextInt(100));
            pub.publish(type, key, body, 0, KeyValueService.REQUEST_LENGTH);
            if (type != KeyValueService.EXPIRE)
            {
                run.requestsNeedingReply++;
            }
            if (id % 50 == 0)
            {
                now += 1_000;
                pub.publishTick(now);
            }
        }
        pub.publishTick(now + 1_000_000); // fire every pending expiry
        group.close(ShutdownMode.DRAIN);

        BroadcastRingDrain.drain(replies, (type, b, o, l) ->
        {
            assertEquals(KeyValueService.REPLY, type);
            final int at = o + io.dominoes.core.codec.EventDescriptor.HEADER_LENGTH;
            final long requestId = KeyValueService.replyRequestId(b, at);
            final String previous = run.replies.put(requestId,
                KeyValueService.replyKey(b, at) + "=" + KeyValueService.replyValue(b, at));
            assertNull(previous, "reply for request " + requestId + " sent twice");
        });
        replies.close();

        run.digest = group.domain(0).stateDigest();
        run.size = group.domain(0).size();
        for (int r = 1; r < replicas; r++)
        {
            assertEquals(run.digest, group.domain(r).stateDigest(), "replica " + r + " state");
            assertEquals(run.size, group.domain(r).size());
        }
        return run;
    }

    @Test
    void oneTwoAndFourReplicasGiveIdenticalStateAndRepliesEachSentOnce()
    {
        final Run one = run(1);
        assertEquals("1=5", one.replies.get(1L));
        assertEquals("1=8", one.replies.get(2L));
        assertEquals("1=8", one.replies.get(3L));
        final long requestReplies = one.replies.keySet().stream().filter(id -> id > 0).count();
        assertEquals(one.requestsNeedingReply, requestReplies, "one reply per PUT/ADD/GET");
        assertTrue(one.replies.keySet().stream().anyMatch(id -> id < 0), "expiry timers fired and replied");
        assertTrue(one.size > 0 && one.size <= 64, "size=" + one.size);
        for (final int replicas : new int[]{ 2, 4 })
        {
            final Run many = run(replicas);
            assertEquals(one.replies, many.replies, replicas + " replicas: identical replies");
            assertEquals(one.digest, many.digest, replicas + " replicas: identical state");
            assertEquals(one.size, many.size);
        }
    }

    private static final class BroadcastRingDrain
    {
        static void drain(final BroadcastChannel channel, final io.dominoes.channels.MessageHandler handler)
        {
            while (channel.subscriber(0).poll(handler, 256) > 0)
            {
                Thread.onSpinWait();
            }
        }
    }
}
