package io.dominoes.tasks.local;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class WorkerCountersPad0
{
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class WorkerCountersFields extends WorkerCountersPad0
{
    long executed;
    long spawned;
    long stolen;
    long duplicates;
}

/**
 * One worker's progress counters, padded off its neighbours' lines. Single writer (the worker): increments are a plain
 * read of its own last value and an opaque write (no fence), which is enough for readers on other threads that only
 * need an eventually up-to-date, never torn, value.
 */
final class WorkerCounters extends WorkerCountersFields
{
    long p10, p11, p12, p13, p14, p15, p16, p17;

    private static final VarHandle EXECUTED;
    private static final VarHandle SPAWNED;
    private static final VarHandle STOLEN;
    private static final VarHandle DUPLICATES;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            EXECUTED = lookup.findVarHandle(WorkerCountersFields.class, "executed", long.class);
            SPAWNED = lookup.findVarHandle(WorkerCountersFields.class, "spawned", long.class);
            STOLEN = lookup.findVarHandle(WorkerCountersFields.class, "stolen", long.class);
            DUPLICATES = lookup.findVarHandle(WorkerCountersFields.class, "duplicates", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    void addExecuted(final long n)
    {
        EXECUTED.setOpaque(this, executed + n);
    }

    void addSpawned(final long n)
    {
        SPAWNED.setOpaque(this, spawned + n);
    }

    void addStolen(final long n)
    {
        STOLEN.setOpaque(this, stolen + n);
    }

    void addDuplicates(final long n)
    {
        DUPLICATES.setOpaque(this, duplicates + n);
    }

    long executed()
    {
        return (long)EXECUTED.getOpaque(this);
    }

    long spawned()
    {
        return (long)SPAWNED.getOpaque(this);
    }

    long stolen()
    {
        return (long)STOLEN.getOpaque(this);
    }

    long duplicates()
    {
        return (long)DUPLICATES.getOpaque(this);
    }
}
