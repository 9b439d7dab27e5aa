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
    Partitioner MODULO = Partitioner::modulo;

    /**
     * @param key          partition key from the event header.
     * @param replicaCount number of replicas, {@code > 0}.
     * @return owner index, {@code 0 <= owner < replicaCount}.
     */
    int owner(long key, int replicaCount);

    /**
     * {@code floorMod(key, replicaCount)} without a 64-bit division when {@code replicaCount} is a power of two
     * (then {@code floorMod} is the low bits, for negative keys too); the runtime asks for an owner twice per
     * event.
     *
     * @param key          any value.
     * @param replicaCount {@code > 0}.
     * @return {@code floorMod(key, replicaCount)}.
     */
    static int modulo(final long key, final int replicaCount)
    {
        return (replicaCount & (replicaCount - 1)) == 0 ?
            (int)(key & (replicaCount - 1)) : (int)Math.floorMod(key, (long)replicaCount);
    }
}
