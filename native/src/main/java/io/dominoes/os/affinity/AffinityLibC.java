package io.dominoes.os.affinity;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The glibc calls CPU affinity needs, bound with JNR-FFI. Kept in this package (not io.dominoes.os)
 * so the affinity corner owns its whole native surface.
 *
 * <p>Public only because JNR-FFI generates the implementation in its own class loader; use
 * {@link CpuAffinity}, not this interface.
 *
 * <p>Signatures from sched_setaffinity(2) and sched_getcpu(3):
 * <pre>
 * int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask);
 * int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);
 * int sched_getcpu(void);
 * char *strerror(int errnum);
 * </pre>
 * {@code cpu_set_t} is a bit array of {@code unsigned long}; bit {@code c % 64} of word {@code c / 64}
 * is CPU {@code c} (glibc {@code __CPUELT}/{@code __CPUMASK}), so a {@code long[]} is its layout on
 * 64-bit Linux.
 */
public interface AffinityLibC
{
    @SaveError
    int sched_setaffinity(int pid, long cpusetsize, @In long[] mask);

    @SaveError
    int sched_getaffinity(int pid, long cpusetsize, @Out long[] mask);

    @SaveError
    int sched_getcpu();

    String strerror(int errnum);
}
