package io.dominoes.os.affinity;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * CPU affinity of the calling thread on Linux: pin to one CPU, read the allowed set, read the CPU the
 * thread is running on. Every failing call turns its errno into an {@link AffinityException} naming the
 * call right here, so callers never see a raw return code.
 *
 * <p>Thread safety: all methods act on the calling thread only ({@code pid 0} means "this thread" for
 * sched_setaffinity(2)) and may be called from any thread.
 */
public final class CpuAffinity
{
    /**
     * Bits in the mask we pass; glibc's default {@code CPU_SETSIZE} is 1024.
     */
    public static final int MAX_CPUS = 1024;

    private static final int MASK_WORDS = MAX_CPUS / 64;
    private static final long MASK_BYTES = MASK_WORDS * 8L;

    private static final AffinityLibC LIBC;
    private static final Runtime RUNTIME;
    private static final Throwable LOAD_FAILURE;

    static
    {
        AffinityLibC libc = null;
        Runtime runtime = null;
        Throwable failure = null;
        try
        {
            if (!System.getProperty("os.name", "").toLowerCase().contains("linux"))
            {
                throw new UnsupportedOperationException("CPU affinity needs Linux, os.name=" +
                    System.getProperty("os.name"));
            }
            libc = LibraryLoader.create(AffinityLibC.class).load("c");
            runtime = Runtime.getRuntime(libc);
        }
        catch (final Throwable t)
        {
            failure = t;
        }
        LIBC = libc;
        RUNTIME = runtime;
        LOAD_FAILURE = failure;
    }

    private CpuAffinity()
    {
    }

    /**
     * @return true if the native calls are available on this platform.
     */
    public static boolean isSupported()
    {
        return null == LOAD_FAILURE;
    }

    /**
     * Pin the calling thread to one CPU.
     *
     * @param cpu to run on, {@code 0 <= cpu < MAX_CPUS}.
     * @throws IllegalArgumentException if cpu is out of range.
     * @throws AffinityException        if sched_setaffinity fails (e.g. EINVAL: the CPU is not online or
     *                                  not allowed by the cgroup/cpuset).
     */
    public static void pinCurrentThread(final int cpu)
    {
        if (cpu < 0 || cpu >= MAX_CPUS)
        {
            throw new IllegalArgumentException("cpu=" + cpu + " not in [0, " + MAX_CPUS + ")");
        }
        final AffinityLibC libc = libc();
        final long[] mask = new long[MASK_WORDS];
        mask[cpu >>> 6] = 1L << (cpu & 63);
        if (0 != libc.sched_setaffinity(0, MASK_BYTES, mask))
        {
            throw failure("sched_setaffinity(pid=0, cpu=" + cpu + ")");
        }
    }

    /**
     * Restrict the calling thread to a set of CPUs.
     *
     * @param cpus allowed, each {@code 0 <= cpu < MAX_CPUS}, at least one.
     * @throws IllegalArgumentException if the set is empty or a cpu is out of range.
     * @throws AffinityException        if sched_setaffinity fails.
     */
    public static void setAllowedCpus(final int[] cpus)
    {
        if (cpus.length == 0)
        {
            throw new IllegalArgumentException("cpus is empty");
        }
        final long[] mask = new long[MASK_WORDS];
        for (final int cpu : cpus)
        {
            if (cpu < 0 || cpu >= MAX_CPUS)
            {
                throw new IllegalArgumentException("cpu=" + cpu + " not in [0, " + MAX_CPUS + ")");
            }
            mask[cpu >>> 6] |= 1L << (cpu & 63);
        }
        if (0 != libc().sched_setaffinity(0, MASK_BYTES, mask))
        {
            throw failure("sched_setaffinity(pid=0, cpus=" + java.util.Arrays.toString(cpus) + ")");
        }
    }

    /**
     * @return the CPUs the calling thread may run on, ascending.
     * @throws AffinityException if sched_getaffinity fails.
     */
    public static int[] allowedCpus()
    {
        final long[] mask = new long[MASK_WORDS];
        if (0 != libc().sched_getaffinity(0, MASK_BYTES, mask))
        {
            throw failure("sched_getaffinity(pid=0)");
        }
        int count = 0;
        for (final long word : mask)
        {
            count += Long.bitCount(word);
        }
        final int[] cpus = new int[count];
        int i = 0;
        for (int w = 0; w < MASK_WORDS; w++)
        {
            long word = mask[w];
            while (word != 0)
            {
                cpus[i++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return cpus;
    }

    /**
     * Allocation-free and cheap (a vDSO call on x86-64 Linux), so replica loops may sample it.
     *
     * @return the CPU the calling thread is running on now.
     * @throws AffinityException if sched_getcpu fails (ENOSYS where the kernel lacks getcpu).
     */
    public static int currentCpu()
    {
        final int cpu = libc().sched_getcpu();
        if (cpu < 0)
        {
            throw failure("sched_getcpu()");
        }
        return cpu;
    }

    private static AffinityLibC libc()
    {
        if (null != LOAD_FAILURE)
        {
            throw new UnsupportedOperationException("CPU affinity unavailable: " + LOAD_FAILURE, LOAD_FAILURE);
        }
        return LIBC;
    }

    private static AffinityException failure(final String call)
    {
        // Read errno first: any further native call (strerror included) may overwrite it.
        final int errno = RUNTIME.getLastError();
        return new AffinityException(call + " failed: errno " + errno + " (" + LIBC.strerror(errno) + ")", errno);
    }
}
