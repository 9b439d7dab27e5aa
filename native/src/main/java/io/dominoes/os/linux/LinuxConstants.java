package io.dominoes.os.linux;

/**
 * Every Linux constant the native module passes to the kernel, in one place, each with the header
 * it comes from (x86_64 and arm64 agree on all of them: they come from the asm-generic headers or
 * from architecture-independent uapi headers). Paths are relative to the kernel's
 * {@code include/uapi/}.
 */
public final class LinuxConstants
{
    // ---- asm-generic/ioctl.h: "_IOC(dir,type,nr,size)" encoding ----

    /**
     * asm-generic/ioctl.h: {@code #define _IOC_NRSHIFT 0}, {@code _IOC_TYPESHIFT 8},
     * {@code _IOC_SIZESHIFT 16}, {@code _IOC_DIRSHIFT 30} (with 8-bit nr/type, 14-bit size).
     */
    public static final int IOC_NRSHIFT = 0;
    public static final int IOC_TYPESHIFT = 8;
    public static final int IOC_SIZESHIFT = 16;
    public static final int IOC_DIRSHIFT = 30;

    /**
     * asm-generic/ioctl.h: {@code #define _IOC_WRITE 1U}, {@code #define _IOC_READ 2U}.
     */
    public static final int IOC_WRITE = 1;
    public static final int IOC_READ = 2;

    // ---- linux/if_tun.h ----

    /**
     * linux/if_tun.h: {@code #define TUNSETIFF _IOW('T', 202, int)}.
     */
    public static final long TUNSETIFF = ioc(IOC_WRITE, 'T', 202, 4);

    /**
     * linux/if_tun.h: {@code #define TUNSETPERSIST _IOW('T', 203, int)}.
     */
    public static final long TUNSETPERSIST = ioc(IOC_WRITE, 'T', 203, 4);

    /**
     * linux/if_tun.h: {@code #define TUNSETVNETHDRSZ _IOW('T', 216, int)}.
     */
    public static final long TUNSETVNETHDRSZ = ioc(IOC_WRITE, 'T', 216, 4);

    /**
     * linux/if_tun.h: {@code #define IFF_TUN 0x0001}.
     */
    public static final short IFF_TUN = 0x0001;

    /**
     * linux/if_tun.h: {@code #define IFF_TAP 0x0002}.
     */
    public static final short IFF_TAP = 0x0002;

    /**
     * linux/if_tun.h: {@code #define IFF_NO_PI 0x1000} (no 4-byte packet-information prefix).
     */
    public static final short IFF_NO_PI = 0x1000;

    /**
     * linux/if_tun.h: {@code #define IFF_VNET_HDR 0x4000} (each frame is preceded by a
     * struct virtio_net_hdr).
     */
    public static final short IFF_VNET_HDR = 0x4000;

    /**
     * linux/virtio_net.h: {@code struct virtio_net_hdr} is 10 bytes (flags, gso_type, hdr_len,
     * gso_size, csum_start, csum_offset); the kernel's default vnet header size for TUN/TAP.
     */
    public static final int VIRTIO_NET_HDR_LENGTH = 10;

    /**
     * linux/virtio_net.h: {@code struct virtio_net_hdr_mrg_rxbuf} adds {@code __virtio16 num_buffers}
     * to struct virtio_net_hdr: 12 bytes (the size used with VIRTIO_NET_F_MRG_RXBUF).
     */
    public static final int VIRTIO_NET_HDR_MRG_RXBUF_LENGTH = 12;

    /**
     * linux/if_tun.h: {@code #define TUNSETOFFLOAD _IOW('T', 208, unsigned int)}; the offload flags
     * are passed by value (drivers/net/tun.c: {@code set_offload(tun, arg)}).
     */
    public static final long TUNSETOFFLOAD = ioc(IOC_WRITE, 'T', 208, 4);

    /**
     * linux/if_tun.h: {@code #define TUN_F_CSUM 0x01} ("You can hand me unchecksummed packets").
     */
    public static final int TUN_F_CSUM = 0x01;

