package io.dominoes.core.idle;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class IdleStrategiesTest
{
    @Test
    void namesMapToStrategies()
    {
        assertInstanceOf(BusySpinIdleStrategy.class, IdleStrategies.byName("spin").get());
        assertInstanceOf(YieldingIdleStrategy.class, IdleStrategies.byName("yield").get());
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.byName("park").get());
        assertInstanceOf(TwoPhaseIdleStrategy.class, IdleStrategies.byName("two-phase").get());
        assertInstanceOf(AdaptiveSpinIdleStrategy.class, IdleStrategies.byName("adaptive").get());
        assertNotSame(IdleStrategies.byName("park").get(), IdleStrategies.byName("park").get());
    }

    @Test
    void unknownNameFailsNamingTheValueAndChoices()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> IdleStrategies.byName("nap"));
        assertEquals("unknown idle strategy 'nap', expected spin|yield|park|two-phase|adaptive", ex.getMessage());
    }

    @Test
    void defaultNeverSpinsWhenThreadsOutnumberCores()
    {
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.defaultFor(3, 2).get());
        assertInstanceOf(TwoPhaseIdleStrategy.class, IdleStrategies.defaultFor(2, 2).get());
    }

    @Test
    void contextSwitchMeasurementIsClamped()
    {
        final long ns = ContextSwitchCalibrator.contextSwitchNs();
        assertTrue(ns >= ContextSwitchCalibrator.MIN_NS && ns <= ContextSwitchCalibrator.MAX_NS, "ns=" + ns);
        assertEquals(ns, ContextSwitchCalibrator.contextSwitchNs(), "measured once");
        assertEquals(ns, new TwoPhaseIdleStrategy().spinNs());
    }

    @Test
    void adaptiveSpinFollowsShortWaitsAndDropsForLongOnes()
    {
        final AdaptiveSpinIdleStrategy idle = new AdaptiveSpinIdleStrategy(100, 20_000, 1_000, 1_000_000);
        for (int i = 0; i < 100; i++)
        {
            idle.onWaitCompleted(3_000);
        }
        assertEquals(3_000, idle.meanWaitNs(), 10);
        assertEquals(6_000, idle.spinNs(), 20, "short waits: spin about twice the mean");
        for (int i = 0; i < 100; i++)
        {
            idle.onWaitCompleted(500_000);
        }
        assertEquals(100, idle.spinNs(), "long waits: spinning is wasted, drop to the minimum");
    }

    @Test
    void adaptiveYieldPhaseFollowsWaitsUpToItsLimitThenGivesWayToParking()
    {
        final AdaptiveSpinIdleStrategy idle = new AdaptiveSpinIdleStrategy(0, 20_000, 500_000, 1_000, 1_000_000);
        for (int i = 0; i < 100; i++)
        {
            idle.onWaitCompleted(100_000);
        }
        assertEquals(0, idle.spinNs(), "waits beyond the spin limit: no spin");
        assertEquals(200_000, idle.yieldNs(), 2_000, "but yield for about twice the mean wait");
        for (int i = 0; i < 100; i++)
        {
            idle.onWaitCompleted(5_000_000);
        }
        assertEquals(0, idle.yieldNs(), "waits beyond the yield limit: straight to parking");
        assertEquals(0, new AdaptiveSpinIdleStrategy(0, 20_000, 1_000, 1_000_000).yieldNs(), "4-arg: no yield phase");
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveSpinIdleStrategy(0, 1, -1, 1, 2));
    }

    @Test
    void twoPhaseRejectsBadParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> new TwoPhaseIdleStrategy(-1, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new TwoPhaseIdleStrategy(0, 5, 2));
    }
}
