package io.dominoes.os.affinity;

/**
 * A failed affinity system call: names the call, its argument and the errno.
 */
public final class AffinityException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param message naming the call and its arguments.
     * @param errno   set by the call.
     */
    public AffinityException(final String message, final int errno)
    {
        super(message);
        this.errno = errno;
    }

    /**
     * @return errno reported by the failed call (0 if not a system call failure).
     */
    public int errno()
    {
        return errno;
    }
}
