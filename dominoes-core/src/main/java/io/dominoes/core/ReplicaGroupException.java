package io.dominoes.core;

/**
 * A replica stopped the group: a handler threw, or a runtime check failed. Names the event that caused
 * it (sequence in channel order, type), the replica, and the handler.
 */
public class ReplicaGroupException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final long sequence;
    private final int type;
    private final int replica;
    private final String handler;

    /**
     * @param message describing the failure.
     * @param sequence of the event in channel order (0-based), or -1 if not tied to an event.
     * @param type     of the event.
     * @param replica  that failed.
     * @param handler  description of the handler that was running.
     * @param cause    the handler's exception, or null.
     */
    public ReplicaGroupException(
        final String message,
        final long sequence,
        final int type,
        final int replica,
        final String handler,
        final Throwable cause)
    {
        super(message, cause);
        this.sequence = sequence;
        this.type = type;
        this.replica = replica;
        this.handler = handler;
    }

    /**
     * @return sequence of the event in channel order (0-based), -1 if none.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return type of the event.
     */
    public int type()
    {
        return type;
    }

    /**
     * @return replica that failed.
     */
    public int replica()
    {
        return replica;
    }

    /**
     * @return the handler that was running.
     */
    public String handler()
    {
        return handler;
    }
}
