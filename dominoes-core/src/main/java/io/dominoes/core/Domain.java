package io.dominoes.core;

/**
 * State one replica owns privately. A {@link ReplicaGroup} builds one instance per replica with the
 * factory it is given ({@code replicaIndex -> new MyDomain()}); only that replica's thread touches it
 * while the group runs, so a domain needs no locks, atomics or volatile fields.
 *
 * <p>Replicated handlers must change a domain deterministically: the same events in the same order
 * give every replica the same state. They read no wall clock (time comes from tick events, see
 * {@link EventContext#timeNs()}), no randomness, no identity hash order, no thread-local state.
 */
public interface Domain
{
    /**
     * A digest of the replicated state, for divergence detection
     * ({@link ReplicaGroup.Builder#digestEvery(int)}). Equal states must give equal digests; it should be
     * cheap relative to {@code K} events (keep it incrementally, e.g. a sum of per-entry hashes updated by
     * the handlers). Partitioned-only state (which differs between replicas by design) must be left out.
     *
     * @return the digest.
     * @throws UnsupportedOperationException by default: a group with digests on fails at start if its
     *                                       domain does not override this.
     */
    default long stateDigest()
    {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement stateDigest()");
    }
}