    /**
     * linux/if_tun.h: {@code #define TUN_F_TSO4 0x02} ("I can handle TSO for IPv4 packets").
     */
    public static final int TUN_F_TSO4 = 0x02;

    /**
     * linux/virtio_net.h: {@code #define VIRTIO_NET_HDR_F_NEEDS_CSUM 1} ("Use csum_start, csum_offset").
     */
    public static final int VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;

    /**
     * linux/virtio_net.h: {@code #define VIRTIO_NET_HDR_F_DATA_VALID 2} ("Csum is valid").
     */
    public static final int VIRTIO_NET_HDR_F_DATA_VALID = 2;

    /**
     * linux/virtio_net.h: {@code #define VIRTIO_NET_HDR_GSO_NONE 0} ("Not a GSO frame").
     */
    public static final int VIRTIO_NET_HDR_GSO_NONE = 0;

    /**
     * linux/virtio_net.h: {@code #define VIRTIO_NET_HDR_GSO_TCPV4 1} ("GSO frame, IPv4 TCP (TSO)").
     */
    public static final int VIRTIO_NET_HDR_GSO_TCPV4 = 1;

    /**
     * linux/virtio_net.h: {@code #define VIRTIO_NET_HDR_GSO_ECN 0x80} ("TCP has ECN set"), or-ed into
     * gso_type.
     */
    public static final int VIRTIO_NET_HDR_GSO_ECN = 0x80;

    /**
     * Byte offsets of the fields of struct virtio_net_hdr (linux/virtio_net.h): {@code __u8 flags;
     * __u8 gso_type; __virtio16 hdr_len; __virtio16 gso_size; __virtio16 csum_start;
     * __virtio16 csum_offset;}. A TAP's __virtio16 is little-endian on little-endian hosts (and
     * with TUNSETVNETLE); this module supports only little-endian hosts (x86_64, arm64).
     */
    public static final int VIRTIO_NET_HDR_FLAGS_OFFSET = 0;
    public static final int VIRTIO_NET_HDR_GSO_TYPE_OFFSET = 1;
    public static final int VIRTIO_NET_HDR_HDR_LEN_OFFSET = 2;
    public static final int VIRTIO_NET_HDR_GSO_SIZE_OFFSET = 4;
    public static final int VIRTIO_NET_HDR_CSUM_START_OFFSET = 6;
    public static final int VIRTIO_NET_HDR_CSUM_OFFSET_OFFSET = 8;

    // ---- linux/if.h ----

    /**
     * linux/if.h: {@code #define IFNAMSIZ 16}.
     */
    public static final int IFNAMSIZ = 16;

    /**
     * linux/if.h: {@code struct ifreq} is IFNAMSIZ name bytes plus a union whose largest member,
     * {@code struct ifmap}, is 24 bytes on LP64: 40 bytes.
     */
    public static final int IFREQ_SIZE = 40;

    /**
     * Offset of the {@code ifr_ifru} union (flags, mtu, hwaddr) inside struct ifreq.
     */
    public static final int IFREQ_UNION_OFFSET = IFNAMSIZ;

    /**
     * linux/if.h: {@code IFF_UP = 1<<0} (enum net_device_flags).
     */
    public static final short IFF_UP = 0x1;

    /**
     * linux/if.h: {@code IFF_RUNNING = 1<<6}.
     */
    public static final short IFF_RUNNING = 0x40;

    // ---- linux/sockios.h ----

    /**
     * linux/sockios.h: {@code #define SIOCGIFFLAGS 0x8913}.
     */
    public static final long SIOCGIFFLAGS = 0x8913;

    /**
     * linux/sockios.h: {@code #define SIOCSIFFLAGS 0x8914}.
     */
    public static final long SIOCSIFFLAGS = 0x8914;

    /**
     * linux/sockios.h: {@code #define SIOCGIFMTU 0x8921}.
     */
    public static final long SIOCGIFMTU = 0x8921;

