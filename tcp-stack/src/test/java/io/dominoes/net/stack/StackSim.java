package io.dominoes.net.stack;

import io.dominoes.net.device.Device;
import io.dominoes.net.device.FaultConfig;
import io.dominoes.net.device.FaultInjectingDevice;
import io.dominoes.net.device.MemoryPair;
import io.dominoes.net.iface.Routes;
import io.dominoes.net.tcp.TcpConfig;
import io.dominoes.net.tcp.TcpSocket;
import io.dominoes.net.wire.Ipv4Address;
import io.dominoes.net.wire.MacAddress;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Two full stacks (Interface + TCP) over a {@link MemoryPair}, one end wrapped in a
 * {@link FaultInjectingDevice} (so both directions see the faults once), on a virtual clock. The
 * client connects, each side streams {@code bytesEachWay} bytes of a seeded pattern, then closes;
 * each side compares every byte it reads with the pattern. Optionally records transmitted frames
 * (a corpus for fuzzing).
 */
final class StackSim
{
    static final int CLIENT_ADDR = Ipv4Address.parse("10.9.0.1");
    static final int SERVER_ADDR = Ipv4Address.parse("10.9.0.2");
    static final long CLIENT_MAC = MacAddress.parse("02:00:00:00:09:01");
    static final long SERVER_MAC = MacAddress.parse("02:00:00:00:09:02");
    static final int SERVER_PORT = 5001;
    private static final int PATTERN_LENGTH = 1_000_003;

    final long seed;
    final NetworkStack client;
    final NetworkStack server;
    final FaultInjectingDevice faults;
    final List<byte[]> recorded = new ArrayList<>();
    int recordLimit;
    long nowNs;
    long steps;
    long clientReceived;
    long serverReceived;

    private final byte[] pattern = new byte[PATTERN_LENGTH];

    StackSim(final long seed, final FaultConfig faultConfig)
    {
        this.seed = seed;
        new SplittableRandom(seed ^ 0x5EED).nextBytes(pattern);
        final MemoryPair pair = new MemoryPair(1500, 8192);
        faults = new FaultInjectingDevice(new Recording(pair.a()), faultConfig, seed);
        client = new NetworkStack(faults, CLIENT_MAC, new Routes(CLIENT_ADDR, 24, 0), config(seed));
        server = new NetworkStack(new Recording(pair.b()), SERVER_MAC, new Routes(SERVER_ADDR, 24, 0), config(~seed));
    }

    private static TcpStackConfig config(final long seed)
    {
        return new TcpStackConfig().maxConnections(8).maxBacklog(4).reassemblyMemoryBytes(8L << 20)
            .socketConfig(new TcpConfig().receiveBufferCapacity(256 * 1024).sendBufferCapacity(256 * 1024)
                .timestampOffset((int)seed));
    }

    /**
     * Run to completion: both directions delivered and checked, both connections closed and their
     * slots reclaimed.
     *
     * @return a one-line summary.
     */
    String run(final long bytesEachWay, final long maxSimulatedNs)
    {
        final TcpListener listener = server.tcp().listen(SERVER_PORT, 4);
        final Stream clientStream = new Stream(client.tcp().connect(SERVER_ADDR, SERVER_PORT, nowNs), bytesEachWay, 0);
        Stream serverStream = null;
        while (true)
        {
            if (nowNs > maxSimulatedNs)
            {
                throw new AssertionError("seed=" + seed + " not done after " + nowNs / 1e9 + " simulated s: " +
                    summary(clientStream, serverStream));
            }
            steps++;
            int work = client.poll(nowNs) + server.poll(nowNs);
            if (null == serverStream)
            {
                final TcpConnection accepted = server.tcp().accept(listener);
                if (null != accepted)
                {
                    serverStream = new Stream(accepted, bytesEachWay, PATTERN_LENGTH / 3);
                    work++;
                }
            }
            work += clientStream.step();
            if (null != serverStream)
            {
                work += serverStream.step();
            }
            if (null != serverStream && clientStream.done() && serverStream.done() &&
                0 == client.tcp().connectionCount() && 0 == server.tcp().connectionCount())
            {
                clientReceived = clientStream.received;
                serverReceived = serverStream.received;
                return summary(clientStream, serverStream);
            }
            if (0 == work)
            {
                final long next = Math.min(Math.min(client.pollAtNs(nowNs), server.pollAtNs(nowNs)), faults.nextDueNs());
                nowNs = next > nowNs && next != Long.MAX_VALUE ? next : nowNs + 1_000_000L;
            }
        }
    }

