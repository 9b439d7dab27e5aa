package io.dominoes.net.sim;

import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpEmitter;
import io.dominoes.net.tcp.TcpSegmentRepr;
import io.dominoes.net.tcp.TcpSocket;
import io.dominoes.net.tcp.TcpState;
import io.dominoes.net.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Two sockets joined by a simulated link on a virtual clock: seeded loss, reordering, duplication, corruption
 * (caught by the checksum) and delay. Each side streams a known byte pattern to the other, then closes; the
 * receiver compares every byte as it reads. Optionally a shadow replica of the server socket sees the same
 * inputs and must emit the same bytes and keep the same digest.
 */
final class TcpNetSim
{
    static final int CLIENT_ADDR = 0x0A000001;
    static final int SERVER_ADDR = 0x0A000002;
    static final int CLIENT_PORT = 40_000;
    static final int SERVER_PORT = 80;
    private static final int PATTERN_LENGTH = 1_000_003;

    double lossRate = 0.05;
    double reorderRate = 0.05;
    double duplicateRate = 0.01;
    double corruptRate = 0.001;
    long delayNs = 2_000_000L;
    long reorderExtraNs = 6_000_000L;
    long bitsPerSecond = 1_000_000_000L;
    boolean shadowReplica;

    long packetsSent;
    long packetsLost;
    long packetsDuplicated;
    long packetsCorrupted;
    long checksumFailures;
    long packetsReordered;
    long nowNs;
    long replicaChecks;

    private final long seed;
    private final SplittableRandom random;
    private final byte[] pattern = new byte[PATTERN_LENGTH];
    private final UnsafeBuffer patternBuffer;
    private final PriorityQueue<Packet> inFlight = new PriorityQueue<>();
    private long packetOrder;
    private long linkFreeAtToServer;
    private long linkFreeAtToClient;

    TcpNetSim(final long seed)
    {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        new SplittableRandom(seed ^ 0x1234).nextBytes(pattern);
        patternBuffer = new UnsafeBuffer(pattern);
    }

    static final class Packet implements Comparable<Packet>
    {
        final long deliverAtNs;
        final long order;
        final boolean toServer;
        final int srcAddr;
        final int dstAddr;
        final byte[] bytes;

        Packet(final long deliverAtNs, final long order, final boolean toServer, final int srcAddr, final int dstAddr,
            final byte[] bytes)
        {
            this.deliverAtNs = deliverAtNs;
            this.order = order;
            this.toServer = toServer;
            this.srcAddr = srcAddr;
            this.dstAddr = dstAddr;
            this.bytes = bytes;
        }

        public int compareTo(final Packet other)
        {
            final int byTime = Long.compare(deliverAtNs, other.deliverAtNs);
            return 0 != byTime ? byTime : Long.compare(order, other.order);
        }
    }

    final class LinkEmitter implements TcpEmitter
    {
        private final boolean toServer;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[70_000]);
        private int srcAddr;
        private int dstAddr;
        private int length;
        byte[] last;
        long transcript = 0xCBF29CE484222325L;

        LinkEmitter(final boolean toServer)
        {
            this.toServer = toServer;
        }

