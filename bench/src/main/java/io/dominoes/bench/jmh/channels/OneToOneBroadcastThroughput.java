package io.dominoes.bench.jmh.channels;

/**
 * 1P-1C: one publisher, one subscriber.
 */
public class OneToOneBroadcastThroughput extends BroadcastThroughputBenchmark
{
    @Override
    protected int subscribers()
    {
        return 1;
    }
}
