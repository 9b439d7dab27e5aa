package io.dominoes.os;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc functions the native module calls, bound through JNR-FFI. Every call saves errno;
 * read it with {@link Native#errno()} right after a -1 return. Buffers are passed as raw addresses
 * ({@code long}) so a read or write into off-heap memory allocates nothing.
 */
public interface LibC
{
    @SaveError
    int open(String path, int flags);

    @SaveError
    int close(int fd);

    /**
     * {@code int ioctl(int fd, unsigned long request, void *arg)} for requests whose argument is a
     * pointer (struct ifreq).
     */
    @SaveError
    int ioctl(int fd, long request, Pointer arg);

    /**
     * {@code ioctl} for requests whose argument is an int passed by value (TUNSETPERSIST).
     */
    @SaveError
    int ioctl(int fd, long request, long arg);

    @SaveError
    @ssize_t long read(int fd, long address, @size_t long count);

    @SaveError
    @ssize_t long write(int fd, long address, @size_t long count);

    @SaveError
    int socket(int domain, int type, int protocol);

    /**
     * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}.
     */
    @SaveError
    int poll(Pointer fds, long nfds, int timeoutMs);

    int geteuid();

    String strerror(int errnum);
}
