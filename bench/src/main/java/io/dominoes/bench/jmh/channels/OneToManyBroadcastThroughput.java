package io.dominoes.bench.jmh.channels;

import org.openjdk.jmh.annotations.Param;

/**
 * 1P-NC for other subscriber counts (the command line's {@code --subscribers 4}).
 */
public class OneToManyBroadcastThroughput extends BroadcastThroughputBenchmark
{
    /**
     * Number of subscribers.
     */
    @Param("4")
    public int subscriberCount;

    @Override
    protected int subscribers()
    {
        return subscriberCount;
    }
}
