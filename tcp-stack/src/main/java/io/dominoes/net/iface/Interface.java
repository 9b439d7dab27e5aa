package io.dominoes.net.iface;

import io.dominoes.net.device.Device;
import io.dominoes.net.wire.ArpPacket;
import io.dominoes.net.wire.EthernetFrame;
import io.dominoes.net.wire.IcmpV4Packet;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.Ipv4Packet;
import io.dominoes.net.wire.MacAddress;
import io.dominoes.net.wire.WireError;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One Ethernet interface with one IPv4 address: ARP (RFC 826), IPv4 receive and send over one
 * subnet plus a default gateway, ICMP echo reply (RFC 792), and a demultiplexer handing other IP
 * protocols to registered {@link Ipv4PayloadHandler}s. Demux only: no socket logic lives here.
 * <p>
 * Driven by {@link #poll(long)} from one thread with the caller's clock; {@link #pollAtNs()} says
 * when the next timer (an ARP retry or give-up) is due. Every frame that is not used is counted
 * by reason ({@link DropReason}) and dropped; nothing from the network throws. Steady state
 * allocates nothing: one receive and one transmit buffer, flyweights re-wrapped per frame.
 */
public final class Interface
{
    /**
     * Offset of the IPv4 header in {@link #claimIpv4Payload()}'s buffer.
     */
    public static final int IPV4_OFFSET = EthernetFrame.HEADER_LENGTH;

    /**
     * Offset of the IPv4 payload (transport header) in {@link #claimIpv4Payload()}'s buffer.
     */
    public static final int PAYLOAD_OFFSET = IPV4_OFFSET + Ipv4Packet.MIN_HEADER_LENGTH;

    /**
     * {@link #sendIpv4} results: the frame went to the device.
     */
    public static final int SENT = 0;

    /**
     * The next hop's MAC is being resolved; the frame is queued and goes out when ARP answers.
     */
    public static final int QUEUED = 1;

    /**
     * No route to the destination (off link, no gateway). Nothing sent.
     */
    public static final int NO_ROUTE = -1;

    /**
     * The device would not take the frame. Nothing sent; retry.
     */
    public static final int BACK_PRESSURED = -2;

    /**
     * The next hop is unresolved and the ARP queue is full. Nothing sent.
     */
    public static final int ARP_QUEUE_FULL = -3;

    /**
     * Time-to-live of our packets (RFC 1700 recommends 64).
     */
    public static final int DEFAULT_TTL = 64;

    /**
     * ARP requests sent for an address before its queued frames are dropped.
     */
    public static final int MAX_ARP_REQUESTS = 3;

    private static final int RX_BUDGET = 64;

    private final Device device;
    private final long mac;
    private final Routes routes;
    private final ArpCache arpCache;
    private final PendingFrames pending;
    private final Ipv4PayloadHandler[] handlers = new Ipv4PayloadHandler[256];
    private final UnsafeBuffer rxBuffer;
    private final UnsafeBuffer txBuffer;
    private final UnsafeBuffer arpBuffer;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final IcmpV4Packet icmp = new IcmpV4Packet();
    private final long[] drops = new long[DropReason.COUNT];
    private int nextIdentification;
    private long framesReceived;
    private long framesSent;
    private long echoRequestsAnswered;
    private long echoRequestsReceived;
    private long arpPacketsProcessed;
    private long ipv4Delivered;
    private int rxPartialChecksumStart = Device.NO_PARTIAL_CHECKSUM;
    private int rxPartialChecksumOffset = Device.NO_PARTIAL_CHECKSUM;
    private int deliveredPartialChecksumField = Device.NO_PARTIAL_CHECKSUM;

    /**
     * @param device   to receive from and transmit on.
     * @param mac      our MAC address (on a TAP, different from the kernel side's).
     * @param routes   our address, subnet and gateway.
     * @param arpCache translations; sized for the link's neighbours.
     * @param arpQueue frames that may wait for ARP resolution at once.
     */
    public Interface(final Device device, final long mac, final Routes routes, final ArpCache arpCache, final int arpQueue)
    {
        if (MacAddress.isMulticast(mac))
        {
            throw new IllegalArgumentException("interface MAC " + MacAddress.toString(mac) + " must be unicast");
        }
        this.device = device;
        this.mac = mac;
        this.routes = routes;
        this.arpCache = arpCache;
        final int maxFrame = device.maxFrameLength();
        this.pending = new PendingFrames(arpQueue, maxFrame);
        // Receive room for what the device can deliver (64 KiB TSO segments on a vnet-header TAP);
        // we transmit at most MTU-sized frames.
        this.rxBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(align(device.maxReceiveFrameLength()), 64));
        this.txBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(align(maxFrame), 64));
        this.arpBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
    }

    private static int align(final int length)
    {
        return (length + 63) & ~63;
    }

    /**
     * Hand IPv4 payloads of {@code protocol} to {@code handler} (ICMP is answered internally).
     *
     * @param protocol 0..255, not 1 (ICMP).
     * @param handler  to call, or null to unregister.
     */
    public void registerHandler(final int protocol, final Ipv4PayloadHandler handler)
    {
        if (protocol < 0 || protocol > 255 || protocol == Ipv4Packet.PROTOCOL_ICMP)
        {
            throw new IllegalArgumentException("protocol=" + protocol + " must be 0..255 and not ICMP (1)");
        }
        handlers[protocol] = handler;
    }

    /**
     * Receive and process up to a batch of frames and run ARP timers.
     *
     * @param nowNs current time.
     * @return work done (frames processed plus timer actions), 0 when idle.
     */
    public int poll(final long nowNs)
    {
        int work = 0;
        for (int i = 0; i < RX_BUDGET; i++)
        {
            final int length = device.receive(nowNs, rxBuffer, 0, rxBuffer.capacity());
            if (length <= 0)
            {
                break;
            }
            framesReceived++;
            rxPartialChecksumStart = device.partialChecksumStart();
            rxPartialChecksumOffset = device.partialChecksumOffset();
            processFrame(rxBuffer, 0, length, nowNs);
            work++;
        }
        if (pending.size() > 0)
        {
            work += runArpTimers(nowNs);
        }
        return work;
    }

    /**
     * @param nowNs current time.
     * @return when {@link #poll} next has timer work: an ARP retry; Long.MAX_VALUE if none. Frames
     * arriving need a poll too: the caller waits on the device as well.
     */
    public long pollAtNs(final long nowNs)
    {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < pending.capacity(); i++)
        {
            if (pending.isUsed(i))
            {
                at = Math.min(at, arpCache.nextRequestNs(pending.nextHop(i)));
            }
        }
        return at;
    }

    /**
     * Process one received frame (public for replaying captures and fuzzing without a device).
     */
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        rxPartialChecksumStart = Device.NO_PARTIAL_CHECKSUM;
        rxPartialChecksumOffset = Device.NO_PARTIAL_CHECKSUM;
        processFrame(buffer, offset, length, nowNs);
    }

    /**
     * Valid only inside an {@link Ipv4PayloadHandler} call: if the device reported that the frame
     * being delivered carries a partial transport checksum starting exactly at the transport header
     * (virtio NEEDS_CSUM, see {@link Device#partialChecksumStart()}), the checksum field's offset
     * from the transport header (virtio csum_offset); otherwise {@link Device#NO_PARTIAL_CHECKSUM}.
     * A handler whose checksum field is at that offset treats the checksum as verified by the
     * sending kernel instead of verifying it.
     *
     * @return csum_offset, or {@link Device#NO_PARTIAL_CHECKSUM}.
     */
    public int deliveredPartialChecksumField()
    {
        return deliveredPartialChecksumField;
    }

    private void processFrame(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final int result = ethernet.wrap(buffer, offset, length).parse();
        if (result != WireError.OK)
        {
            drop(result == WireError.TRUNCATED ? DropReason.ETHERNET_TRUNCATED : DropReason.ETHERNET_UNSUPPORTED);
            return;
        }
        final long destination = ethernet.destination();
        if (destination != mac && destination != MacAddress.BROADCAST)
        {
            drop(DropReason.NOT_OUR_MAC);
            return;
        }
        switch (ethernet.etherType())
        {
            case EthernetFrame.ETHER_TYPE_ARP:
                onArp(buffer, ethernet.payloadOffset(), ethernet.payloadLength(), nowNs);
                break;
            case EthernetFrame.ETHER_TYPE_IPV4:
                onIpv4(buffer, offset, ethernet.payloadOffset(), ethernet.payloadLength(), destination, nowNs);
                break;
            default:
                drop(DropReason.UNKNOWN_ETHER_TYPE);
                break;
        }
    }

    /**
     * RFC 826 "Packet Reception": "If the pair &lt;protocol type, sender protocol address&gt; is
     * already in my translation table, update the sender hardware address field of the entry with
     * the new information in the packet and set Merge_flag to true. ?Am I the target protocol
     * address? Yes: If Merge_flag is false, add the triplet ... ?Is the opcode ares_op$REQUEST? Yes:
     * Swap hardware and protocol fields, putting the local hardware and protocol addresses in the
     * sender fields. Set the ar$op field to ares_op$REPLY. Send the packet to the (new) target
     * hardware address on the same hardware on which the request was received."
     */
    private void onArp(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final int result = arp.wrap(buffer, offset, length).parse();
        if (result != WireError.OK)
        {
            drop(result == WireError.UNSUPPORTED ? DropReason.ARP_UNSUPPORTED : DropReason.ARP_MALFORMED);
            return;
        }
        final int senderIp = arp.senderProtocolAddress();
        final long senderMac = arp.senderHardwareAddress();
        final boolean validSender = senderIp != Ipv4Address.ANY && !MacAddress.isMulticast(senderMac);
        boolean merged = false;
        if (validSender && arpCache.contains(senderIp))
        {
            arpCache.update(senderIp, senderMac, nowNs);
            merged = true;
        }
        if (arp.targetProtocolAddress() != routes.address())
        {
            if (merged)
            {
                arpPacketsProcessed++;
                flushPending(senderIp, senderMac, nowNs);
            }
            else
            {
                drop(DropReason.ARP_NOT_FOR_US);
            }
            return;
        }
        arpPacketsProcessed++;
        if (validSender)
        {
            if (!merged)
            {
                arpCache.update(senderIp, senderMac, nowNs);
            }
            flushPending(senderIp, senderMac, nowNs);
        }
        if (arp.operation() == ArpPacket.OPERATION_REQUEST)
        {
            final int frameLength = EthernetFrame.emit(arpBuffer, 0, senderMac, mac, EthernetFrame.ETHER_TYPE_ARP) +
                ArpPacket.emit(arpBuffer, EthernetFrame.HEADER_LENGTH, ArpPacket.OPERATION_REPLY,
                    mac, routes.address(), senderMac, senderIp);
            transmitFrame(arpBuffer, frameLength, nowNs);
        }
    }

    private void onIpv4(
        final DirectBuffer buffer,
        final int frameOffset,
        final int offset, final int length, final long l2Destination, final long nowNs)
    {
        final int result = ipv4.wrap(buffer, offset, length).parse();
        if (result != WireError.OK)
        {
            drop(ipv4DropReason(result));
            return;
        }
        final int destination = ipv4.destinationAddress();
        final boolean broadcast = routes.isBroadcast(destination);
        if (destination != routes.address() && !broadcast)
        {
            drop(DropReason.IPV4_NOT_OUR_ADDRESS);
            return;
        }
        if (ipv4.isFragment())
        {
            drop(DropReason.IPV4_FRAGMENT); // no reassembly (yet): RFC 791 fragments are dropped whole
            return;
        }
        final int protocol = ipv4.protocol();
        if (protocol == Ipv4Packet.PROTOCOL_ICMP)
        {
            onIcmp(buffer, ipv4.payloadOffset(), ipv4.payloadLength(), ipv4.sourceAddress(), broadcast, nowNs);
            return;
        }
        final Ipv4PayloadHandler handler = handlers[protocol];
        if (null == handler)
        {
            drop(DropReason.UNKNOWN_PROTOCOL);
            return;
        }
        ipv4Delivered++;
        deliveredPartialChecksumField = rxPartialChecksumStart == ipv4.payloadOffset() - frameOffset ?
            rxPartialChecksumOffset : Device.NO_PARTIAL_CHECKSUM;
        try
        {
            handler.onIpv4(ipv4.sourceAddress(), destination, protocol, buffer, ipv4.payloadOffset(), ipv4.payloadLength(), nowNs);
        }
        finally
        {
            deliveredPartialChecksumField = Device.NO_PARTIAL_CHECKSUM;
        }
    }

    private static int ipv4DropReason(final int result)
    {
        switch (result)
        {
            case WireError.TRUNCATED:
                return DropReason.IPV4_TRUNCATED;
            case WireError.BAD_VERSION:
                return DropReason.IPV4_BAD_VERSION;
            case WireError.BAD_HEADER_LENGTH:
                return DropReason.IPV4_BAD_HEADER_LENGTH;
            case WireError.BAD_TOTAL_LENGTH:
                return DropReason.IPV4_BAD_TOTAL_LENGTH;
            case WireError.BAD_CHECKSUM:
                return DropReason.IPV4_BAD_CHECKSUM;
            default:
                return DropReason.IPV4_MALFORMED;
        }
    }

    private void onIcmp(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int source,
        final boolean broadcast,
        final long nowNs)
    {
        final int result = icmp.wrap(buffer, offset, length).parse();
        if (result != WireError.OK)
        {
            drop(result == WireError.TRUNCATED ? DropReason.ICMP_TRUNCATED : DropReason.ICMP_BAD_CHECKSUM);
            return;
        }
        if (icmp.type() != IcmpV4Packet.TYPE_ECHO_REQUEST)
        {
            drop(DropReason.ICMP_UNHANDLED_TYPE);
            return;
        }
        if (broadcast)
        {
            // RFC 1122 3.2.2.6: "An ICMP Echo Request destined to an IP broadcast or IP multicast
            // address MAY be silently discarded."
            drop(DropReason.ICMP_ECHO_TO_BROADCAST);
            return;
        }
        if (length > txBuffer.capacity() - PAYLOAD_OFFSET)
        {
            drop(DropReason.ICMP_TRUNCATED);
            return;
        }
        echoRequestsReceived++;
        // RFC 792: "To form an echo reply message, the source and destination addresses are simply
        // reversed, the type code changed to 0, and the checksum recomputed."
        txBuffer.putBytes(PAYLOAD_OFFSET, buffer, offset, length);
        IcmpV4Packet.echoRequestToReplyInPlace(txBuffer, PAYLOAD_OFFSET);
        final int sent = sendClaimed(nowNs, source, Ipv4Packet.PROTOCOL_ICMP, length);
        if (sent >= 0)
        {
            echoRequestsAnswered++;
        }
    }

    /**
     * The transmit buffer, to write an IPv4 payload in place at {@link #PAYLOAD_OFFSET} before
     * {@link #sendClaimed}. Valid until the next call into this interface.
     */
    public MutableDirectBuffer claimIpv4Payload()
    {
        return txBuffer;
    }

    /**
     * @return the largest IPv4 payload one frame carries (device MTU minus the IPv4 header).
     */
    public int maxIpv4Payload()
    {
        return Math.min(device.mtu(), txBuffer.capacity() - IPV4_OFFSET) - Ipv4Packet.MIN_HEADER_LENGTH;
    }

    /**
     * Copy a payload into the transmit buffer and send it; see {@link #sendClaimed}.
     */
    public int sendIpv4(
        final long nowNs, final int destination, final int protocol, final DirectBuffer payload, final int offset, final int length)
    {
        checkPayloadLength(length);
        txBuffer.putBytes(PAYLOAD_OFFSET, payload, offset, length);
        return sendClaimed(nowNs, destination, protocol, length);
    }

    /**
     * Send the payload already written at {@link #PAYLOAD_OFFSET} of {@link #claimIpv4Payload()}:
     * adds the IPv4 header (DF set, TTL 64, from our address) and the Ethernet header, resolving
     * the next hop with ARP.
     *
     * @return {@link #SENT}, {@link #QUEUED}, or a negative code: {@link #NO_ROUTE},
     * {@link #BACK_PRESSURED}, {@link #ARP_QUEUE_FULL}.
     */
    public int sendClaimed(final long nowNs, final int destination, final int protocol, final int payloadLength)
    {
        checkPayloadLength(payloadLength);
        final int nextHop = routes.nextHop(destination);
        if (nextHop == Routes.NO_ROUTE)
        {
            drop(DropReason.TX_NO_ROUTE);
            return NO_ROUTE;
        }
        Ipv4Packet.emit(txBuffer, IPV4_OFFSET, payloadLength, nextIdentification++ & 0xFFFF,
            Ipv4Packet.FLAG_DONT_FRAGMENT, DEFAULT_TTL, protocol, routes.address(), destination);
        final int frameLength = PAYLOAD_OFFSET + payloadLength;

        final long nextHopMac = routes.isBroadcast(destination) ? MacAddress.BROADCAST : arpCache.lookup(nextHop, nowNs);
        if (nextHopMac != ArpCache.MISSING)
        {
            EthernetFrame.emit(txBuffer, 0, nextHopMac, mac, EthernetFrame.ETHER_TYPE_IPV4);
            return transmitFrame(txBuffer, frameLength, nowNs) ? SENT : BACK_PRESSURED;
        }
        if (!pending.offer(nextHop, txBuffer, frameLength, nowNs))
        {
            drop(DropReason.ARP_QUEUE_FULL);
            return ARP_QUEUE_FULL;
        }
        if (arpCache.tryRequest(nextHop, nowNs))
        {
            sendArpRequest(nextHop, nowNs);
        }
        return QUEUED;
    }

    private void checkPayloadLength(final int length)
    {
        if (length < 0 || length > maxIpv4Payload())
        {
            throw new IllegalArgumentException("IPv4 payload length=" + length + " outside 0.." + maxIpv4Payload());
        }
    }

    private void sendArpRequest(final int target, final long nowNs)
    {
        final int frameLength =
            EthernetFrame.emit(arpBuffer, 0, MacAddress.BROADCAST, mac, EthernetFrame.ETHER_TYPE_ARP) +
            ArpPacket.emit(arpBuffer, EthernetFrame.HEADER_LENGTH, ArpPacket.OPERATION_REQUEST,
                mac, routes.address(), MacAddress.ZERO, target);
        transmitFrame(arpBuffer, frameLength, nowNs);
    }

    private int runArpTimers(final long nowNs)
    {
        int work = 0;
        for (int i = 0; i < pending.capacity(); i++)
        {
            if (!pending.isUsed(i))
            {
                continue;
            }
            final int nextHop = pending.nextHop(i);
            if (nowNs < arpCache.nextRequestNs(nextHop))
            {
                continue;
            }
            if (arpCache.requestsSent(nextHop) >= MAX_ARP_REQUESTS)
            {
                pending.remove(i);
                drop(DropReason.ARP_UNRESOLVED);
                work++;
            }
            else if (arpCache.tryRequest(nextHop, nowNs))
            {
                sendArpRequest(nextHop, nowNs);
                work++;
            }
        }
        return work;
    }

    private void flushPending(final int address, final long addressMac, final long nowNs)
    {
        for (int i = 0; i < pending.capacity(); i++)
        {
            if (pending.isUsed(i) && pending.nextHop(i) == address)
            {
                MacAddress.put(pending.storage(), pending.offset(i) + EthernetFrame.DESTINATION_OFFSET, addressMac);
                MacAddress.put(pending.storage(), pending.offset(i) + EthernetFrame.SOURCE_OFFSET, mac);
                pending.storage().putShort(pending.offset(i) + EthernetFrame.ETHER_TYPE_OFFSET,
                    (short)EthernetFrame.ETHER_TYPE_IPV4, java.nio.ByteOrder.BIG_ENDIAN);
                transmitFrame(pending.storage(), pending.offset(i), pending.length(i), nowNs);
                pending.remove(i);
            }
        }
    }

    private boolean transmitFrame(final DirectBuffer buffer, final int length, final long nowNs)
    {
        return transmitFrame(buffer, 0, length, nowNs);
    }

    private boolean transmitFrame(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        if (device.transmit(nowNs, buffer, offset, length))
        {
            framesSent++;
            return true;
        }
        drop(DropReason.TX_BUSY);
        return false;
    }

    private void drop(final int reason)
    {
        drops[reason]++;
    }

    /**
     * @param reason a {@link DropReason}.
     * @return frames or packets dropped for that reason.
     */
    public long drops(final int reason)
    {
        return drops[reason];
    }

    /**
     * @return all drop counters as "NAME=n" for the non-zero ones (diagnostics; allocates).
     */
    public String describeDrops()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < DropReason.COUNT; i++)
        {
            if (drops[i] != 0)
            {
                sb.append(sb.length() == 0 ? "" : " ").append(DropReason.name(i)).append('=').append(drops[i]);
            }
        }
        return sb.toString();
    }

    public long framesReceived()
    {
        return framesReceived;
    }

    public long framesSent()
    {
        return framesSent;
    }

    /**
     * @return echo replies made (sent, or queued behind ARP resolution).
     */
    public long echoRequestsAnswered()
    {
        return echoRequestsAnswered;
    }

    /**
     * @return echo requests taken for a reply (whether or not the reply could then be sent; a failed
     * send is counted under a TX drop reason).
     */
    public long echoRequestsReceived()
    {
        return echoRequestsReceived;
    }

    /**
     * @return ARP packets used (merged into the cache and/or answered), i.e. not dropped.
     */
    public long arpPacketsProcessed()
    {
        return arpPacketsProcessed;
    }

    /**
     * @return IPv4 payloads handed to a registered {@link Ipv4PayloadHandler}.
     */
    public long ipv4Delivered()
    {
        return ipv4Delivered;
    }

    /**
     * @return frames dropped on receive (every reason except the transmit-side ones: TX_BUSY,
     * TX_NO_ROUTE, ARP_QUEUE_FULL, ARP_UNRESOLVED). With {@link #arpPacketsProcessed()},
     * {@link #echoRequestsReceived()} and {@link #ipv4Delivered()} it accounts for every frame given
     * to {@link #onFrame}.
     */
    public long receiveDrops()
    {
        long sum = 0;
        for (int i = 0; i < DropReason.COUNT; i++)
        {
            if (!DropReason.isTransmitSide(i))
            {
                sum += drops[i];
            }
        }
        return sum;
    }

    public long mac()
    {
        return mac;
    }

    public int address()
    {
        return routes.address();
    }

    public Routes routes()
    {
        return routes;
    }

    public ArpCache arpCache()
    {
        return arpCache;
    }
}
