package io.dominoes.net.misd;

import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.core.ReplicaCounters;
import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.net.device.FaultConfig;
import io.dominoes.net.tcp.TcpConfig;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replicated receive path against the single-threaded stack, in the same closed loop over a faulty link:
 * byte stream, ACK decisions (count and every byte, in order) and rejected packets must be identical for every
 * replica count, with the replicas' socket digests compared every 64 events.
 */
@Timeout(180)
class MisdTcpReceiverTest
{
    static final long SEED = 20_240_611L;
    static final long BYTES = 600_000;
    static final FaultConfig FAULTS = new FaultConfig(0.03, 0.02, 0.02, 0.05, 50_000, 10_000, 300_000, 1 << 14);

    static TcpConfig receiverConfig()
    {
        // a small buffer so the window closes and application reads (APP_READ events) reopen it
        return new TcpConfig().receiveBufferCapacity(64 * 1024).maxAssemblerRanges(16);
    }

    static TcpConfig senderConfig()
    {
        return new TcpConfig().sendBufferCapacity(128 * 1024);
    }

    static MisdTcpReceiver misd(final int replicas, final String idle)
    {
        return misd(receiverConfig(), replicas, idle, 1 << 22, 64, "misd-test");
    }

    static MisdTcpReceiver misd(
        final TcpConfig config, final int replicas, final String idle, final int inputCapacity, final int digestEvery,
        final String name)
    {
        return MisdTcpReceiver.builder(config)
            .replicas(replicas)
            .listen(ReceiveSimulation.SERVER_ADDR, ReceiveSimulation.SERVER_PORT)
            .input(subscribers -> BroadcastRing.builder().capacity(inputCapacity).subscribers(subscribers).build())
            .output(BroadcastRing.builder().capacity(1 << 20).subscribers(1).multiPublisher(true).build(), true)
            .idleStrategy(IdleStrategies.byName(idle))
            .digestEvery(digestEvery)
            .name(name)
            .start();
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = { 1, 2, 3, 4 })
    void deliversTheSingleStacksStreamWithTheSameAckDecisionsUnderFaults(final int replicas)
    {
        final SequentialTcpReceiver single = new SequentialTcpReceiver(
            receiverConfig(), ReceiveSimulation.SERVER_ADDR, ReceiveSimulation.SERVER_PORT, true);
        final ReceiveSimulation.Result expected = new ReceiveSimulation(SEED).faults(FAULTS).run(single, senderConfig(), BYTES);

        final MisdTcpReceiver receiver = misd(replicas, replicas > 2 ? "park" : "yield");
        final ReceiveSimulation.Result actual;
        try
        {
            actual = new ReceiveSimulation(SEED).faults(FAULTS).run(receiver, senderConfig(), BYTES);
        }
        finally
        {
            receiver.close(); // rethrows a replica failure, a digest divergence included
        }

        final String context = "seed=" + SEED + " replicas=" + replicas + " single=" + expected + " misd=" + actual;
        assertSameRunAsSingle(expected, actual, BYTES, context);
        assertTrue(single.rejectedFrames() > 0, "corrupt packets reached the receiver: " + context);
        long digestsCompared = 0;
        for (int r = 0; r < replicas; r++)
        {
            assertEquals(single.rejectedFrames(), receiver.group().domain(r) == null ? -1 :
                receiver.rejectedFrames(), "replica " + r + " rejected exactly the corrupt packets: " + context);
            assertEquals(receiver.socket(0).digest(), receiver.socket(r).digest(), "replica " + r + " TCB");
            digestsCompared += receiver.group().counters(r).get(ReplicaCounters.DIGESTS_COMPARED);
        }
        assertEquals(single.socket().rcvNxt(), receiver.socket(0).rcvNxt(), context);
        assertEquals(single.socket().rcvWnd(), receiver.socket(0).rcvWnd(), context);
        if (replicas > 1)
        {
            assertTrue(digestsCompared > 0, "digests were compared: " + context);
        }
    }

    /**
     * The closed loop over the faulty link ran the same for the replicated receiver as for the single stack: every
     * fault happened, every byte arrived, and the ACK decisions were the same, byte for byte, in the same order.
     */
    static void assertSameRunAsSingle(
        final ReceiveSimulation.Result expected, final ReceiveSimulation.Result actual, final long bytes, final String context)
    {
        assertTrue(expected.corrupted() > 0 && expected.lost() > 0 && expected.reordered() > 0 && expected.duplicated() > 0,
            "the link exercised every fault: " + context);
        assertEquals(bytes, actual.delivered(), context);
        assertEquals(expected.sentFrames(), actual.sentFrames(), "one ACK per ACK decision: " + context);
        assertEquals(expected.sentTranscript(), actual.sentTranscript(), "identical ACKs in identical order: " + context);
        assertEquals(expected.steps(), actual.steps(), context);
    }
}