    private String summary(final Stream clientStream, final Stream serverStream)
    {
        return "seed=" + seed + " simulated=" + nowNs / 1_000_000 + "ms steps=" + steps +
            " client{sent=" + clientStream.sent + " received=" + clientStream.received + " " +
            client.tcp().connectionCount() + " conns, drops: " + client.iface().describeDrops() + " / " +
            client.tcp().describeDrops() + "}" +
            " server{" + (null == serverStream ? "not accepted" : "sent=" + serverStream.sent + " received=" +
            serverStream.received) + " " + server.tcp().connectionCount() + " conns, drops: " +
            server.iface().describeDrops() + " / " + server.tcp().describeDrops() + "}" +
            " faults{lost=" + faults.lost() + " reordered=" + faults.reordered() + " duplicated=" +
            faults.duplicated() + " corrupted=" + faults.corrupted() + " overflowed=" + faults.overflowed() + "}";
    }

    /**
     * One side's application: write the pattern from {@code patternStart}, read and check the peer's.
     */
    final class Stream
    {
        final TcpConnection connection;
        final long total;
        final int writeStart;
        final int readStart;
        long sent;
        long received;
        boolean closed;
        boolean eof;
        final UnsafeBuffer patternBuffer = new UnsafeBuffer(pattern);
        final UnsafeBuffer readBuffer = new UnsafeBuffer(new byte[64 * 1024]);

        Stream(final TcpConnection connection, final long total, final int writeStart)
        {
            this.connection = connection;
            this.total = total;
            this.writeStart = writeStart;
            this.readStart = writeStart == 0 ? PATTERN_LENGTH / 3 : 0;
        }

        int step()
        {
            int work = 0;
            while (sent < total)
            {
                final int at = (int)((writeStart + sent) % PATTERN_LENGTH);
                final int chunk = (int)Math.min(total - sent, PATTERN_LENGTH - at);
                final int n = connection.write(patternBuffer, at, chunk);
                if (n <= 0)
                {
                    break;
                }
                sent += n;
                work++;
            }
            if (sent == total && !closed)
            {
                connection.close();
                closed = true;
                work++;
            }
            while (!eof)
            {
                final int n = connection.read(readBuffer, 0, readBuffer.capacity());
                if (n == TcpSocket.END_OF_STREAM)
                {
                    eof = true;
                    work++;
                    break;
                }
                if (n < 0)
                {
                    throw new AssertionError("seed=" + seed + " read failed " + n + " error=" + connection.error() +
                        " after " + received + " bytes: " + connection);
                }
                if (n == 0)
                {
                    break;
                }
                check(readBuffer, n);
                received += n;
                work++;
            }
            return work;
        }

        private void check(final DirectBuffer buffer, final int n)
        {
            for (int i = 0; i < n; i++)
            {
                final int at = (int)((readStart + received + i) % PATTERN_LENGTH);
                if (buffer.getByte(i) != pattern[at])
                {
                    throw new AssertionError("seed=" + seed + " byte " + (received + i) + " differs");
                }
            }
        }

        boolean done()
        {
            if (eof && received != total)
            {
                throw new AssertionError("seed=" + seed + " end of stream after " + received + " of " + total);
            }
            return closed && eof;
        }
    }

    /**
     * Records the first {@code recordLimit} frames transmitted through it.
     */
    final class Recording implements Device
    {
        private final Device inner;

        Recording(final Device inner)
        {
            this.inner = inner;
        }

        public int receive(final long nowNs, final MutableDirectBuffer buffer, final int offset, final int capacity)
        {
            return inner.receive(nowNs, buffer, offset, capacity);
        }

        public boolean transmit(final long nowNs, final DirectBuffer buffer, final int offset, final int length)
        {
            if (recorded.size() < recordLimit)
            {
                final byte[] frame = new byte[length];
                buffer.getBytes(offset, frame);
                recorded.add(frame);
            }
            return inner.transmit(nowNs, buffer, offset, length);
        }

        public int mtu()
        {
            return inner.mtu();
        }

        public void close()
        {
            inner.close();
        }
    }
}
