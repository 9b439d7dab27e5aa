package io.dominoes.bench.jmh.channels;

/**
 * 1P-2C: one publisher, two subscribers.
 */
public class OneToTwoBroadcastThroughput extends BroadcastThroughputBenchmark
{
    @Override
    protected int subscribers()
    {
        return 2;
    }
}
