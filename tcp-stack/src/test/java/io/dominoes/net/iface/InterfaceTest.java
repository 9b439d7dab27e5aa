package io.dominoes.net.iface;

import io.dominoes.net.PcapFiles;
import io.dominoes.net.TestSeeds;
import io.dominoes.net.device.Device;
import io.dominoes.net.device.MemoryPair;
import io.dominoes.net.wire.ArpPacket;
import io.dominoes.net.wire.Checksums;
import io.dominoes.net.wire.EthernetFrame;
import io.dominoes.net.wire.IcmpV4Packet;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.MacAddress;
import io.dominoes.net.wire.WireError;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterfaceTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final long PEER_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final long GATEWAY_MAC = MacAddress.parse("02:00:00:00:00:fe");
    private static final int OUR_IP = Ipv4Address.parse("10.77.0.2");
    private static final int PEER_IP = Ipv4Address.parse("10.77.0.1");
    private static final int GATEWAY_IP = Ipv4Address.parse("10.77.0.254");

    /** The tshark-checked echo request from the wire tests: 10.77.0.1 to 10.77.0.2, id 0x1234 seq 1. */
    private static final String ECHO_REQUEST = "020000000002020000000001" + "0800" +
        "450000241c464000400109f70a4d00010a4d0002" + "08005435123400016162636465666768";

    private final MemoryPair pair = new MemoryPair(1500, 64);
    private final Device peer = pair.b();
    private final Interface iface = new Interface(
        pair.a(), OUR_MAC, new Routes(OUR_IP, 24, GATEWAY_IP), new ArpCache(16, 30 * SECOND, SECOND), 8);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1518]);
    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpV4Packet icmp = new IcmpV4Packet();

    private void inject(final byte[] bytes, final long nowNs)
    {
        assertTrue(peer.transmit(nowNs, new UnsafeBuffer(bytes), 0, bytes.length));
        iface.poll(nowNs);
    }

    private int receiveFromInterface()
    {
        final int n = peer.receive(0, frame, 0, frame.capacity());
        if (n > 0)
        {
            assertEquals(WireError.OK, ethernet.wrap(frame, 0, n).parse());
        }
        return n;
    }

    private byte[] arpFrame(final int operation, final long dstMac, final long senderMac, final int senderIp,
        final long targetMac, final int targetIp)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[60]);
        EthernetFrame.emit(b, 0, dstMac, senderMac, EthernetFrame.ETHER_TYPE_ARP);
        ArpPacket.emit(b, 14, operation, senderMac, senderIp, targetMac, targetIp);
        return b.byteArray();
    }

    private static byte[] hex(final String hex)
    {
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    @Test
    void shouldAnswerArpRequestForOurAddressAndLearnTheAsker()
    {
        inject(arpFrame(ArpPacket.OPERATION_REQUEST, MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0, OUR_IP), 0);
        assertEquals(42, receiveFromInterface());
        assertEquals(PEER_MAC, ethernet.destination());
        assertEquals(OUR_MAC, ethernet.source());
        assertEquals(WireError.OK, arp.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength()).parse());
        assertEquals(ArpPacket.OPERATION_REPLY, arp.operation());
        assertEquals(OUR_MAC, arp.senderHardwareAddress());
        assertEquals(OUR_IP, arp.senderProtocolAddress());
        assertEquals(PEER_MAC, arp.targetHardwareAddress());
        assertEquals(PEER_IP, arp.targetProtocolAddress());
        assertEquals(PEER_MAC, iface.arpCache().lookup(PEER_IP, 0));
        assertEquals(ArpCache.MISSING, iface.arpCache().lookup(PEER_IP, 30 * SECOND), "expires");
    }

    @Test
    void shouldIgnoreArpForOtherAddressesWithoutLearning()
    {
        inject(arpFrame(ArpPacket.OPERATION_REQUEST, MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0,
            Ipv4Address.parse("10.77.0.3")), 0);
        assertEquals(0, receiveFromInterface());
        assertEquals(1, iface.drops(DropReason.ARP_NOT_FOR_US));
        assertEquals(ArpCache.MISSING, iface.arpCache().lookup(PEER_IP, 0));
    }

    @Test
    void shouldReplyToEchoRequestWithSwappedAddressesAndSameData()
    {
        inject(hex(ECHO_REQUEST), 0);
        // The requester's MAC is not known yet: the reply waits for ARP.
        assertEquals(42, receiveFromInterface());
        assertEquals(EthernetFrame.ETHER_TYPE_ARP, ethernet.etherType());
        assertEquals(WireError.OK, arp.wrap(frame, 14, 28).parse());
        assertEquals(ArpPacket.OPERATION_REQUEST, arp.operation());
        assertEquals(PEER_IP, arp.targetProtocolAddress());
        assertEquals(1, iface.echoRequestsAnswered(), "reply made, waiting for ARP");
        assertEquals(0, receiveFromInterface(), "the reply itself is held back");

        inject(arpFrame(ArpPacket.OPERATION_REPLY, OUR_MAC, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP), 1000);
        final int n = receiveFromInterface();
        assertEquals(50, n);
        assertEquals(PEER_MAC, ethernet.destination());
        assertEquals(EthernetFrame.ETHER_TYPE_IPV4, ethernet.etherType());
        assertEquals(WireError.OK, ip.wrap(frame, 14, n - 14).parse());
        assertEquals(OUR_IP, ip.sourceAddress());
        assertEquals(PEER_IP, ip.destinationAddress());
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, ip.protocol());
        assertEquals(WireError.OK, icmp.wrap(frame, ip.payloadOffset(), ip.payloadLength()).parse());
        assertEquals(IcmpV4Packet.TYPE_ECHO_REPLY, icmp.type());
        assertEquals(0x1234, icmp.identifier());
        assertEquals(1, icmp.sequenceNumber());
        final byte[] data = new byte[8];
        frame.getBytes(icmp.dataOffset(), data);
        assertArrayEquals("abcdefgh".getBytes(java.nio.charset.StandardCharsets.US_ASCII), data);

        // Now resolved: the next request is answered at once.
        inject(hex(ECHO_REQUEST), 2000);
        assertEquals(50, receiveFromInterface());
        assertEquals(EthernetFrame.ETHER_TYPE_IPV4, ethernet.etherType());
        assertEquals(0, iface.describeDrops().length(), iface.describeDrops());
    }

    @Test
    void shouldCountAndDropEveryKindOfBadFrame()
    {
        final byte[] badIpChecksum = hex(ECHO_REQUEST);
        badIpChecksum[14 + 8] = 1; // TTL changed, header checksum now wrong
        inject(badIpChecksum, 0);
        assertEquals(1, iface.drops(DropReason.IPV4_BAD_CHECKSUM));

        final byte[] badIcmpChecksum = hex(ECHO_REQUEST);
        badIcmpChecksum[badIcmpChecksum.length - 1] ^= 1;
        inject(badIcmpChecksum, 0);
        assertEquals(1, iface.drops(DropReason.ICMP_BAD_CHECKSUM));

        final byte[] truncated = java.util.Arrays.copyOf(hex(ECHO_REQUEST), 40);
        inject(truncated, 0);
        assertEquals(1, iface.drops(DropReason.IPV4_TRUNCATED));

        inject(java.util.Arrays.copyOf(hex(ECHO_REQUEST), 10), 0);
        assertEquals(1, iface.drops(DropReason.ETHERNET_TRUNCATED));

        final byte[] otherMac = hex(ECHO_REQUEST);
        otherMac[5] = 0x33;
        inject(otherMac, 0);
        assertEquals(1, iface.drops(DropReason.NOT_OUR_MAC));

        final UnsafeBuffer otherIp = new UnsafeBuffer(hex(ECHO_REQUEST));
        otherIp.putInt(14 + 16, Ipv4Address.parse("10.77.0.9"), ByteOrder.BIG_ENDIAN);
        Ipv4Packet.fillChecksum(otherIp, 14, 20);
        inject(otherIp.byteArray(), 0);
        assertEquals(1, iface.drops(DropReason.IPV4_NOT_OUR_ADDRESS));

        final UnsafeBuffer udp = new UnsafeBuffer(hex(ECHO_REQUEST));
        udp.putByte(14 + 9, (byte)17);
        Ipv4Packet.fillChecksum(udp, 14, 20);
        inject(udp.byteArray(), 0);
        assertEquals(1, iface.drops(DropReason.UNKNOWN_PROTOCOL));

        final UnsafeBuffer fragment = new UnsafeBuffer(hex(ECHO_REQUEST));
        fragment.putShort(14 + 6, (short)Ipv4Packet.FLAG_MORE_FRAGMENTS, ByteOrder.BIG_ENDIAN);
        Ipv4Packet.fillChecksum(fragment, 14, 20);
        inject(fragment.byteArray(), 0);
        assertEquals(1, iface.drops(DropReason.IPV4_FRAGMENT));

        final byte[] ipv6 = hex(ECHO_REQUEST);
        ipv6[12] = (byte)0x86;
        ipv6[13] = (byte)0xDD;
        inject(ipv6, 0);
        assertEquals(1, iface.drops(DropReason.UNKNOWN_ETHER_TYPE));

        final UnsafeBuffer broadcastPing = new UnsafeBuffer(hex(ECHO_REQUEST));
        broadcastPing.putInt(14 + 16, Ipv4Address.parse("10.77.0.255"), ByteOrder.BIG_ENDIAN);
        Ipv4Packet.fillChecksum(broadcastPing, 14, 20);
        inject(broadcastPing.byteArray(), 0);
        assertEquals(1, iface.drops(DropReason.ICMP_ECHO_TO_BROADCAST));

        assertEquals(0, receiveFromInterface(), "nothing answered");
        assertEquals(10, iface.framesReceived());
    }

    @Test
    void shouldHandTcpPayloadsToTheRegisteredHandler()
    {
        final List<String> calls = new ArrayList<>();
        iface.registerHandler(Ipv4Packet.PROTOCOL_TCP,
            (src, dst, protocol, buffer, offset, length, nowNs) -> calls.add(
                Ipv4Address.toString(src) + ">" + Ipv4Address.toString(dst) + " p" + protocol + " len" + length +
                " first=" + buffer.getByte(offset) + " t" + nowNs));
        final UnsafeBuffer tcp = new UnsafeBuffer(hex(ECHO_REQUEST + "0000")); // two bytes of Ethernet padding
        tcp.putByte(14 + 9, (byte)6);
        Ipv4Packet.fillChecksum(tcp, 14, 20);
        inject(tcp.byteArray(), 77);
        assertEquals(List.of("10.77.0.1>10.77.0.2 p6 len16 first=8 t77"), calls);
    }

    @Test
    void shouldQueueUntilArpResolvesThenSendViaGatewayOrDirect()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
        payload.setMemory(0, 100, (byte)7);
        assertEquals(Interface.QUEUED, iface.sendIpv4(0, Ipv4Address.parse("8.8.8.8"), 17, payload, 0, 100));
        assertEquals(42, receiveFromInterface());
        arp.wrap(frame, 14, 28).parse();
        assertEquals(GATEWAY_IP, arp.targetProtocolAddress(), "off link: resolve the gateway");
        assertEquals(MacAddress.BROADCAST, ethernet.destination());

        inject(arpFrame(ArpPacket.OPERATION_REPLY, OUR_MAC, GATEWAY_MAC, GATEWAY_IP, OUR_MAC, OUR_IP), 10);
        final int n = receiveFromInterface();
        assertEquals(14 + 20 + 100, n);
        assertEquals(GATEWAY_MAC, ethernet.destination());
        assertEquals(WireError.OK, ip.wrap(frame, 14, n - 14).parse());
        assertEquals(Ipv4Address.parse("8.8.8.8"), ip.destinationAddress());
        assertTrue(ip.dontFragment());
        assertEquals(64, ip.timeToLive());
        assertEquals(7, frame.getByte(n - 1));

        assertEquals(Interface.SENT, iface.sendIpv4(20, Ipv4Address.parse("1.1.1.1"), 17, payload, 0, 10));
        assertEquals(44, receiveFromInterface());
        assertEquals(GATEWAY_MAC, ethernet.destination());

        assertEquals(Interface.SENT, iface.sendIpv4(30, Ipv4Address.parse("10.77.0.255"), 17, payload, 0, 10));
        assertEquals(44, receiveFromInterface());
        assertEquals(MacAddress.BROADCAST, ethernet.destination(), "subnet broadcast needs no ARP");
    }

    @Test
    void shouldRetryArpEverySecondThenDropAndCount()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[10]);
        assertEquals(Interface.QUEUED, iface.sendIpv4(0, PEER_IP, 17, payload, 0, 10));
        assertEquals(42, receiveFromInterface());
        assertEquals(SECOND, iface.pollAtNs(0));
        iface.poll(SECOND - 1);
        assertEquals(0, receiveFromInterface(), "rate limited");
        iface.poll(SECOND);
        assertEquals(42, receiveFromInterface(), "second request");
        iface.poll(2 * SECOND);
        assertEquals(42, receiveFromInterface(), "third request");
        iface.poll(3 * SECOND);
        assertEquals(0, receiveFromInterface());
        assertEquals(1, iface.drops(DropReason.ARP_UNRESOLVED));
        assertEquals(Long.MAX_VALUE, iface.pollAtNs(3 * SECOND));
    }

    @Test
    void shouldReportNoRouteWithoutGatewayAndFullQueue()
    {
        final MemoryPair p = new MemoryPair(1500, 64);
        final Interface noGateway = new Interface(
            p.a(), OUR_MAC, new Routes(OUR_IP, 24, Ipv4Address.ANY), new ArpCache(4, SECOND, SECOND), 1);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[10]);
        assertEquals(Interface.NO_ROUTE, noGateway.sendIpv4(0, Ipv4Address.parse("8.8.8.8"), 17, payload, 0, 10));
        assertEquals(Interface.QUEUED, noGateway.sendIpv4(0, PEER_IP, 17, payload, 0, 10));
        assertEquals(Interface.ARP_QUEUE_FULL, noGateway.sendIpv4(0, PEER_IP, 17, payload, 0, 10));
        assertEquals(1, noGateway.drops(DropReason.TX_NO_ROUTE));
        assertEquals(1, noGateway.drops(DropReason.ARP_QUEUE_FULL));
    }

    @Test
    void shouldSurviveEveryCaptureFrameAndMutationsOfThemAddressedToUs() throws Exception
    {
        final long seed = TestSeeds.seed("InterfaceTest.fuzz");
        final Random random = new Random(seed);
        int frames = 0;
        final byte[] scratch = new byte[2048];
        final UnsafeBuffer buffer = new UnsafeBuffer(scratch);
        final List<byte[]> corpus = new ArrayList<>();
        corpus.add(hex(ECHO_REQUEST));
        corpus.add(arpFrame(ArpPacket.OPERATION_REQUEST, MacAddress.BROADCAST, PEER_MAC, PEER_IP, 0, OUR_IP));
        for (final Path capture : PcapFiles.captures())
        {
            corpus.addAll(PcapFiles.readFrames(capture));
        }
        for (final byte[] original : corpus)
        {
            final int length = Math.min(original.length, scratch.length);
            System.arraycopy(original, 0, scratch, 0, length);
            iface.onFrame(new UnsafeBuffer(original), 0, original.length, frames);
            // Re-address to us so the mutation reaches the IPv4/ICMP paths, then break something.
            MacAddress.put(buffer, 0, OUR_MAC);
            if (length > 34)
            {
                buffer.putInt(30, OUR_IP, ByteOrder.BIG_ENDIAN);
            }
            for (int i = random.nextInt(3); i >= 0 && length > 0; i--)
            {
                scratch[random.nextInt(Math.min(length, 64))] = (byte)random.nextInt(256);
            }
            try
            {
                iface.onFrame(buffer, 0, random.nextInt(length + 1), frames);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("seed=" + seed + " frame " + frames, ex);
            }
            frames++;
            while (receiveFromInterface() > 0)
            {
                assertTrue(ethernet.destination() != OUR_MAC);
            }
        }
        assertTrue(frames > 2000, "frames=" + frames);
        assertTrue(iface.drops(DropReason.NOT_OUR_MAC) > 2000, iface.describeDrops());
    }

    @Test
    void shouldComputeTcpChecksumFromHandlerArguments()
    {
        // The handler gets what a TCP checksum needs: addresses, protocol, and payload bounds.
        final int[] verdict = { -1 };
        iface.registerHandler(Ipv4Packet.PROTOCOL_TCP, (src, dst, protocol, buffer, offset, length, nowNs) ->
            verdict[0] = Checksums.onesComplementSum(
                buffer, offset, length, Checksums.pseudoHeaderSumIpv4(src, dst, protocol, length)));
        final UnsafeBuffer b = new UnsafeBuffer(new byte[14 + 20 + 20]);
        EthernetFrame.emit(b, 0, OUR_MAC, PEER_MAC, EthernetFrame.ETHER_TYPE_IPV4);
        Ipv4Packet.emit(b, 14, 20, 1, 0, 64, 6, PEER_IP, OUR_IP);
        b.putShort(34, (short)1234, ByteOrder.BIG_ENDIAN);
        b.putByte(34 + 12, (byte)0x50);
        final int sum = Checksums.onesComplementSum(b, 34, 20, Checksums.pseudoHeaderSumIpv4(PEER_IP, OUR_IP, 6, 20));
        b.putShort(34 + 16, (short)Checksums.finish(sum), ByteOrder.BIG_ENDIAN);
        inject(b.byteArray(), 0);
        assertEquals(0xFFFF, verdict[0]);
    }

}
