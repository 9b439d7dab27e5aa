package io.dominoes.net.monitor;

/**
 * What the monitor does with IPv4 and TCP checksums. Captures taken on a host with checksum offload carry
 * wrong checksums on everything that host sent (the NIC fills them in after the capture point), so dropping
 * bad checksums would lose one side of every connection: {@link #COUNT} keeps them and reports how many.
 */
public enum ChecksumMode
{
    /** Verify; count and drop segments with a wrong checksum. */
    VERIFY,
    /** Verify and count wrong checksums, but process the segment anyway. */
    COUNT,
    /** Do not compute checksums at all. */
    OFF
}
