package io.dominoes.net.iface;

/**
 * Why the interface dropped a frame or a packet; indexes {@link Interface#drops(int)}.
 */
public final class DropReason
{
    public static final int ETHERNET_TRUNCATED = 0;
    public static final int ETHERNET_UNSUPPORTED = 1;
    public static final int NOT_OUR_MAC = 2;
    public static final int UNKNOWN_ETHER_TYPE = 3;
    public static final int ARP_MALFORMED = 4;
    public static final int ARP_UNSUPPORTED = 5;
    public static final int ARP_NOT_FOR_US = 6;
    public static final int IPV4_TRUNCATED = 7;
    public static final int IPV4_BAD_VERSION = 8;
    public static final int IPV4_BAD_HEADER_LENGTH = 9;
    public static final int IPV4_BAD_TOTAL_LENGTH = 10;
    public static final int IPV4_BAD_CHECKSUM = 11;
    public static final int IPV4_MALFORMED = 12;
    public static final int IPV4_NOT_OUR_ADDRESS = 13;
    public static final int IPV4_FRAGMENT = 14;
    public static final int UNKNOWN_PROTOCOL = 15;
    public static final int ICMP_TRUNCATED = 16;
    public static final int ICMP_BAD_CHECKSUM = 17;
    public static final int ICMP_UNHANDLED_TYPE = 18;
    public static final int ICMP_ECHO_TO_BROADCAST = 19;
    public static final int TX_BUSY = 20;
    public static final int TX_NO_ROUTE = 21;
    public static final int ARP_QUEUE_FULL = 22;
    public static final int ARP_UNRESOLVED = 23;
    public static final int RX_OVERSIZE = 24;

    /**
     * Number of reasons.
     */
    public static final int COUNT = 25;

    private static final String[] NAMES =
    {
        "ETHERNET_TRUNCATED", "ETHERNET_UNSUPPORTED", "NOT_OUR_MAC", "UNKNOWN_ETHER_TYPE", "ARP_MALFORMED",
        "ARP_UNSUPPORTED", "ARP_NOT_FOR_US", "IPV4_TRUNCATED", "IPV4_BAD_VERSION", "IPV4_BAD_HEADER_LENGTH",
        "IPV4_BAD_TOTAL_LENGTH", "IPV4_BAD_CHECKSUM", "IPV4_MALFORMED", "IPV4_NOT_OUR_ADDRESS", "IPV4_FRAGMENT",
        "UNKNOWN_PROTOCOL", "ICMP_TRUNCATED", "ICMP_BAD_CHECKSUM", "ICMP_UNHANDLED_TYPE", "ICMP_ECHO_TO_BROADCAST",
        "TX_BUSY", "TX_NO_ROUTE", "ARP_QUEUE_FULL", "ARP_UNRESOLVED", "RX_OVERSIZE",
    };

    /**
     * @return true for reasons counted while sending (not per received frame).
     */
    public static boolean isTransmitSide(final int reason)
    {
        return reason == TX_BUSY || reason == TX_NO_ROUTE || reason == ARP_QUEUE_FULL || reason == ARP_UNRESOLVED;
    }

    private DropReason()
    {
    }

    public static String name(final int reason)
    {
        return reason >= 0 && reason < COUNT ? NAMES[reason] : "UNKNOWN(" + reason + ")";
    }
}
