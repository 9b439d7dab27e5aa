package io.dominoes.bench.cli;

import io.dominoes.bench.jmh.core.OversubscribedBulkSynchronous;
import io.dominoes.bench.jmh.core.OversubscribedReplicaPolling;
import io.dominoes.bench.jmh.core.ReplicaGroupOverhead;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each JMH suite besides the broadcast one runs end to end (in this JVM, 200 ms, non-spinning
 * waits so the 2-core machine is not swamped) and reports a positive score; a harness check that
 * fails would fail the run instead.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JmhSuitesSmokeTest
{
    private static double score(final Class<?> benchmark, final String method, final String... params)
    {
        ChainedOptionsBuilder b = new OptionsBuilder()
            .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .shouldFailOnError(true);
        for (int i = 0; i < params.length; i += 2)
        {
            b = b.param(params[i], params[i + 1]);
        }
        final RunResult result = JmhRuns.runOne(JmhRuns.withProjectFlags(b, List.of()).build(), benchmark.getSimpleName());
        return result.getPrimaryResult().getScore();
    }

    @Test
    void oversubscribedReplicaPollingDeliversToFourReplicas()
    {
        final double s = score(OversubscribedReplicaPolling.class, "publish", "idle", "yield");
        assertTrue(s > 0, "score " + s);
    }

    @Test
    void bulkSynchronousSuperstepsComplete()
    {
        for (final String idle : new String[] {"park", "two-phase", "adaptive"})
        {
            final double s = score(OversubscribedBulkSynchronous.class, "superstep", "idle", idle, "work", "1000");
            assertTrue(s > 0, idle + " score " + s);
        }
    }

    @Test
    void replicaGroupOverheadRunsBothHandlerKinds()
    {
        for (final String handler : new String[] {"replicated", "partitioned"})
        {
            final double s = score(ReplicaGroupOverhead.class, "publish", "handler", handler, "replicas", "2", "idle", "park");
            assertTrue(s > 0, handler + " score " + s);
        }
    }
}
