package io.dominoes.net.stack;

import io.dominoes.net.tcp.TcpSocket;

/**
 * Why the TCP layer dropped a received segment; indexes {@link TcpLayer#drops(int)}. Together with
 * {@link TcpLayer#segmentsAccepted()} these account for every IPv4 payload handed to the layer.
 */
public final class TcpDropReason
{
    /** Shorter than a TCP header, data offset impossible, port zero, SYN with RST/FIN. */
    public static final int MALFORMED = 0;
    /** RFC 9293 3.1 checksum over pseudo-header and segment failed. */
    public static final int BAD_CHECKSUM = 1;
    /** Options region malformed (RFC 9293 3.2 option lengths). */
    public static final int BAD_OPTIONS = 2;
    /** Sent to a broadcast address: TCP is unicast only (RFC 1122 4.2.3.10). */
    public static final int BROADCAST = 3;
    /** No connection and no listener: answered with a RST (RFC 9293 3.10.7.1) unless it was a RST. */
    public static final int NO_CONNECTION = 4;
    /** A SYN to a listener whose SYN/accept backlog is full (dropped silently, as Linux does). */
    public static final int BACKLOG_FULL = 5;
    /** A SYN to a listener when the connection table is full. */
    public static final int TABLE_FULL = 6;
    /** To a listening port but not a SYN (an ACK-bearing one gets a RST). */
    public static final int LISTEN_NOT_SYN = 7;
    /** {@link TcpSocket#DROPPED_STATE}. */
    public static final int SOCKET_STATE = 8;
    /** {@link TcpSocket#DROPPED_UNACCEPTABLE}: outside the receive window. */
    public static final int SOCKET_UNACCEPTABLE = 9;
    /** {@link TcpSocket#DROPPED_PAWS}. */
    public static final int SOCKET_PAWS = 10;
    /** {@link TcpSocket#DROPPED_BAD_ACK}. */
    public static final int SOCKET_BAD_ACK = 11;
    /** {@link TcpSocket#DROPPED_RST_CHALLENGED}. */
    public static final int SOCKET_RST_CHALLENGED = 12;
    /** {@link TcpSocket#DROPPED_SYN_CHALLENGED}. */
    public static final int SOCKET_SYN_CHALLENGED = 13;
    /** {@link TcpSocket#DROPPED_NOT_MINE} (table and socket disagree: a bug, counted not thrown). */
    public static final int SOCKET_NOT_MINE = 14;

    /** Number of reasons. */
    public static final int COUNT = 15;

    private static final String[] NAMES =
    {
        "MALFORMED", "BAD_CHECKSUM", "BAD_OPTIONS", "BROADCAST", "NO_CONNECTION", "BACKLOG_FULL", "TABLE_FULL",
        "LISTEN_NOT_SYN", "SOCKET_STATE", "SOCKET_UNACCEPTABLE", "SOCKET_PAWS", "SOCKET_BAD_ACK",
        "SOCKET_RST_CHALLENGED", "SOCKET_SYN_CHALLENGED", "SOCKET_NOT_MINE",
    };

    private TcpDropReason()
    {
    }

    /**
     * @param result a negative {@link TcpSocket#process} result.
     * @return the reason it maps to.
     */
    public static int fromSocketResult(final int result)
    {
        switch (result)
        {
            case TcpSocket.DROPPED_STATE:
                return SOCKET_STATE;
            case TcpSocket.DROPPED_UNACCEPTABLE:
                return SOCKET_UNACCEPTABLE;
            case TcpSocket.DROPPED_PAWS:
                return SOCKET_PAWS;
            case TcpSocket.DROPPED_BAD_ACK:
                return SOCKET_BAD_ACK;
            case TcpSocket.DROPPED_RST_CHALLENGED:
                return SOCKET_RST_CHALLENGED;
            case TcpSocket.DROPPED_SYN_CHALLENGED:
                return SOCKET_SYN_CHALLENGED;
            default:
                return SOCKET_NOT_MINE;
        }
    }

    public static String name(final int reason)
    {
        return reason >= 0 && reason < COUNT ? NAMES[reason] : "UNKNOWN(" + reason + ")";
    }
}
