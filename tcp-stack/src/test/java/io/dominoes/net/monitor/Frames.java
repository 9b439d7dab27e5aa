package io.dominoes.net.monitor;

import io.dominoes.net.wire.EthernetFrame;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.TcpOptionValues;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds Ethernet/IPv4/TCP frames with correct checksums for monitor tests.
 */
final class Frames
{
    static final int CLIENT = 0x0A000001;
    static final int SERVER = 0x0A000002;
    static final int CLIENT_PORT = 40000;
    static final int SERVER_PORT = 80;

    private Frames()
    {
    }

    static UnsafeBuffer tcp(
        final int src, final int srcPort, final int dst, final int dstPort, final int seq, final int ack,
        final int flags, final String payload)
    {
        final byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
        final int tcpLength = TcpSegment.MIN_HEADER_LENGTH + data.length;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[EthernetFrame.HEADER_LENGTH + 20 + tcpLength]);
        EthernetFrame.emit(frame, 0, 0x020000000001L, 0x020000000002L, EthernetFrame.ETHER_TYPE_IPV4);
        Ipv4Packet.emit(frame, 14, tcpLength, 1, Ipv4Packet.FLAG_DONT_FRAGMENT, 64, Ipv4Packet.PROTOCOL_TCP, src, dst);
        final TcpSegment segment = new TcpSegment().wrap(frame, 34, tcpLength);
        segment.emitHeader(srcPort, dstPort, seq, ack, flags, 65535, new TcpOptionValues());
        frame.putBytes(34 + TcpSegment.MIN_HEADER_LENGTH, data);
        segment.fillChecksum(src, dst);
        return frame;
    }

    static UnsafeBuffer c2s(final int seq, final int ack, final int flags, final String payload)
    {
        return tcp(CLIENT, CLIENT_PORT, SERVER, SERVER_PORT, seq, ack, flags, payload);
    }

    static UnsafeBuffer s2c(final int seq, final int ack, final int flags, final String payload)
    {
        return tcp(SERVER, SERVER_PORT, CLIENT, CLIENT_PORT, seq, ack, flags, payload);
    }

    static int feed(final TcpMonitor monitor, final UnsafeBuffer frame)
    {
        return monitor.onFrame(frame, 0, frame.capacity(), 0);
    }
}