    /**
     * linux/sockios.h: {@code #define SIOCSIFMTU 0x8922}.
     */
    public static final long SIOCSIFMTU = 0x8922;

    /**
     * linux/sockios.h: {@code #define SIOCGIFHWADDR 0x8927}.
     */
    public static final long SIOCGIFHWADDR = 0x8927;

    /**
     * Offset of {@code sa_data} in {@code ifr_hwaddr} (a struct sockaddr: 2-byte family first),
     * linux/socket.h {@code struct sockaddr}.
     */
    public static final int SOCKADDR_DATA_OFFSET = 2;

    // ---- asm-generic/fcntl.h ----

    /**
     * asm-generic/fcntl.h: {@code #define O_RDWR 00000002}.
     */
    public static final int O_RDWR = 2;

    /**
     * asm-generic/fcntl.h: {@code #define O_NONBLOCK 00004000}.
     */
    public static final int O_NONBLOCK = 0x800;

    /**
     * asm-generic/fcntl.h: {@code #define O_CLOEXEC 02000000}.
     */
    public static final int O_CLOEXEC = 0x80000;

    // ---- linux/socket.h, linux/net.h ----

    /**
     * linux/socket.h: {@code #define AF_INET 2}.
     */
    public static final int AF_INET = 2;

    /**
     * linux/net.h: {@code SOCK_DGRAM = 2} (enum sock_type).
     */
    public static final int SOCK_DGRAM = 2;

    /**
     * asm-generic/fcntl.h via linux/net.h: {@code SOCK_CLOEXEC = O_CLOEXEC}.
     */
    public static final int SOCK_CLOEXEC = O_CLOEXEC;

    // ---- asm-generic/poll.h ----

    /**
     * asm-generic/poll.h: {@code #define POLLIN 0x0001}.
     */
    public static final short POLLIN = 0x0001;

    /**
     * asm-generic/poll.h: {@code #define POLLOUT 0x0004}.
     */
    public static final short POLLOUT = 0x0004;

    /**
     * asm-generic/poll.h: {@code struct pollfd { int fd; short events; short revents; }}: 8 bytes.
     */
    public static final int POLLFD_SIZE = 8;

    // ---- asm-generic/errno-base.h ----

    /**
     * asm-generic/errno-base.h: {@code #define EINTR 4}.
     */
    public static final int EINTR = 4;

    /**
     * asm-generic/errno-base.h: {@code #define EAGAIN 11} (asm-generic/errno.h: EWOULDBLOCK is EAGAIN).
     */
    public static final int EAGAIN = 11;

    /**
     * asm-generic/errno-base.h: {@code #define EBUSY 16}.
     */
    public static final int EBUSY = 16;

    /**
     * asm-generic/errno-base.h: {@code #define EPERM 1}.
     */
    public static final int EPERM = 1;

    /**
     * asm-generic/errno-base.h: {@code #define ENOENT 2}.
     */
    public static final int ENOENT = 2;

    /**
     * asm-generic/errno-base.h: {@code #define ENODEV 19}.
     */
    public static final int ENODEV = 19;

    private LinuxConstants()
    {
    }

    /**
     * asm-generic/ioctl.h:
     * {@code #define _IOC(dir,type,nr,size) (((dir) << _IOC_DIRSHIFT) | ((type) << _IOC_TYPESHIFT) |
     * ((nr) << _IOC_NRSHIFT) | ((size) << _IOC_SIZESHIFT))}.
     *
     * @return the request number as an unsigned 32-bit value in a long (ioctl takes unsigned long).
     */
    public static long ioc(final int dir, final int type, final int nr, final int size)
    {
        return (((long)dir << IOC_DIRSHIFT) | ((long)type << IOC_TYPESHIFT) | ((long)nr << IOC_NRSHIFT) |
            ((long)size << IOC_SIZESHIFT)) & 0xFFFF_FFFFL;
    }
}
