package io.dominoes.net.sim;

import io.dominoes.net.TestSeeds;
import io.dominoes.net.tcp.TcpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two sockets over a lossy simulated link (smoltcp tests/netsim.rs in spirit): every byte arrives, in order,
 * in bounded simulated time, and the run is a pure function of the seed.
 */
class TcpNetSimTest
{
    private static final long MIB = 1024 * 1024;

    private static TcpConfig config()
    {
        return new TcpConfig().receiveBufferCapacity(256 * 1024).sendBufferCapacity(256 * 1024);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void replicaFedTheSameSegmentsEmitsTheSameBytesAndKeepsTheSameDigest()
    {
        final long seed = TestSeeds.seed("replicaFedTheSameSegmentsEmitsTheSameBytesAndKeepsTheSameDigest");
        final TcpNetSim sim = new TcpNetSim(seed);
        sim.shadowReplica = true;
        final String summary = sim.run(config(), config(), 512 * 1024, 600_000_000_000L);
        System.out.println(summary);
        assertTrue(sim.replicaChecks > 1000, summary);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sameSeedGivesTheSameRun()
    {
        final long seed = TestSeeds.seed("sameSeedGivesTheSameRun");
        final TcpNetSim first = new TcpNetSim(seed);
        final TcpNetSim second = new TcpNetSim(seed);
        final String a = first.run(config(), config(), 256 * 1024, 600_000_000_000L);
        final String b = second.run(config(), config(), 256 * 1024, 600_000_000_000L);
        assertEquals(a, b, "seed=" + seed);
    }

    /**
     * The run: 64 MiB each way with 5% loss, 5% reordering, 1% duplication, 0.1% corruption, 2 ms delay on a
     * 1 Gbit/s link. About 270 simulated seconds and under 10 s of real time on the development machine.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void transfersSixtyFourMebibytesEachWayByteIdenticalOverFaultyLink()
    {
        final long seed = TestSeeds.seed("transfersSixtyFourMebibytesEachWayByteIdenticalOverFaultyLink");
        final TcpNetSim sim = new TcpNetSim(seed);
        final long started = System.nanoTime();
        final String summary = sim.run(config(), config(), 64 * MIB, 900_000_000_000L);
        System.out.println(summary + " real=" + (System.nanoTime() - started) / 1_000_000 + "ms");
        assertTrue(sim.packetsLost > 0 && sim.packetsReordered > 0 && sim.packetsDuplicated > 0 &&
            sim.checksumFailures == sim.packetsCorrupted, summary);
    }
}
