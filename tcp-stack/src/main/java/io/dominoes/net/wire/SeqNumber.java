package io.dominoes.net.wire;

/**
 * TCP sequence numbers as raw {@code int}s compared modulo 2^32.
 * <p>
 * RFC 9293 3.4: "It is essential to remember that the actual sequence number space is finite, though
 * very large. This space ranges from 0 to 2^32 - 1. Since the space is finite, all arithmetic dealing
 * with sequence numbers must be performed modulo 2^32." Comparisons are meaningful only between numbers
 * less than 2^31 apart, which the window sizes TCP allows guarantee.
 */
public final class SeqNumber
{
    private SeqNumber()
    {
    }

    /**
     * @param a sequence number.
     * @param b sequence number.
     * @return the signed distance {@code a - b} in sequence space.
     */
    public static int diff(final int a, final int b)
    {
        return a - b;
    }

    /**
     * @return true when {@code a < b} modulo 2^32.
     */
    public static boolean lt(final int a, final int b)
    {
        return a - b < 0;
    }

    /**
     * @return true when {@code a <= b} modulo 2^32.
     */
    public static boolean le(final int a, final int b)
    {
        return a - b <= 0;
    }

    /**
     * @return true when {@code a > b} modulo 2^32.
     */
    public static boolean gt(final int a, final int b)
    {
        return a - b > 0;
    }

    /**
     * @return true when {@code a >= b} modulo 2^32.
     */
    public static boolean ge(final int a, final int b)
    {
        return a - b >= 0;
    }

    /**
     * @return the later of two sequence numbers.
     */
    public static int max(final int a, final int b)
    {
        return a - b >= 0 ? a : b;
    }

    /**
     * @return the earlier of two sequence numbers.
     */
    public static int min(final int a, final int b)
    {
        return a - b <= 0 ? a : b;
    }

    /**
     * @param seq   to test.
     * @param start inclusive start of the range.
     * @param end   exclusive end of the range.
     * @return true when {@code start <= seq < end} modulo 2^32.
     */
    public static boolean inRange(final int seq, final int start, final int end)
    {
        return seq - start >= 0 && seq - end < 0;
    }

    /**
     * @return the sequence number as an unsigned value, for logs.
     */
    public static long toUnsigned(final int seq)
    {
        return seq & 0xFFFF_FFFFL;
    }
}
