package io.dominoes.os;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Loads libc once through JNR-FFI and turns errno into exceptions that name the failed call.
 */
public final class Native
{
    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native()
    {
    }

    /**
     * @return the shared libc binding (thread safe: it holds no state).
     */
    public static LibC libc()
    {
        return LIBC;
    }

    /**
     * @return the JNR runtime, for allocating native memory.
     */
    public static Runtime runtime()
    {
        return RUNTIME;
    }

    /**
     * @return errno saved by the last {@code @SaveError} call on this thread.
     */
    public static int errno()
    {
        return RUNTIME.getLastError();
    }

    /**
     * @return true if the process runs with effective uid 0.
     */
    public static boolean isRoot()
    {
        return LIBC.geteuid() == 0;
    }

    /**
     * Build the exception for a call that returned -1, reading errno now.
     *
     * @param call what was called, with the arguments that identify it (e.g. "ioctl(TUNSETIFF, tap0)").
     * @return the exception to throw.
     */
    public static ErrnoException error(final String call)
    {
        final int errno = errno();
        return new ErrnoException(call, errno, LIBC.strerror(errno));
    }
}
