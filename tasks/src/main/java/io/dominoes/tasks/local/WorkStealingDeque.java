package io.dominoes.tasks.local;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class WorkStealingDequePad0
{
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16;
}

abstract class WorkStealingDequeTop extends WorkStealingDequePad0
{
    /** Next index thieves take; only ever increased, by CAS. */
    volatile long top;
}

abstract class WorkStealingDequePad1 extends WorkStealingDequeTop
{
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p30, p31, p32, p33, p34, p35, p36;
}

abstract class WorkStealingDequeBottom extends WorkStealingDequePad1
{
    /** Next index the owner pushes to; written only by the owner. */
    volatile long bottom;
    /** Ring of slots, replaced (never shrunk) by the owner when full. */
    volatile Object[] array;
}

abstract class WorkStealingDequePad2 extends WorkStealingDequeBottom
{
    long p40, p41, p42, p43, p44, p45, p46, p47;
    long p50, p51, p52, p53, p54, p55, p56;
}

/**
 * Single-owner, multi-thief work-stealing deque after Chase and Lev (SPAA 2005), with the memory orderings of
 * Lê, Pop, Cohen and Zappa Nardelli, "Correct and Efficient Work-Stealing for Weak Memory Models" (PPoPP 2013).
 * The owner pushes and takes at the bottom (LIFO: newest, hot in cache, Cilk's work-first order); thieves take at the
 * top (FIFO: oldest, usually the biggest subtree). {@code top} and {@code bottom} live on their own cache lines.
 * <p>
 * Threading: {@link #push(Object)} and {@link #take()} by the owner only; {@link #steal()} by any thread.
 *
 * @param <E> element type.
 */
final class WorkStealingDeque<E> extends WorkStealingDequePad2
{
    private static final VarHandle TOP;
    private static final VarHandle BOTTOM;
    private static final VarHandle ARRAY;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(WorkStealingDequeTop.class, "top", long.class);
            BOTTOM = lookup.findVarHandle(WorkStealingDequeBottom.class, "bottom", long.class);
            ARRAY = lookup.findVarHandle(WorkStealingDequeBottom.class, "array", Object[].class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * @param initialCapacity power of two, at least 2.
     */
    WorkStealingDeque(final int initialCapacity)
    {
        if (initialCapacity < 2 || Integer.bitCount(initialCapacity) != 1)
        {
            throw new IllegalArgumentException("initialCapacity must be a power of two >= 2: " + initialCapacity);
        }
        ARRAY.setRelease(this, new Object[initialCapacity]);
    }

    /**
     * Owner only: push at the bottom.
     *
     * @param element non-null.
     */
    void push(final E element)
    {
        // Only the owner writes bottom, so a plain read of our own last write is exact.
        final long b = (long)BOTTOM.get(this);
        // Acquire pairs with the thieves' CAS on top: we see every slot they have already vacated before reusing it.
        final long t = (long)TOP.getAcquire(this);
        Object[] a = (Object[])ARRAY.get(this);
        if (b - t > a.length - 1)
        {
            a = grow(a, t, b);
        }
        SLOT.set(a, (int)b & (a.length - 1), element);
        // Release: the slot write above is visible to any thief that acquires this bottom value before reading it.
        BOTTOM.setRelease(this, b + 1);
    }

    /**
     * Owner only: take the newest element.
     *
     * @return the element, or null when empty (or lost the last element to a thief).
     */
    @SuppressWarnings("unchecked")
    E take()
    {
        final long b = (long)BOTTOM.get(this) - 1;
        final Object[] a = (Object[])ARRAY.get(this);
        BOTTOM.set(this, b);
        // Full fence (StoreLoad): our claim on slot b (bottom = b) must be globally visible before we read top, or a
        // thief and we could both see the other's old index and take the same last element.
        VarHandle.fullFence();
        final long t = (long)TOP.get(this);
        if (t > b)
        {
            // Was empty: restore bottom. Plain is enough, thieves re-check with a CAS on top.
            BOTTOM.set(this, b + 1);
            return null;
        }
        final int index = (int)b & (a.length - 1);
        Object element = SLOT.get(a, index);
        if (t == b)
        {
            // Last element: race the thieves for it through the same CAS they use on top.
            if (!TOP.compareAndSet(this, t, t + 1))
            {
                element = null;
            }
            BOTTOM.set(this, b + 1);
        }
        if (element != null)
        {
            // Drop the reference so a finished subtree can be collected. Safe: no thief reads slot b any more (a thief
            // reads slot top only, and top > b now or the thief's CAS on top fails).
            SLOT.set(a, index, null);
        }
        return (E)element;
    }

    /**
     * Any thread: take the oldest element.
     *
     * @return the element, or null when empty or when another thread won the race (caller may retry elsewhere).
     */
    @SuppressWarnings("unchecked")
    E steal()
    {
        // Volatile reads of top then bottom: sequentially consistent, as the paper's fence between them requires.
        final long t = top;
        final long b = bottom;
        if (t >= b)
        {
            return null;
        }
        // The array read after bottom: a replaced array is published (release) before the bottom that needs it.
        final Object[] a = (Object[])ARRAY.getAcquire(this);
        final Object element = SLOT.getAcquire(a, (int)t & (a.length - 1));
        // The CAS decides ownership: if it fails the owner or another thief took index t, and what we read is not ours.
        if (element == null || !TOP.compareAndSet(this, t, t + 1))
        {
            return null;
        }
        return (E)element;
    }

    /**
     * @return approximate number of elements, any thread.
     */
    int size()
    {
        final long size = bottom - top;
        return size < 0 ? 0 : (int)size;
    }

    private Object[] grow(final Object[] old, final long t, final long b)
    {
        final Object[] grown = new Object[old.length << 1];
        for (long i = t; i < b; i++)
        {
            grown[(int)i & (grown.length - 1)] = old[(int)i & (old.length - 1)];
        }
        // Release: the copied slots are visible to a thief that acquires the new array. The old array stays valid for
        // thieves still reading it: its slots in [t, b) are unchanged.
        ARRAY.setRelease(this, grown);
        return grown;
    }
}
