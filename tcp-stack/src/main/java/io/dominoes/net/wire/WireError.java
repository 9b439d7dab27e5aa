package io.dominoes.net.wire;

/**
 * Result codes of the wire flyweights' {@code checkLength()} and {@code parse()}. Zero is success;
 * every failure is negative so a caller can branch on {@code result < 0} and count by code.
 * Network bytes never make a parser throw: the caller counts the code and drops the frame.
 */
public final class WireError
{
    /**
     * The bytes are structurally sound (checkLength) or well formed (parse).
     */
    public static final int OK = 0;

    /**
     * Fewer bytes than the header or a length field inside it says are there.
     */
    public static final int TRUNCATED = -1;

    /**
     * A header length field is below its minimum (e.g. IPv4 IHL < 5, TCP data offset < 5).
     */
    public static final int BAD_HEADER_LENGTH = -2;

    /**
     * A total length field is smaller than the header it must contain.
     */
    public static final int BAD_TOTAL_LENGTH = -3;

    /**
     * A version field other than the one this flyweight reads (IPv4 version != 4).
     */
    public static final int BAD_VERSION = -4;

    /**
     * The checksum does not verify.
     */
    public static final int BAD_CHECKSUM = -5;

    /**
     * Well formed, but a kind this stack does not handle (802.3 length frames, ARP for other than
     * Ethernet/IPv4).
     */
    public static final int UNSUPPORTED = -6;

    /**
     * A field holds a value the format forbids (ARP operation 7, an option running past its header).
     */
    public static final int MALFORMED = -7;

    /**
     * Number of distinct codes including OK, for arrays of counters indexed by {@code -code}.
     */
    public static final int CODE_COUNT = 8;

    private WireError()
    {
    }

    /**
     * @param code a result of checkLength or parse.
     * @return a short name for logs and counters.
     */
    public static String describe(final int code)
    {
        switch (code)
        {
            case OK:
                return "OK";
            case TRUNCATED:
                return "TRUNCATED";
            case BAD_HEADER_LENGTH:
                return "BAD_HEADER_LENGTH";
            case BAD_TOTAL_LENGTH:
                return "BAD_TOTAL_LENGTH";
            case BAD_VERSION:
                return "BAD_VERSION";
            case BAD_CHECKSUM:
                return "BAD_CHECKSUM";
            case UNSUPPORTED:
                return "UNSUPPORTED";
            case MALFORMED:
                return "MALFORMED";
            default:
                return "UNKNOWN(" + code + ")";
        }
    }
}
