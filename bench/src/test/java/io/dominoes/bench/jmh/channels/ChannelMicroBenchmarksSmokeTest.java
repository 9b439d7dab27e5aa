package io.dominoes.bench.jmh.channels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The channel micro-benchmarks run end to end (in this JVM, 100 ms each, no timing asserted) and
 * every parameter combination reports a positive score; a failed check (a message not delivered or
 * not matching) fails the run instead.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChannelMicroBenchmarksSmokeTest
{
    private static Collection<RunResult> run(final String regex) throws RunnerException
    {
        return new Runner(new OptionsBuilder()
            .include(regex)
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .build()).run();
    }

    @Test
    void pathCostRunsRingAndDisruptorWithCheckedMessages() throws RunnerException
    {
        final Collection<RunResult> results =
            run("^" + Pattern.quote(BroadcastPathCostBenchmark.class.getName() + ".publishThenDrain") + "$");
        assertEquals(2, results.size());
        for (final RunResult r : results)
        {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getParam("impl") + " score");
        }
    }

    @Test
    void falseSharingRunsBothLayoutsAndBothGroups() throws RunnerException
    {
        final Collection<RunResult> results =
            run("^" + Pattern.quote(RingCursorFalseSharingBenchmark.class.getName()) + "\\.(single|multi)$");
        assertEquals(4, results.size());
        for (final RunResult r : results)
        {
            assertTrue(r.getPrimaryResult().getScore() > 0,
                r.getParams().getBenchmark() + " " + r.getParams().getParam("layout") + " score");
        }
    }
}
