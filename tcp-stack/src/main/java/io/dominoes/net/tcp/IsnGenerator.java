package io.dominoes.net.tcp;

/**
 * Chooses initial send sequence numbers. Must be a pure function of its arguments (and of state fixed at
 * construction) so that replicas choose the same ISS.
 */
@FunctionalInterface
public interface IsnGenerator
{
    /**
     * @return the initial send sequence number for a new connection.
     */
    int iss(int localAddr, int localPort, int remoteAddr, int remotePort, long nowNs);

    /**
     * RFC 6528 3: "ISN = M + F(localip, localport, remoteip, remoteport, secretkey) where M is the 4
     * microsecond timer". F here is a 64-bit mix keyed by {@code secret} (deterministic, not a
     * cryptographic PRF; replace it where off-path ISN guessing matters).
     *
     * @param secret key fixed for the life of the stack.
     * @return a keyed generator.
     */
    static IsnGenerator keyed(final long secret)
    {
        return (localAddr, localPort, remoteAddr, remotePort, nowNs) ->
        {
            long h = secret;
            h = mix(h ^ (((long)localAddr << 32) | (remoteAddr & 0xFFFF_FFFFL)));
            h = mix(h ^ (((long)localPort << 16) | remotePort));
            return (int)(nowNs / 4_000L) + (int)(h ^ (h >>> 32));
        };
    }

    /**
     * SplitMix64 finaliser.
     */
    static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
