package io.dominoes.os;

/**
 * A system call failed. The message names the call and the errno, e.g.
 * {@code "open(/dev/net/tun) failed: errno=2 (No such file or directory)"}.
 */
public final class ErrnoException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public ErrnoException(final String call, final int errno, final String description)
    {
        super(call + " failed: errno=" + errno + " (" + description + ")");
        this.call = call;
        this.errno = errno;
    }

    /**
     * @return the call that failed, with its identifying arguments.
     */
    public String call()
    {
        return call;
    }

    /**
     * @return the errno value the call left.
     */
    public int errno()
    {
        return errno;
    }
}
