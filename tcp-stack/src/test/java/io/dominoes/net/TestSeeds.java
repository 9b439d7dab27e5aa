package io.dominoes.net;

/**
 * Seeds for randomised tests: fixed by {@code -Ddominoes.test.seed=N} to replay a failure, fresh
 * otherwise. Every test prints the seed it used and puts it in its assertion messages.
 */
public final class TestSeeds
{
    private TestSeeds()
    {
    }

    /**
     * @param testName printed with the seed.
     * @return the seed to use.
     */
    public static long seed(final String testName)
    {
        final Long fixed = Long.getLong("dominoes.test.seed");
        final long seed = null != fixed ? fixed : System.nanoTime() ^ 0x9E3779B97F4A7C15L;
        System.out.println(testName + " seed=" + seed + " (replay with -Ddominoes.test.seed=" + seed + ")");
        return seed;
    }
}
