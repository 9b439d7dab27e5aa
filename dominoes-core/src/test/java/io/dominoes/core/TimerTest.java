package io.dominoes.core;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.core.codec.EventDescriptor;
import io.dominoes.core.idle.IdleStrategies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Timers driven by tick events published by hand: no clock is read anywhere.
 */
@Timeout(60)
class TimerTest
{
    static final int SCHEDULE = 1;
    static final int CANCEL = 2;
    static final int FIRED = 3;

    static final class Timers implements Domain
    {
        final List<String> fired = new ArrayList<>();
        final List<Long> ids = new ArrayList<>();
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[8]);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 4 })
    void timersFireByDeadlineThenIdOnEveryReplicaAndEmitOnce(final int replicas)
    {
        final BroadcastChannel output = TestChannels.output(1 << 14);
        final HandlerRegistry<Timers> handlers = new HandlerRegistry<Timers>()
            .replicated(SCHEDULE, (t, ctx, b, o, l) -> t.ids.add(ctx.scheduleTimer(b.getLong(o), b.getLong(o + 8))))
            .replicated(CANCEL, (t, ctx, b, o, l) -> t.fired.add("cancel " + b.getLong(o) + "=" + ctx.cancelTimer(b.getLong(o))))
            .timers((t, ctx, id, deadline, correlation) ->
            {
                t.fired.add("id=" + id + " deadline=" + deadline + " corr=" + correlation + " now=" + ctx.timeNs());
                t.scratch.putLong(0, id);
                ctx.emit(FIRED, id, t.scratch, 0, 8);
            });
        final ReplicaGroup<Timers> group = ReplicaGroup.builder(i -> new Timers()).name("tt").replicas(replicas)
            .channel(TestChannels.ring(1 << 14)).multiPublisher(true).handlers(handlers).output(output, true)
            .idleStrategy(IdleStrategies.byName("park")).start();
        final EventPublisher pub = group.newPublisher();
        final UnsafeBuffer body = new UnsafeBuffer(new byte[16]);

        schedule(pub, body, 100, 1); // id 1
        schedule(pub, body, 50, 2);  // id 2
        schedule(pub, body, 100, 3); // id 3: same deadline as id 1, fires after it
        schedule(pub, body, 100, 4); // id 4: cancelled below
        body.putLong(0, 4);
        pub.publish(CANCEL, 0, body, 0, 8);
        pub.publishTick(49);         // nothing due
        pub.publishTick(100);        // 2, then 1 and 3 in id order
        schedule(pub, body, 100, 5); // id 5, already due: fires on the next tick
        pub.publishTick(90);         // time never goes back: now stays 100
        body.putLong(0, 1);
        pub.publish(CANCEL, 0, body, 0, 8);
        group.close(ShutdownMode.DRAIN);

        final List<String> expected = List.of(
            "cancel 4=true",
            "id=2 deadline=50 corr=2 now=100",
            "id=1 deadline=100 corr=1 now=100",
            "id=3 deadline=100 corr=3 now=100",
            "id=5 deadline=100 corr=5 now=100",
            "cancel 1=false");
        for (int r = 0; r < replicas; r++)
        {
            assertEquals(expected, group.domain(r).fired, "replica " + r);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), group.domain(r).ids);
        }
        final List<Long> emitted = new ArrayList<>();
        TestChannels.drainAll(output.subscriber(0), (type, b, o, l) -> emitted.add(EventDescriptor.key(b, o)));
        output.close();
        emitted.sort(null);
        assertEquals(List.of(1L, 2L, 3L, 5L), emitted, "each fired timer emitted exactly once");
    }

    private static void schedule(final EventPublisher pub, final UnsafeBuffer body, final long deadline, final long corr)
    {
        body.putLong(0, deadline);
        body.putLong(8, corr);
        pub.publish(SCHEDULE, 0, body, 0, 16);
    }
}
