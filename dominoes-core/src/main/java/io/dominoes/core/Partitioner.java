package io.dominoes.core;

/**
 * Chooses the owner replica of an event from its partition key. Must be a pure function: every replica
 * evaluates it for every event and they must agree.
 */
@FunctionalInterface
public interface Partitioner
{
    /**
     * The default: {@code floorMod(key, replicaCount)}.
     */
    Partitioner MODULO = (key, replicaCount) -> (int)Math.floorMod(key, (long)replicaCount);

    /**
     * @param key          partition key from the event header.
     * @param replicaCount number of replicas, {@code > 0}.
     * @return owner index, {@code 0 <= owner < replicaCount}.
     */
    int owner(long key, int replicaCount);
}
