package io.dominoes.net.monitor;

/**
 * Why the passive monitor dropped a frame, a segment or some bytes; indexes {@link TcpMonitor#drops(int)}.
 * Frame-level reasons count frames; the byte-level reasons ({@link #OUT_OF_WINDOW_BYTES},
 * {@link #TOO_MANY_HOLES_BYTES}, {@link #UNACKED_HOLE_BYTES}) count payload bytes.
 */
public final class MonitorDrop
{
    /** Frame shorter than an Ethernet header, or more VLAN tags than handled. */
    public static final int ETHERNET_MALFORMED = 0;
    /** EtherType other than IPv4 (ARP, IPv6, ...): not handled by this monitor. */
    public static final int NOT_IPV4 = 1;
    /** IPv4 header truncated, bad version, bad lengths or malformed options. */
    public static final int IPV4_MALFORMED = 2;
    /** IPv4 header checksum wrong and verification is on. */
    public static final int IPV4_BAD_CHECKSUM = 3;
    /** IPv4 protocol other than TCP. */
    public static final int NOT_TCP = 4;
    /** A fragment while defragmentation is off. */
    public static final int FRAGMENT_NOT_REASSEMBLED = 5;
    /** A fragment that is malformed (not a multiple of 8, past 65535, inconsistent with the known total length). */
    public static final int FRAGMENT_MALFORMED = 6;
    /** A fragment that would need more holes than a reassembly slot tracks. */
    public static final int FRAGMENT_TOO_MANY_HOLES = 7;
    /** An incomplete datagram evicted (slot needed, or older than the reassembly timeout): counts datagrams. */
    public static final int FRAGMENT_DATAGRAM_EXPIRED = 8;
    /** TCP header truncated, bad data offset, port zero or SYN with FIN/RST. */
    public static final int TCP_MALFORMED = 9;
    /** TCP checksum wrong and verification is on. */
    public static final int TCP_BAD_CHECKSUM = 10;
    /** A new connection while the connection table is full of open connections. */
    public static final int CONNECTION_TABLE_FULL = 11;
    /** Payload bytes further ahead of the delivered point than the reassembly buffer holds. */
    public static final int OUT_OF_WINDOW_BYTES = 12;
    /** Out-of-order payload bytes that would need more holes than the assembler tracks. */
    public static final int TOO_MANY_HOLES_BYTES = 13;
    /** Held bytes behind a hole the peer never acknowledged, discarded when the connection ends. */
    public static final int UNACKED_HOLE_BYTES = 14;
    /** A segment on a connection that has already ended (FIN both ways or RST), other than a new SYN. */
    public static final int AFTER_CLOSE = 15;

    /** Number of reasons. */
    public static final int COUNT = 16;

    private static final String[] NAMES =
    {
        "ETHERNET_MALFORMED", "NOT_IPV4", "IPV4_MALFORMED", "IPV4_BAD_CHECKSUM", "NOT_TCP",
        "FRAGMENT_NOT_REASSEMBLED", "FRAGMENT_MALFORMED", "FRAGMENT_TOO_MANY_HOLES", "FRAGMENT_DATAGRAM_EXPIRED",
        "TCP_MALFORMED", "TCP_BAD_CHECKSUM", "CONNECTION_TABLE_FULL", "OUT_OF_WINDOW_BYTES", "TOO_MANY_HOLES_BYTES",
        "UNACKED_HOLE_BYTES", "AFTER_CLOSE",
    };

    private MonitorDrop()
    {
    }

    /**
     * @return the reason's constant name, or UNKNOWN(n).
     */
    public static String name(final int reason)
    {
        return reason >= 0 && reason < COUNT ? NAMES[reason] : "UNKNOWN(" + reason + ")";
    }
}
