package io.dominoes.os.affinity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(30)
class CpuAffinityTest
{
    @Test
    void pinnedThreadRunsOnTheCpuItWasPinnedTo() throws Exception
    {
        assumeSupported();
        final int[] allowed = CpuAffinity.allowedCpus();
        assertTrue(allowed.length > 0, "allowed set is empty");
        final int target = allowed[allowed.length - 1];
        final AtomicReference<Object> result = new AtomicReference<>();
        // A fresh thread, so pinning does not leak into the surefire worker.
        final Thread t = new Thread(() ->
        {
            try
            {
                CpuAffinity.pinCurrentThread(target);
                final int[] now = CpuAffinity.allowedCpus();
                result.set(new int[]{ CpuAffinity.currentCpu(), now.length, now[0] });
            }
            catch (final Throwable ex)
            {
                result.set(ex);
            }
        });
        t.start();
        t.join();
        if (result.get() instanceof Throwable)
        {
            fail((Throwable)result.get());
        }
        final int[] r = (int[])result.get();
        assertEquals(target, r[0], "sched_getcpu after pinning");
        assertEquals(1, r[1], "allowed set size after pinning");
        assertEquals(target, r[2]);
    }

    @Test
    void pinningToAnOfflineCpuNamesTheCallAndErrno()
    {
        assumeSupported();
        final int[] allowed = CpuAffinity.allowedCpus();
        final int offline = CpuAffinity.MAX_CPUS - 1;
        assumeTrue(Arrays.stream(allowed).noneMatch(c -> c == offline), "cpu 1023 exists here");
        final AffinityException ex = assertThrows(AffinityException.class, () -> CpuAffinity.pinCurrentThread(offline));
        assertTrue(ex.getMessage().startsWith("sched_setaffinity(pid=0, cpu=1023) failed: errno 22"), ex.getMessage());
        assertEquals(22, ex.errno(), "EINVAL");
        // The failed call changed nothing.
        assertArrayEquals(allowed, CpuAffinity.allowedCpus());
    }

    @Test
    void outOfRangeCpuFailsFastNamingTheValue()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CpuAffinity.pinCurrentThread(-1));
        assertEquals("cpu=-1 not in [0, 1024)", ex.getMessage());
    }

    private static void assumeSupported()
    {
        if (System.getProperty("os.name", "").toLowerCase().contains("linux"))
        {
            assertTrue(CpuAffinity.isSupported(), "native affinity must load on Linux");
        }
        if (!CpuAffinity.isSupported())
        {
            System.out.println("SKIPPED: CPU affinity not supported on this platform");
        }
        assumeTrue(CpuAffinity.isSupported(), "CPU affinity not supported on this platform");
    }
}
