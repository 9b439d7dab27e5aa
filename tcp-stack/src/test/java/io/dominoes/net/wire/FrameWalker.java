package io.dominoes.net.wire;

import org.agrona.DirectBuffer;

/**
 * Parses a frame as far down as the wire package goes (Ethernet, ARP, IPv4, ICMP) and reads every
 * accessor that the parse result says is safe, tallying what it saw. Used by the capture and fuzz
 * tests: it must never throw, whatever the bytes.
 */
final class FrameWalker
{
    final EthernetFrame ethernet = new EthernetFrame();
    final ArpPacket arp = new ArpPacket();
    final Ipv4Packet ipv4 = new Ipv4Packet();
    final IcmpV4Packet icmp = new IcmpV4Packet();

    int frames;
    int vlanTagged;
    int arpOk;
    int ipv4Ok;
    int fragments;
    int icmpOk;
    final int[] errorsByCode = new int[WireError.CODE_COUNT];
    long fieldHash;

    void walk(final DirectBuffer buffer, final int offset, final int length)
    {
        frames++;
        final int ethernetResult = ethernet.wrap(buffer, offset, length).parse();
        if (ethernetResult != WireError.OK)
        {
            errorsByCode[-ethernetResult]++;
            return;
        }
        fieldHash += ethernet.destination() ^ ethernet.source() ^ ethernet.outerVlanId();
        if (ethernet.vlanTagCount() > 0)
        {
            vlanTagged++;
        }
        if (ethernet.etherType() == EthernetFrame.ETHER_TYPE_ARP)
        {
            final int result = arp.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength()).parse();
            if (result != WireError.OK)
            {
                errorsByCode[-result]++;
                return;
            }
            arpOk++;
            fieldHash += arp.senderHardwareAddress() ^ arp.targetHardwareAddress() ^ arp.senderProtocolAddress() ^
                arp.targetProtocolAddress() ^ arp.operation();
        }
        else if (ethernet.etherType() == EthernetFrame.ETHER_TYPE_IPV4)
        {
            final int result = ipv4.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength()).parse();
            if (result != WireError.OK)
            {
                errorsByCode[-result]++;
                return;
            }
            ipv4Ok++;
            fieldHash += ipv4.sourceAddress() ^ ipv4.destinationAddress() ^ ipv4.identification() ^
                ipv4.timeToLive() ^ ipv4.typeOfService() ^ ipv4.optionsLength() ^ ipv4.fragmentOffset();
            if (ipv4.isFragment())
            {
                fragments++;
                return;
            }
            if (ipv4.protocol() == Ipv4Packet.PROTOCOL_ICMP)
            {
                final int icmpResult = icmp.wrap(buffer, ipv4.payloadOffset(), ipv4.payloadLength()).parse();
                if (icmpResult != WireError.OK)
                {
                    errorsByCode[-icmpResult]++;
                    return;
                }
                icmpOk++;
                fieldHash += icmp.type() ^ icmp.code() ^ icmp.identifier() ^ icmp.sequenceNumber() ^ icmp.dataLength();
            }
        }
    }
}
