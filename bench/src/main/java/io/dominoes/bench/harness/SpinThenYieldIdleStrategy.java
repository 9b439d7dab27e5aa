package io.dominoes.bench.harness;

import org.agrona.concurrent.IdleStrategy;

/**
 * The channel harnesses' twin of the Disruptor's {@code YieldingWaitStrategy}, so that in
 * {@link WaitMode#YIELD} both sides wait the same way: after work, up to {@link #SPIN_TRIES} idle
 * calls only count down (a busy spin), then every further idle call yields. (Agrona's
 * {@code YieldingIdleStrategy} yields on the first idle call, which on an oversubscribed machine
 * gives the time slice away far sooner than the Disruptor's handlers do.)
 */
final class SpinThenYieldIdleStrategy implements IdleStrategy
{
    /**
     * Idle calls spent spinning before yielding, as the Disruptor's {@code YieldingWaitStrategy}.
     */
    static final int SPIN_TRIES = 100;

    private int counter = SPIN_TRIES;

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            counter = SPIN_TRIES;
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        if (0 == counter)
        {
            Thread.yield();
        }
        else
        {
            --counter;
        }
    }

    @Override
    public void reset()
    {
        counter = SPIN_TRIES;
    }

    @Override
    public String alias()
    {
        return "spin-then-yield";
    }
}
