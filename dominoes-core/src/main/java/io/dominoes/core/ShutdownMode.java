package io.dominoes.core;

/**
 * How {@link ReplicaGroup#close(ShutdownMode)} stops the replicas.
 */
public enum ShutdownMode
{
    /**
     * Keep running until every replica has handled every event published through the group's
     * {@link EventPublisher}s and every replica emission into the input channel, and all outboxes are
     * empty; then stop. Stop publishing before asking for it.
     */
    DRAIN,

    /**
     * Stop each replica after the batch it is handling; events still in the channel are not handled and
     * outboxes are dropped.
     */
    ABORT
}
