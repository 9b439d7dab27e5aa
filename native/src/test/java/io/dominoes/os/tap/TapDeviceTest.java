package io.dominoes.os.tap;

import io.dominoes.os.ErrnoException;
import io.dominoes.os.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TapDeviceTest
{
    private static void assumeRoot(final String test)
    {
        final boolean ok = Native.isRoot() && Files.exists(Path.of("/dev/net/tun"));
        if (!ok)
        {
            System.out.println("SKIPPED " + test + ": needs root and /dev/net/tun");
        }
        Assumptions.assumeTrue(ok, "needs root and /dev/net/tun");
    }

    @Test
    @Timeout(30)
    void shouldCreateTapReadItsMtuBringItUpAndRemoveItOnClose()
    {
        assumeRoot("shouldCreateTapReadItsMtuBringItUpAndRemoveItOnClose");
        final String name = "dtapt" + (ProcessHandle.current().pid() % 10000);
        try (TapDevice tap = TapDevice.open(name, false))
        {
            assertEquals(name, tap.name());
            assertTrue(Files.exists(Path.of("/sys/class/net", name)));
            assertEquals(1500, tap.mtu());
            // The kernel gives a TAP a random, locally administered (bit 1), unicast (bit 0 clear) MAC.
            final long firstOctet = tap.kernelHardwareAddress() >>> 40;
            assertEquals(0x02, firstOctet & 0x03, "first octet " + Long.toHexString(firstOctet));
            assertFalse(tap.isUp());
            tap.bringUp();
            assertTrue(tap.isUp());

            // Nothing was sent yet (or only IPv6 router solicitations once up): read must not block.
            final Pointer frame = Memory.allocateDirect(Native.runtime(), 2048);
            final int n = tap.read(frame.address(), 2048);
            assertTrue(n >= 0);
        }
        assertFalse(Files.exists(Path.of("/sys/class/net", name)), "interface removed on close");
    }

    @Test
    @Timeout(30)
    void shouldReportIoctlFailureNamingTheCall()
    {
        assumeRoot("shouldReportIoctlFailureNamingTheCall");
        final ErrnoException ex = assertThrows(ErrnoException.class, () -> TapDevice.open("bad name/x", false));
        assertTrue(ex.getMessage().startsWith("ioctl("), ex.getMessage());
        assertTrue(ex.getMessage().contains("TUNSETIFF"), ex.getMessage());
    }

    @Test
    void shouldRejectOverlongNameBeforeAnySyscall()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new IfReq().name("a-very-long-interface-name"));
        assertEquals("interface name 'a-very-long-interface-name' is 26 bytes, limit 15", ex.getMessage());
    }

    @Test
    void shouldNameTheCallAndErrnoWhenOpenFails()
    {
        final int fd = Native.libc().open("/nonexistent/dominoes", 0);
        assertEquals(-1, fd);
        final ErrnoException ex = Native.error("open(/nonexistent/dominoes)");
        assertEquals(2, ex.errno());
        assertEquals("open(/nonexistent/dominoes)", ex.call());
        assertEquals("open(/nonexistent/dominoes) failed: errno=2 (No such file or directory)", ex.getMessage());
    }
}
