package io.dominoes.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One replica's counters, written only by its thread and readable from any thread at any time.
 * Plain padded longs rather than Agrona's CountersManager: the group is in-process and the values
 * are read by tests, the bench module and the CLI through this class.
 *
 * <p>Ordering: single writer, so an increment is a plain load plus a release store ({@code lazySet});
 * readers use a volatile load and see a recent, monotonic value. The array is padded by 16 longs
 * (128 bytes) on both sides so two replicas' counters never share a cache line.
 */
public final class ReplicaCounters
{
    /** Events handled by the replicated cursor (all types, including invalid and unhandled). */
    public static final int EVENTS = 0;
    /** Outbox offers that met back-pressure (the emission is retried, never lost). */
    public static final int BACK_PRESSURE = 1;
    /** Events too short for the runtime header, or malformed ticks: counted and skipped. */
    public static final int INVALID_INPUT = 2;
    /** Events of a type with no handler: counted and skipped. */
    public static final int UNHANDLED = 3;
    /** Events emitted (sent) by this replica. */
    public static final int EMITS = 4;
    /** Partitioned or claimed handler invocations on this replica. */
    public static final int PARTITIONED_RUNS = 5;
    /** Verdicts this replica computed as owner. */
    public static final int VERDICTS_COMPUTED = 6;
    /** Times the replicated cursor had to wait for an owner's verdict. */
    public static final int VERDICT_WAITS = 7;
    /** Digest comparisons made. */
    public static final int DIGESTS_COMPARED = 8;
    /** Digest comparisons skipped because the other replica was too far ahead. */
    public static final int DIGESTS_SKIPPED = 9;
    /** Timers fired. */
    public static final int TIMERS_FIRED = 10;
    /** Verdict waits that outlasted the spin and yield phases and went to the idle strategy (which may park). */
    public static final int VERDICT_IDLES = 11;
    /** Direct events (see {@link HandlerRegistry#direct}) this replica handled as their owner. */
    public static final int DIRECT_RUNS = 12;

    private static final String[] NAMES = {
        "events", "back-pressure", "invalid-input", "unhandled", "emits", "partitioned-runs",
        "verdicts-computed", "verdict-waits", "digests-compared", "digests-skipped", "timers-fired", "verdict-idles",
        "direct-runs" };
    private static final int PAD = 16;

    private final AtomicLongArray values = new AtomicLongArray(PAD + NAMES.length + PAD);

    /**
     * @param id one of the constants.
     * @return current value.
     */
    public long get(final int id)
    {
        return values.get(PAD + id);
    }

    /**
     * @param id one of the constants.
     * @return its name.
     */
    public static String name(final int id)
    {
        return NAMES[id];
    }

    /**
     * @return number of counters.
     */
    public static int count()
    {
        return NAMES.length;
    }

    void increment(final int id)
    {
        final int i = PAD + id;
        // Single writer: its own last store is what a plain load sees (program order), so no lost update and no
        // need for the volatile load get() would do on every event; the release store publishes to readers.
        values.lazySet(i, values.getPlain(i) + 1);
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < NAMES.length; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(NAMES[i]).append('=').append(get(i));
        }
        return sb.append('}').toString();
    }
}
