package io.dominoes.os.linux;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinuxConstantsTest
{
    @Test
    void shouldEncodeIoctlNumbersAsTheKernelHeadersDo()
    {
        // Values as printed by a C program including <linux/if_tun.h> on x86_64 and arm64.
        assertEquals(0x400454CAL, LinuxConstants.TUNSETIFF);
        assertEquals(0x400454CBL, LinuxConstants.TUNSETPERSIST);
        assertEquals(0x400454D8L, LinuxConstants.TUNSETVNETHDRSZ);
        // _IOR('T', 210, unsigned int) is TUNGETIFF, 0x800454d2: checks the read direction bit.
        assertEquals(0x800454D2L, LinuxConstants.ioc(LinuxConstants.IOC_READ, 'T', 210, 4));
    }

    @Test
    void shouldUseGenericOpenFlags()
    {
        assertEquals(04000, LinuxConstants.O_NONBLOCK);
        assertEquals(02000000, LinuxConstants.O_CLOEXEC);
    }
}
