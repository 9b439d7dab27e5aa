package io.dominoes.net.misd;

import io.dominoes.net.device.FaultConfig;
import io.dominoes.net.tcp.TcpConfig;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replicated receive path with TSO-sized segments (60 000-byte MSS), whose copies are split across the
 * replicas ({@link PayloadCopySplit}): the delivered stream (checked byte by byte against the sender's pattern as
 * the application reads it, so a chunk nobody copied shows as wrong bytes), the ACK decisions and their bytes
 * equal the single-threaded stack's under loss, duplication, reordering and corruption, for 1 to 4 replicas; with
 * 2 or more, every replica copied a fair share of the bytes and took part in split copies.
 */
@Timeout(180)
class MisdLargeSegmentSplitCopyTest
{
    private static final long SEED = 20_261_121L;
    private static final long BYTES = 6_000_000;
    private static final int MSS = 60_000;
    private static final FaultConfig FAULTS = new FaultConfig(0.02, 0.02, 0.02, 0.05, 50_000, 10_000, 300_000, 256);

    private static TcpConfig receiverConfig()
    {
        // 512 KiB: a window of about 8 large segments, so application reads (APP_READ events) reopen it
        return new TcpConfig().mss(MSS).receiveBufferCapacity(512 * 1024).maxAssemblerRanges(16);
    }

    private static TcpConfig senderConfig()
    {
        return new TcpConfig().mss(MSS).sendBufferCapacity(1 << 20);
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = { 1, 2, 3, 4 })
    void largeSegmentsDeliverTheSingleStacksStreamWithEveryReplicaCopyingAShare(final int replicas)
    {
        final SequentialTcpReceiver single = new SequentialTcpReceiver(
            receiverConfig(), ReceiveSimulation.SERVER_ADDR, ReceiveSimulation.SERVER_PORT, true);
        final ReceiveSimulation.Result expected = new ReceiveSimulation(SEED).faults(FAULTS).run(single, senderConfig(), BYTES);

        final MisdTcpReceiver receiver = MisdTcpReceiverTest.misd(
            receiverConfig(), replicas, replicas > 2 ? "park" : "yield", 1 << 23, 16, "misd-split-test");
        final ReceiveSimulation.Result actual;
        try
        {
            actual = new ReceiveSimulation(SEED).faults(FAULTS).run(receiver, senderConfig(), BYTES);
        }
        finally
        {
            receiver.close(); // rethrows a replica failure, a digest divergence included
        }

        final SharedReceiveBuffer shared = receiver.sharedBuffer();
        final String context = "seed=" + SEED + " replicas=" + replicas + " single=" + expected + " misd=" + actual +
            " " + shared.copyReport();
        MisdTcpReceiverTest.assertSameRunAsSingle(expected, actual, BYTES, context);
        assertEquals(single.socket().rcvNxt(), receiver.socket(0).rcvNxt(), context);

        long copied = 0;
        long splits = 0;
        for (int r = 0; r < replicas; r++)
        {
            copied += shared.copiedBytes(r);
            splits += shared.splitCopies(r);
        }
        assertTrue(copied >= BYTES, "every delivered byte was copied in at least once: " + context);
        if (1 == replicas)
        {
            assertEquals(0, splits, "one replica never splits: " + context);
            return;
        }
        for (int r = 0; r < replicas; r++)
        {
            assertTrue(shared.copiedBytes(r) >= copied / (2L * replicas),
                "replica " + r + " copied at least 1/(2N) of the bytes: " + context);
            assertTrue(shared.splitCopies(r) > 0, "replica " + r + " copied shares of split segments: " + context);
        }
    }
}
