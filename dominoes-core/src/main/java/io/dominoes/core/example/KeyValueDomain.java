package io.dominoes.core.example;

import io.dominoes.core.Domain;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One replica's copy of the key-value store: long keys to long values. Replicated state is the map; its
 * digest is kept incrementally (a sum of per-entry hashes) so comparing replicas costs nothing per event.
 */
public final class KeyValueDomain implements Domain
{
    /**
     * Value returned for a missing key.
     */
    public static final long MISSING = Long.MIN_VALUE;

    private final Long2LongHashMap values = new Long2LongHashMap(MISSING);
    private long digest;
    final UnsafeBuffer reply = new UnsafeBuffer(new byte[KeyValueService.REPLY_LENGTH]);

    /**
     * @param key to read.
     * @return its value or {@link #MISSING}.
     */
    public long get(final long key)
    {
        return values.get(key);
    }

    /**
     * @return number of keys.
     */
    public int size()
    {
        return values.size();
    }

    long put(final long key, final long value)
    {
        final long old = values.put(key, value);
        if (old != MISSING)
        {
            digest -= entryHash(key, old);
        }
        digest += entryHash(key, value);
        return value;
    }

    long add(final long key, final long delta)
    {
        final long old = values.get(key);
        return put(key, (old == MISSING ? 0 : old) + delta);
    }

    boolean remove(final long key)
    {
        final long old = values.remove(key);
        if (old == MISSING)
        {
            return false;
        }
        digest -= entryHash(key, old);
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public long stateDigest()
    {
        return digest;
    }

    private static long entryHash(final long key, final long value)
    {
        long z = key * 0x9E3779B97F4A7C15L + value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
