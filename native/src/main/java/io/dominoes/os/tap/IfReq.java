package io.dominoes.os.tap;

import io.dominoes.os.Native;
import io.dominoes.os.linux.LinuxConstants;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * A {@code struct ifreq} (linux/if.h) in native memory, for the interface ioctls.
 * <pre>
 *   0                16              18        20                  40
 *  +----------------+---------------+---------+-------------------+
 *  | ifr_name[16]   | ifr_flags (s) |         |                   |  flags
 *  |                | ifr_mtu (int)           |                   |  mtu
 *  |                | sa_family (s) | sa_data (hwaddr, 6 bytes) ...|  hwaddr
 *  +----------------+---------------+---------+-------------------+
 * </pre>
 * Not thread safe; one per device, used only by control calls.
 */
final class IfReq
{
    private final Pointer memory = Memory.allocateDirect(Native.runtime(), LinuxConstants.IFREQ_SIZE, true);

    Pointer pointer()
    {
        return memory;
    }

    IfReq clear()
    {
        memory.setMemory(0, LinuxConstants.IFREQ_SIZE, (byte)0);
        return this;
    }

    /**
     * @param name interface name, at most IFNAMSIZ - 1 bytes (the kernel needs the terminating NUL).
     */
    IfReq name(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > LinuxConstants.IFNAMSIZ - 1)
        {
            throw new IllegalArgumentException(
                "interface name '" + name + "' is " + bytes.length + " bytes, limit " + (LinuxConstants.IFNAMSIZ - 1));
        }
        memory.put(0, bytes, 0, bytes.length);
        memory.putByte(bytes.length, (byte)0);
        return this;
    }

    String name()
    {
        final byte[] bytes = new byte[LinuxConstants.IFNAMSIZ];
        memory.get(0, bytes, 0, bytes.length);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0)
        {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }

    IfReq flags(final short flags)
    {
        memory.putShort(LinuxConstants.IFREQ_UNION_OFFSET, flags);
        return this;
    }

    short flags()
    {
        return memory.getShort(LinuxConstants.IFREQ_UNION_OFFSET);
    }

    IfReq mtu(final int mtu)
    {
        memory.putInt(LinuxConstants.IFREQ_UNION_OFFSET, mtu);
        return this;
    }

    int mtu()
    {
        return memory.getInt(LinuxConstants.IFREQ_UNION_OFFSET);
    }

    /**
     * @return the 6-byte hardware address of ifr_hwaddr.sa_data, first octet most significant.
     */
    long hardwareAddress()
    {
        long value = 0;
        for (int i = 0; i < 6; i++)
        {
            value = (value << 8) |
                (memory.getByte(LinuxConstants.IFREQ_UNION_OFFSET + LinuxConstants.SOCKADDR_DATA_OFFSET + i) & 0xFF);
        }
        return value;
    }
}
