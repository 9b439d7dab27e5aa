package io.dominoes.core;

/**
 * Two replicas' state digests differ at the same point of the order: a replicated handler is not
 * deterministic (or a partitioned handler touched replicated state). Names the checkpoint event
 * (the last event of the window in which the states diverged), its type and handler.
 */
public final class DivergenceException extends ReplicaGroupException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message  describing both digests.
     * @param sequence of the checkpoint event.
     * @param type     of that event.
     * @param replica  that detected the divergence.
     * @param handler  that ran for that event.
     */
    public DivergenceException(
        final String message, final long sequence, final int type, final int replica, final String handler)
    {
        super(message, sequence, type, replica, handler, null);
    }
}