        public int claim(final int srcAddr, final int dstAddr, final int tcpLength)
        {
            this.srcAddr = srcAddr;
            this.dstAddr = dstAddr;
            this.length = tcpLength;
            return 0;
        }

        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        public void commit()
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(0, bytes);
            last = bytes;
            for (final byte b : bytes)
            {
                transcript = (transcript ^ b) * 0x100000001B3L;
            }
            send(toServer, srcAddr, dstAddr, bytes);
        }
    }

    /**
     * Emitter of the shadow replica: nothing leaves, bytes are compared with the primary's.
     */
    static final class ShadowEmitter implements TcpEmitter
    {
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[70_000]);
        private int length;
        long transcript = 0xCBF29CE484222325L;

        public int claim(final int srcAddr, final int dstAddr, final int tcpLength)
        {
            length = tcpLength;
            return 0;
        }

        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        public void commit()
        {
            for (int i = 0; i < length; i++)
            {
                transcript = (transcript ^ buffer.getByte(i)) * 0x100000001B3L;
            }
        }
    }

    private void send(final boolean toServer, final int srcAddr, final int dstAddr, final byte[] bytes)
    {
        packetsSent++;
        // serialisation on a link of fixed rate, then propagation delay
        final long serialisationNs = (bytes.length + 40) * 8L * 1_000_000_000L / bitsPerSecond;
        long departure;
        if (toServer)
        {
            departure = Math.max(nowNs, linkFreeAtToServer) + serialisationNs;
            linkFreeAtToServer = departure;
        }
        else
        {
            departure = Math.max(nowNs, linkFreeAtToClient) + serialisationNs;
            linkFreeAtToClient = departure;
        }
        if (random.nextDouble() < lossRate)
        {
            packetsLost++;
            return;
        }
        int copies = 1;
        if (random.nextDouble() < duplicateRate)
        {
            packetsDuplicated++;
            copies = 2;
        }
        for (int c = 0; c < copies; c++)
        {
            byte[] payload = bytes;
            if (random.nextDouble() < corruptRate)
            {
                packetsCorrupted++;
                payload = bytes.clone();
                payload[random.nextInt(payload.length)] ^= (byte)(1 + random.nextInt(255));
            }
            long deliverAt = departure + delayNs;
            if (random.nextDouble() < reorderRate)
            {
                packetsReordered++;
                deliverAt += 1 + random.nextLong(reorderExtraNs);
            }
            inFlight.add(new Packet(deliverAt, packetOrder++, toServer, srcAddr, dstAddr, payload));
        }
    }

    /**
     * Run the transfer to completion.
     *
     * @return a one-line summary.
     */
    String run(final TcpConfig clientConfig, final TcpConfig serverConfig, final long bytesEachWay,
        final long maxSimulatedNs)
    {
        final TcpSocket client = new TcpSocket(clientConfig);
        final TcpSocket server = new TcpSocket(serverConfig);
        final TcpSocket shadow = shadowReplica ? new TcpSocket(serverConfig) : null;
        final LinkEmitter toServer = new LinkEmitter(true);
        final LinkEmitter toClient = new LinkEmitter(false);
        final ShadowEmitter shadowEmitter = new ShadowEmitter();
        final TcpSegment wire = new TcpSegment();
        final TcpSegmentRepr repr = new TcpSegmentRepr();
        final UnsafeBuffer readBuffer = new UnsafeBuffer(new byte[64 * 1024]);
        final Direction up = new Direction(bytesEachWay, 0);
        final Direction down = new Direction(bytesEachWay, PATTERN_LENGTH / 3);

        server.listen(SERVER_ADDR, SERVER_PORT);
        if (null != shadow)
        {
            shadow.listen(SERVER_ADDR, SERVER_PORT);
        }
        client.connect(CLIENT_ADDR, CLIENT_PORT, SERVER_ADDR, SERVER_PORT, nowNs);

        long steps = 0;
        while (true)
        {
            if (nowNs > maxSimulatedNs)
            {
                throw new AssertionError("seed=" + seed + " not done after " + nowNs / 1e9 + " simulated s: " +
                    summary(up, down) + " client=" + client + " server=" + server);
            }
            // deliver everything due
            Packet packet;
            while (null != (packet = inFlight.peek()) && packet.deliverAtNs <= nowNs)
            {
                inFlight.poll();
                wire.wrap(new UnsafeBuffer(packet.bytes), 0, packet.bytes.length);
                if (TcpSegment.OK != wire.checkLength() || !wire.verifyChecksum(packet.srcAddr, packet.dstAddr))
                {
                    checksumFailures++;
                    continue;
                }
                if (0 != repr.parse(wire, packet.srcAddr, packet.dstAddr))
                {
                    checksumFailures++;
                    continue;
                }
                if (packet.toServer)
                {
                    server.process(repr, nowNs);
                    if (null != shadow)
                    {
                        shadow.process(repr, nowNs);
                    }
                }
                else
                {
                    client.process(repr, nowNs);
                }
            }

            // applications
            up.pump(client, server, readBuffer);
            down.pump(server, client, readBuffer);
            if (null != shadow)
            {
                down.mirror(shadow, readBuffer);
            }

            client.dispatch(toServer, nowNs);
            server.dispatch(toClient, nowNs);
            if (null != shadow)
            {
                shadow.dispatch(shadowEmitter, nowNs);
                if (shadowEmitter.transcript != toClient.transcript || shadow.digest() != server.digest())
                {
                    throw new AssertionError("seed=" + seed + " replica diverged at t=" + nowNs + " step=" + steps +
                        " server=" + server + " shadow=" + shadow);
                }
                replicaChecks++;
            }
            steps++;

            if (up.done() && down.done() &&
                (client.state() == TcpState.CLOSED || client.state() == TcpState.TIME_WAIT) &&
                (server.state() == TcpState.CLOSED || server.state() == TcpState.TIME_WAIT))
            {
                return summary(up, down) + " client=" + client + " server=" + server;
            }

            long next = Math.min(client.pollAt(), server.pollAt());
            if (null != inFlight.peek())
            {
                next = Math.min(next, inFlight.peek().deliverAtNs);
            }
            if (next == Long.MAX_VALUE)
            {
                throw new AssertionError("seed=" + seed + " stalled at t=" + nowNs + ": " + summary(up, down) +
                    " client=" + client + " server=" + server);
            }
            // the applications read and write instantly, so move on at least 10 us to let them make progress
            nowNs = Math.max(next, nowNs + 10_000L);
        }
    }

    private String summary(final Direction up, final Direction down)
    {
        return String.format("seed=%d t=%.3fs up=%d/%d down=%d/%d sent=%d lost=%d dup=%d corrupt=%d badsum=%d " +
            "reordered=%d replicaChecks=%d", seed, nowNs / 1e9, up.received, up.total, down.received, down.total,
            packetsSent, packetsLost, packetsDuplicated, packetsCorrupted, checksumFailures, packetsReordered,
            replicaChecks);
    }

    long transcriptOf(final LinkEmitter emitter)
    {
        return emitter.transcript;
    }

    /**
     * One direction: the writer streams {@code total} bytes of the pattern then closes; the reader checks them.
     */
    final class Direction
    {
        final long total;
        final int patternStart;
        long written;
        long received;
        boolean closed;
        boolean eof;
        long mirrored;

        Direction(final long total, final int patternStart)
        {
            this.total = total;
            this.patternStart = patternStart;
        }

        void pump(final TcpSocket writer, final TcpSocket reader, final UnsafeBuffer readBuffer)
        {
            while (written < total && writer.writableBytes() > 0)
            {
                final int at = (int)((patternStart + written) % PATTERN_LENGTH);
                final int length = (int)Math.min(total - written, PATTERN_LENGTH - at);
                final int n = writer.write(patternBuffer, at, length);
                if (n <= 0)
                {
                    break;
                }
                written += n;
            }
            if (written == total && !closed && writer.state().canSend())
            {
                writer.close();
                closed = true;
            }
            while (true)
            {
                final int n = reader.read(readBuffer, 0, readBuffer.capacity());
                if (n == TcpSocket.END_OF_STREAM)
                {
                    if (received != total)
                    {
                        throw new AssertionError("seed=" + seed + " end of stream after " + received + " of " + total);
                    }
                    eof = true;
                    break;
                }
                if (n <= 0)
                {
                    break;
                }
                for (int i = 0; i < n; i++)
                {
                    final byte expected = pattern[(int)((patternStart + received + i) % PATTERN_LENGTH)];
                    if (readBuffer.getByte(i) != expected)
                    {
                        throw new AssertionError("seed=" + seed + " byte " + (received + i) + " differs");
                    }
                }
                received += n;
                if (received > total)
                {
                    throw new AssertionError("seed=" + seed + " received " + received + " > " + total);
                }
            }
        }

        /**
         * The shadow replica's application writes the same bytes at the same points as the primary's (tracked by
         * {@code written} of the primary) and reads the same amounts.
         */
        void mirror(final TcpSocket shadow, final UnsafeBuffer readBuffer)
        {
            while (mirrored < written)
            {
                final int at = (int)((patternStart + mirrored) % PATTERN_LENGTH);
                final int length = (int)Math.min(written - mirrored, PATTERN_LENGTH - at);
                final int n = shadow.write(patternBuffer, at, length);
                if (n <= 0)
                {
                    throw new AssertionError("seed=" + seed + " shadow refused a write the primary took");
                }
                mirrored += n;
            }
            if (closed && shadow.state().canSend())
            {
                shadow.close();
            }
            while (shadow.read(readBuffer, 0, readBuffer.capacity()) > 0)
            {
                // the primary read everything; so does the replica
            }
        }

        boolean done()
        {
            return eof;
        }
    }
}
