package io.dominoes.os.tap;

import io.dominoes.os.LibC;
import io.dominoes.os.Native;
import io.dominoes.os.linux.LinuxConstants;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A Linux TAP device: a file descriptor on {@code /dev/net/tun} attached with
 * {@code ioctl(TUNSETIFF, IFF_TAP | IFF_NO_PI)} (Documentation/networking/tuntap.rst), opened
 * non-blocking. Each read returns one whole Ethernet frame the kernel sent out of the interface;
 * each write injects one whole frame into it.
 * <p>
 * Data calls ({@link #read}, {@link #write}) take raw addresses of off-heap memory and allocate
 * nothing. Not thread safe: one thread reads and writes (the poll loop). Errors other than
 * "would block" become {@link io.dominoes.os.ErrnoException} naming the call.
 */
public final class TapDevice implements AutoCloseable
{
    private static final String TUN_PATH = "/dev/net/tun";

    private final LibC libc = Native.libc();
    private final IfReq ifReq = new IfReq();
    private final Pointer pollFd = Memory.allocateDirect(Native.runtime(), LinuxConstants.POLLFD_SIZE, true);
    private final String name;
    private final boolean vnetHeader;
    private int offloadFlags;
    private int fd;

    private TapDevice(final int fd, final String name, final boolean vnetHeader)
    {
        this.fd = fd;
        this.name = name;
        this.vnetHeader = vnetHeader;
    }

    /**
     * Create (or attach to) a TAP interface. Needs CAP_NET_ADMIN. The interface disappears when the
     * descriptor is closed unless it was made persistent elsewhere.
     *
     * @param requestedName e.g. "dtap0", or "" to let the kernel pick "tapN".
     * @param vnetHeader    true for IFF_VNET_HDR: every frame read or written is preceded by a
     *                      {@value LinuxConstants#VIRTIO_NET_HDR_LENGTH}-byte struct virtio_net_hdr.
     * @return the open device.
     * @throws io.dominoes.os.ErrnoException if open or ioctl fails (EPERM without CAP_NET_ADMIN).
     */
    public static TapDevice open(final String requestedName, final boolean vnetHeader)
    {
        final LibC libc = Native.libc();
        final int fd = libc.open(TUN_PATH, LinuxConstants.O_RDWR | LinuxConstants.O_NONBLOCK | LinuxConstants.O_CLOEXEC);
        if (fd < 0)
        {
            throw Native.error("open(" + TUN_PATH + ")");
        }
        try
        {
            final IfReq req = new IfReq().clear().name(requestedName);
            short flags = (short)(LinuxConstants.IFF_TAP | LinuxConstants.IFF_NO_PI);
            if (vnetHeader)
            {
                flags |= LinuxConstants.IFF_VNET_HDR;
            }
            req.flags(flags);
            if (libc.ioctl(fd, LinuxConstants.TUNSETIFF, req.pointer()) < 0)
            {
                throw Native.error("ioctl(" + fd + ", TUNSETIFF, " + requestedName + ")");
            }
            if (vnetHeader)
            {
                setVnetHeaderSize(libc, fd, LinuxConstants.VIRTIO_NET_HDR_LENGTH);
            }
            return new TapDevice(fd, req.name(), vnetHeader);
        }
        catch (final RuntimeException ex)
        {
            libc.close(fd);
            throw ex;
        }
    }

    private static void setVnetHeaderSize(final LibC libc, final int fd, final int size)
    {
        // drivers/net/tun.c TUNSETVNETHDRSZ: copy_from_user(&vnet_hdr_sz, argp, sizeof(int)), so by pointer.
        final Pointer arg = Memory.allocateDirect(Native.runtime(), 4, true);
        arg.putInt(0, size);
        if (libc.ioctl(fd, LinuxConstants.TUNSETVNETHDRSZ, arg) < 0)
        {
            throw Native.error("ioctl(" + fd + ", TUNSETVNETHDRSZ, " + size + ")");
        }
    }

    /**
     * Tell the kernel which offloads this reader handles (TUNSETOFFLOAD), e.g.
     * {@code TUN_F_CSUM | TUN_F_TSO4}: the interface then advertises checksum offload and TSO, so the
     * kernel hands over TCP segments up to 64 KiB with a partial checksum, described by the
     * virtio_net_hdr. Only meaningful with IFF_VNET_HDR.
     *
     * @param flags TUN_F_* bits (linux/if_tun.h).
     * @throws IllegalStateException if the device was not opened with IFF_VNET_HDR.
     */
    public void setOffload(final int flags)
    {
        ensureOpen();
        if (!vnetHeader)
        {
            throw new IllegalStateException("TUNSETOFFLOAD flags=0x" + Integer.toHexString(flags) +
                " needs IFF_VNET_HDR, but " + name + " was opened without it");
        }
        if (libc.ioctl(fd, LinuxConstants.TUNSETOFFLOAD, (long)flags) < 0)
        {
            throw Native.error("ioctl(" + name + ", TUNSETOFFLOAD, 0x" + Integer.toHexString(flags) + ")");
        }
        offloadFlags = flags;
    }

    /**
     * @return the TUN_F_* flags last set with {@link #setOffload}, 0 if none.
     */
    public int offloadFlags()
    {
        return offloadFlags;
    }

    /**
     * @return the interface name the kernel assigned.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return true if frames carry a virtio_net_hdr prefix.
     */
    public boolean vnetHeader()
    {
        return vnetHeader;
    }

    /**
     * @return the file descriptor (for an external poller).
     */
    public int fd()
    {
        return fd;
    }

    /**
     * Read one frame without blocking.
     *
     * @param address  of off-heap memory to fill.
     * @param capacity bytes available there; a longer frame is truncated by the kernel.
     * @return the frame length, or 0 if no frame is waiting.
     */
    public int read(final long address, final int capacity)
    {
        final long n = libc.read(fd, address, capacity);
        if (n >= 0)
        {
            return (int)n;
        }
        return wouldBlockOrThrow("read(" + name + ")");
    }

    /**
     * Write one frame without blocking.
     *
     * @param address of the frame in off-heap memory.
     * @param length  of the frame.
     * @return length if written, 0 if the device would block (the frame was not sent).
     */
    public int write(final long address, final int length)
    {
        final long n = libc.write(fd, address, length);
        if (n >= 0)
        {
            return (int)n;
        }
        return wouldBlockOrThrow("write(" + name + ", " + length + ")");
    }

    private int wouldBlockOrThrow(final String call)
    {
        final int errno = Native.errno();
        if (errno == LinuxConstants.EAGAIN || errno == LinuxConstants.EINTR)
        {
            return 0;
        }
        throw Native.error(call);
    }

    /**
     * Wait until a frame can be read or the timeout passes (poll(2) on the descriptor), so a test or
     * an idle loop can block instead of spinning.
     *
     * @param timeoutMs 0 to check, negative to wait forever.
     * @return true if readable.
     */
    public boolean awaitReadable(final int timeoutMs)
    {
        pollFd.putInt(0, fd);
        pollFd.putShort(4, LinuxConstants.POLLIN);
        pollFd.putShort(6, (short)0);
        final int n = libc.poll(pollFd, 1, timeoutMs);
        if (n < 0)
        {
            if (Native.errno() == LinuxConstants.EINTR)
            {
                return false;
            }
            throw Native.error("poll(" + name + ")");
        }
        return n > 0 && (pollFd.getShort(6) & LinuxConstants.POLLIN) != 0;
    }

    /**
     * @return the interface MTU (SIOCGIFMTU), the largest IP packet, excluding the Ethernet header.
     */
    public int mtu()
    {
        interfaceIoctl(LinuxConstants.SIOCGIFMTU, "SIOCGIFMTU");
        return ifReq.mtu();
    }

    /**
     * @return the kernel side's MAC address (SIOCGIFHWADDR). A user-space stack on this device is a
     * different host on the link and must use a different MAC.
     */
    public long kernelHardwareAddress()
    {
        interfaceIoctl(LinuxConstants.SIOCGIFHWADDR, "SIOCGIFHWADDR");
        return ifReq.hardwareAddress();
    }

    /**
     * Set IFF_UP on the interface (SIOCGIFFLAGS then SIOCSIFFLAGS), like {@code ip link set up}.
     */
    public void bringUp()
    {
        interfaceIoctl(LinuxConstants.SIOCGIFFLAGS, "SIOCGIFFLAGS");
        final short flags = ifReq.flags();
        ifReq.clear().name(name).flags((short)(flags | LinuxConstants.IFF_UP));
        controlIoctl(LinuxConstants.SIOCSIFFLAGS, "SIOCSIFFLAGS");
    }

    /**
     * @return true if the interface has IFF_UP.
     */
    public boolean isUp()
    {
        interfaceIoctl(LinuxConstants.SIOCGIFFLAGS, "SIOCGIFFLAGS");
        return (ifReq.flags() & LinuxConstants.IFF_UP) != 0;
    }

    private void interfaceIoctl(final long request, final String requestName)
    {
        ifReq.clear().name(name);
        controlIoctl(request, requestName);
    }

    /**
     * Interface ioctls go through any socket (netdevice(7)); an AF_INET datagram socket is the
     * customary one.
     */
    private void controlIoctl(final long request, final String requestName)
    {
        ensureOpen();
        final int socket = libc.socket(LinuxConstants.AF_INET, LinuxConstants.SOCK_DGRAM | LinuxConstants.SOCK_CLOEXEC, 0);
        if (socket < 0)
        {
            throw Native.error("socket(AF_INET, SOCK_DGRAM) for " + requestName);
        }
        try
        {
            if (libc.ioctl(socket, request, ifReq.pointer()) < 0)
            {
                throw Native.error("ioctl(" + requestName + ", " + name + ")");
            }
        }
        finally
        {
            libc.close(socket);
        }
    }

    private void ensureOpen()
    {
        if (fd < 0)
        {
            throw new IllegalStateException("TAP device " + name + " is closed");
        }
    }

    /**
     * Close the descriptor; a non-persistent interface is then removed by the kernel. Idempotent.
     */
    @Override
    public void close()
    {
        if (fd >= 0)
        {
            final int closing = fd;
            fd = -1;
            if (libc.close(closing) < 0)
            {
                throw Native.error("close(" + name + ")");
            }
        }
    }
}
