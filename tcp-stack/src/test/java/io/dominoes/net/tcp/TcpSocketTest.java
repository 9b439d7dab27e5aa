package io.dominoes.net.tcp;

import io.dominoes.net.wire.TcpSegment;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.dominoes.net.wire.TcpSegment.FLAG_ACK;
import static io.dominoes.net.wire.TcpSegment.FLAG_FIN;
import static io.dominoes.net.wire.TcpSegment.FLAG_PSH;
import static io.dominoes.net.wire.TcpSegment.FLAG_RST;
import static io.dominoes.net.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 9293 state by state, time driven by hand (smoltcp socket/tcp.rs style: send a segment, expect a reply).
 */
class TcpSocketTest extends TcpSocketHarness
{
    // ---------------------------------------------------------------------------------------- CLOSED

    @Nested
    class Closed
    {
        @Test
        void dropsEverySegmentAndSendsNothing()
        {
            assertEquals(TcpSocket.DROPPED_STATE, send(segment(FLAG_SYN, REMOTE_ISS, 0, 1000)));
            recvNothing();
            assertEquals(Long.MAX_VALUE, socket.pollAt());
        }

        @Test
        void readAndWriteReportNotConnected()
        {
            assertEquals(TcpSocket.NOT_CONNECTED, socket.read(readBuffer, 0, 10));
            assertEquals(TcpSocket.NOT_CONNECTED, write("x"));
            assertEquals(0, socket.writableBytes());
        }

        @Test
        void unmatchedSegmentWithoutAckGetsRstAckCoveringIt()
        {
            final TcpSegment scratch = new TcpSegment();
            assertTrue(TcpSocket.emitResetForUnmatched(segment(FLAG_SYN, 77, 0, 1000), out, scratch));
            final TcpSegmentRepr rst = CapturingEmitter.parse(out.poll(), new TcpSegmentRepr());
            assertSegment(rst, FLAG_RST | FLAG_ACK, 0, 78, "");
            assertEquals(REMOTE_PORT, rst.dstPort());
        }

        @Test
        void unmatchedSegmentWithAckGetsRstAtItsAck()
        {
            final TcpSegment scratch = new TcpSegment();
            assertTrue(TcpSocket.emitResetForUnmatched(segment(FLAG_ACK, 77, 1234, 1000, "abc"), out, scratch));
            assertSegment(CapturingEmitter.parse(out.poll(), new TcpSegmentRepr()), FLAG_RST, 1234, 0, "");
        }

        @Test
        void unmatchedRstIsNeverAnswered()
        {
            assertFalse(TcpSocket.emitResetForUnmatched(segment(FLAG_RST, 77, 0, 0), out, new TcpSegment()));
            assertTrue(out.isEmpty());
        }
    }

    // ---------------------------------------------------------------------------------------- LISTEN

    @Nested
    class Listen
    {
        @BeforeEach
        void listen()
        {
            socket.listen(LOCAL_ADDR, LOCAL_PORT);
        }

        @Test
        void synGetsSynAckAndMovesToSynReceived()
        {
            final TcpSegmentRepr syn = segment(FLAG_SYN, REMOTE_ISS, 0, 4000);
            syn.options().mss(1200);
            assertEquals(TcpSocket.ACCEPTED, send(syn));
            assertEquals(TcpState.SYN_RECEIVED, socket.state());
            final TcpSegmentRepr synAck = recvOne();
            assertSegment(synAck, FLAG_SYN | FLAG_ACK, LOCAL_ISS, REMOTE_ISS + 1, "");
            assertEquals(1000, synAck.options().mss());
            assertEquals(-1, synAck.options().windowScale(), "no window scale unless offered and enabled");
            assertEquals(1000, socket.sendMss(), "min(own 1000, peer 1200)");
        }

        @Test
        void synWithoutMssOptionAssumes536()
        {
            send(segment(FLAG_SYN, REMOTE_ISS, 0, 4000));
            assertEquals(536, socket.sendMss());
        }

        @Test
        void ackGetsResetAtSegAck()
        {
            assertEquals(TcpSocket.DROPPED_STATE, send(segment(FLAG_ACK, 10, 4242, 1000)));
            assertSegment(recvOne(), FLAG_RST, 4242, 0, "");
            assertEquals(TcpState.LISTEN, socket.state());
        }

        @Test
        void rstIsIgnored()
        {
            assertEquals(TcpSocket.DROPPED_STATE, send(segment(FLAG_RST, 10, 0, 0)));
            recvNothing();
        }

        @Test
        void segmentToAnotherPortIsNotMine()
        {
            final TcpSegmentRepr syn = segment(FLAG_SYN, REMOTE_ISS, 0, 4000);
            syn.addresses(REMOTE_ADDR, REMOTE_PORT, LOCAL_ADDR, LOCAL_PORT + 1);
            assertEquals(TcpSocket.DROPPED_NOT_MINE, send(syn));
        }
    }

    // ---------------------------------------------------------------------------------------- SYN-SENT

    @Nested
    class SynSent
    {
        @BeforeEach
        void connect()
        {
            socket.connect(LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, now);
            assertEquals(TcpState.SYN_SENT, socket.state());
            final TcpSegmentRepr syn = recvOne();
            assertSegment(syn, FLAG_SYN, LOCAL_ISS, 0, "");
            assertEquals(1000, syn.options().mss());
        }

        @Test
        void synAckEstablishesAndIsAcknowledged()
        {
            now += 10 * MS;
            final TcpSegmentRepr synAck = segment(FLAG_SYN | FLAG_ACK, REMOTE_ISS, LOCAL_ISS + 1, 3000);
            synAck.options().mss(1400);
            assertEquals(TcpSocket.ACCEPTED, send(synAck));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, "");
            assertEquals(3000, socket.sndWnd());
            assertEquals(10 * MS, socket.rttEstimator().srttNs(), "the SYN was timed");
        }

        @Test
        void unacceptableAckGetsReset()
        {
            assertEquals(TcpSocket.DROPPED_BAD_ACK, send(segment(FLAG_SYN | FLAG_ACK, REMOTE_ISS, LOCAL_ISS + 5, 3000)));
            assertSegment(recvOne(), FLAG_RST, LOCAL_ISS + 5, 0, "");
            assertEquals(TcpState.SYN_SENT, socket.state());
        }

        @Test
        void rstWithAcceptableAckMeansRefused()
        {
            assertEquals(TcpSocket.RESET_RECEIVED, send(segment(FLAG_RST | FLAG_ACK, 0, LOCAL_ISS + 1, 0)));
            assertEquals(TcpState.CLOSED, socket.state());
            assertEquals(TcpSocket.ERROR_REFUSED, socket.error());
            recvNothing();
        }

        @Test
        void rstWithoutAckIsIgnored()
        {
            assertEquals(TcpSocket.DROPPED_STATE, send(segment(FLAG_RST, 0, 0, 0)));
            assertEquals(TcpState.SYN_SENT, socket.state());
        }

        @Test
        void simultaneousOpenGoesThroughSynReceived()
        {
            assertEquals(TcpSocket.ACCEPTED, send(segment(FLAG_SYN, REMOTE_ISS, 0, 3000)));
            assertEquals(TcpState.SYN_RECEIVED, socket.state());
            assertSegment(recvOne(), FLAG_SYN | FLAG_ACK, LOCAL_ISS, REMOTE_ISS + 1, "");
            // the peer's SYN,ACK (RFC 9293 figure 8 line 6)
            assertEquals(TcpSocket.ACCEPTED, send(segment(FLAG_SYN | FLAG_ACK, REMOTE_ISS, LOCAL_ISS + 1, 3000)));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, "");
        }

        @Test
        void synIsRetransmittedWithBackoffThenGivesUp()
        {
            assertEquals(1_000 * MS, socket.pollAt(), "initial RTO 1 s (RFC 6298 2.1)");
            now = 1_000 * MS;
            assertSegment(recvOne(), FLAG_SYN, LOCAL_ISS, 0, "");
            assertEquals(3_000 * MS, socket.pollAt(), "doubled to 2 s");
            long rto = 2_000 * MS;
            for (int i = 2; i <= 6; i++)
            {
                now = socket.pollAt();
                assertSegment(recvOne(), FLAG_SYN, LOCAL_ISS, 0, "");
                rto = Math.min(rto * 2, 60_000 * MS);
                assertEquals(now + rto, socket.pollAt(), "doubling, at most 60 s (RFC 6298 2.5)");
            }
            now = socket.pollAt();
            recvNothing();
            assertEquals(TcpState.CLOSED, socket.state());
            assertEquals(TcpSocket.ERROR_TIMED_OUT, socket.error());
        }
    }

    // ---------------------------------------------------------------------------------------- SYN-RECEIVED

    @Nested
    class SynReceived
    {
        @BeforeEach
        void synReceived()
        {
            socket.listen(LOCAL_ADDR, LOCAL_PORT);
            send(segment(FLAG_SYN, REMOTE_ISS, 0, 8192));
            recvOne();
        }

        @Test
        void ackOfSynEstablishes()
        {
            assertEquals(TcpSocket.ACCEPTED, send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 6000)));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            assertEquals(6000, socket.sndWnd());
            recvNothing();
        }

        @Test
        void ackWithDataEstablishesAndDeliversIt()
        {
            send(segment(FLAG_ACK | FLAG_PSH, REMOTE_ISS + 1, LOCAL_ISS + 1, 6000, "hello"));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            assertEquals("hello", read());
        }

        @Test
        void unacceptableAckGetsReset()
        {
            assertEquals(TcpSocket.DROPPED_BAD_ACK, send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 9, 6000)));
            assertSegment(recvOne(), FLAG_RST, LOCAL_ISS + 9, 0, "");
            assertEquals(TcpState.SYN_RECEIVED, socket.state());
        }

        @Test
        void rstReturnsPassiveOpenToListen()
        {
            assertEquals(TcpSocket.RESET_RECEIVED, send(segment(FLAG_RST, REMOTE_ISS + 1, 0, 0)));
            assertEquals(TcpState.LISTEN, socket.state());
        }

        @Test
        void synAckIsRetransmittedOnTimeout()
        {
            now = socket.pollAt();
            assertSegment(recvOne(), FLAG_SYN | FLAG_ACK, LOCAL_ISS, REMOTE_ISS + 1, "");
        }

        @Test
        void repeatedSynGetsSynAckAgain()
        {
            send(segment(FLAG_SYN, REMOTE_ISS, 0, 8192));
            assertSegment(recvOne(), FLAG_SYN | FLAG_ACK, LOCAL_ISS, REMOTE_ISS + 1, "");
        }
    }

    // ---------------------------------------------------------------------------------------- ESTABLISHED

    @Nested
    class Established
    {
        @BeforeEach
        void establish()
        {
            established();
        }

        @Test
        void inOrderSegmentIsDeliveredAndItsAckDelayed()
        {
            assertEquals(TcpSocket.ACCEPTED, send(segment(FLAG_ACK | FLAG_PSH, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, "abc")));
            assertEquals("abc", read());
            recvNothing();
            assertEquals(now + 40 * MS, socket.pollAt(), "delayed ACK timer 40 ms");
            now += 40 * MS;
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 4, "");
        }

        @Test
        void everySecondSegmentIsAcknowledgedAtOnce()
        {
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, repeat('a', 1000)));
            send(segment(FLAG_ACK, REMOTE_ISS + 1001, LOCAL_ISS + 1, 8192, repeat('b', 1000)));
            assertEquals(0, socket.pollAt());
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 2001, "");
        }

        @Test
        void outOfOrderSegmentIsAcknowledgedAtOnceAndHeldUntilTheGapFills()
        {
            send(segment(FLAG_ACK, REMOTE_ISS + 4, LOCAL_ISS + 1, 8192, "def"));
            assertEquals("", read());
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, "");
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, "abc"));
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 7, "");
            assertEquals("abcdef", read());
        }

        @Test
        void overlappingRetransmissionIsTrimmed()
        {
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, "abc"));
            send(segment(FLAG_ACK, REMOTE_ISS + 2, LOCAL_ISS + 1, 8192, "bcdef"));
            assertEquals("abcdef", read());
        }

        @Test
        void duplicateSegmentIsAcknowledgedAtOnce()
        {
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, "abc"));
            now += 50 * MS;
            recvOne();
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, "abc"));
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 4, "");
            assertEquals("abc", read());
        }

        @Test
        void segmentBeyondTheWindowIsUnacceptableAndAcknowledged()
        {
            assertEquals(TcpSocket.DROPPED_UNACCEPTABLE,
                send(segment(FLAG_ACK, REMOTE_ISS + 1 + 9000, LOCAL_ISS + 1, 8192, "zz")));
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, "");
        }

        @Test
        void rstInWindowButNotAtRcvNxtDrawsChallengeAck()
        {
            assertEquals(TcpSocket.DROPPED_RST_CHALLENGED, send(segment(FLAG_RST, REMOTE_ISS + 100, 0, 0)));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, "");
        }

        @Test
        void rstOutsideWindowIsDroppedSilently()
        {
            assertEquals(TcpSocket.DROPPED_UNACCEPTABLE, send(segment(FLAG_RST, REMOTE_ISS + 100_000, 0, 0)));
            recvNothing();
        }

        @Test
        void rstAtRcvNxtResets()
        {
            assertEquals(TcpSocket.RESET_RECEIVED, send(segment(FLAG_RST, REMOTE_ISS + 1, 0, 0)));
            assertEquals(TcpState.CLOSED, socket.state());
            assertEquals(TcpSocket.ERROR_RESET, socket.error());
            assertEquals(TcpSocket.NOT_CONNECTED, socket.read(readBuffer, 0, 1));
        }

        @Test
        void synDrawsChallengeAck()
        {
            assertEquals(TcpSocket.DROPPED_SYN_CHALLENGED, send(segment(FLAG_SYN, REMOTE_ISS + 10, 0, 8192)));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, "");
        }

        @Test
        void ackOfUnsentDataIsDroppedAndAnswered()
        {
            assertEquals(TcpSocket.DROPPED_BAD_ACK, send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 50, 8192, "x")));
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, "");
            assertEquals("", read(), "text of a segment with a bad ACK is not taken");
        }

        @Test
        void segmentWithoutAckIsDropped()
        {
            assertEquals(TcpSocket.DROPPED_STATE, send(segment(0, REMOTE_ISS + 1, 0, 8192, "x")));
            assertEquals("", read());
        }

        @Test
        void writtenDataIsSentAndFreedWhenAcknowledged()
        {
            assertEquals(5, write("hello"));
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, "hello");
            assertEquals(5, socket.unacknowledgedBytes());
            now += 20 * MS;
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 6, 8192));
            assertEquals(0, socket.unacknowledgedBytes());
            assertEquals(Long.MAX_VALUE, socket.pollAt(), "RFC 6298 5.2: timer off when all is acknowledged");
            assertEquals(7 * 100 * MS / 8 + 20 * MS / 8, socket.rttEstimator().srttNs(), "SRTT = 7/8 SRTT + 1/8 R'");
        }

        @Test
        void dataIsCutIntoMssSizedSegments()
        {
            write(repeat('x', 2500));
            final List<TcpSegmentRepr> segments = recv();
            assertEquals(List.of(1000, 1000), segments.stream().map(TcpSegmentRepr::payloadLength).toList(),
                "the 500-byte tail waits for the ACK (Nagle)");
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 2001, 8192));
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH, LOCAL_ISS + 2001, REMOTE_ISS + 1, repeat('x', 500));
        }

        @Test
        void nagleHoldsASmallSegmentWhileDataIsUnacknowledged()
        {
            write("a");
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, "a");
            write("b");
            recvNothing();
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 2, 8192));
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH, LOCAL_ISS + 2, REMOTE_ISS + 1, "b");
        }

        @Test
        void noDelaySendsSmallSegmentsAtOnce()
        {
            socket.noDelay(true);
            write("a");
            recvOne();
            write("b");
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH, LOCAL_ISS + 2, REMOTE_ISS + 1, "b");
        }

        @Test
        void sendIsLimitedByThePeerWindow()
        {
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 1500));
            write(repeat('x', 3000));
            final List<TcpSegmentRepr> segments = recv();
            assertEquals(1, segments.size(), "1000 fits, the remaining 500 of the window waits (SWS avoidance)");
        }

        @Test
        void retransmissionTimeoutResendsAndBacksOffAndKarnSkipsTheSample()
        {
            write("hello");
            recvOne();
            final long sentAt = now;
            assertEquals(sentAt + 300 * MS, socket.pollAt());
            now = socket.pollAt();
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, "hello");
            assertEquals(now + 600 * MS, socket.pollAt(), "RTO doubled (RFC 6298 5.5)");
            now += 100 * MS;
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 6, 8192));
            assertEquals(100 * MS, socket.rttEstimator().srttNs(), "Karn: no sample from a retransmitted segment");
            assertEquals(1, socket.retransmissionTimeouts());
        }

        @Test
        void givesUpAfterMaxRetransmissions()
        {
            write("hello");
            recvOne();
            for (int i = 0; i < 15; i++)
            {
                now = socket.pollAt();
                assertEquals(1, recv().size(), "retransmission " + i + " " + socket);
            }
            now = socket.pollAt();
            final TcpSegmentRepr rst = recvOne();
            assertEquals(FLAG_RST, rst.flags());
            assertEquals(TcpState.CLOSED, socket.state());
            assertEquals(TcpSocket.ERROR_TIMED_OUT, socket.error());
        }

        @Test
        void threeDuplicateAcksTriggerFastRetransmitAndPartialAckRetransmitsTheNext()
        {
            socket.noDelay(true);
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192));
            write(repeat('a', 1000) + repeat('b', 1000) + repeat('c', 1000) + repeat('d', 1000));
            assertEquals(4, recv().size(), "initial window 4 segments");
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1001, 8192));
            recv();
            for (int i = 0; i < 3; i++)
            {
                send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1001, 8192));
            }
            assertTrue(socket.congestion().inRecovery());
            final List<TcpSegmentRepr> sent = recv();
            assertSegment(sent.get(0), FLAG_ACK, LOCAL_ISS + 1001, REMOTE_ISS + 1, repeat('b', 1000));
            // partial ACK: 'b' arrived, 'c' is also lost
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 2001, 8192));
            assertTrue(socket.congestion().inRecovery());
            final List<TcpSegmentRepr> next = recv();
            assertSegment(next.get(0), FLAG_ACK, LOCAL_ISS + 2001, REMOTE_ISS + 1, repeat('c', 1000));
            // full ACK ends recovery
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 4001, 8192));
            assertFalse(socket.congestion().inRecovery());
            assertEquals(2, socket.fastRetransmits());
        }

        @Test
        void zeroWindowStartsPersistProbesWithBackoff()
        {
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 0));
            write("hello");
            recvNothing();
            final long firstProbe = socket.pollAt();
            assertEquals(now + 300 * MS, firstProbe, "first probe after one RTO");
            now = firstProbe;
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, "h");
            // the probe is not accepted: same ACK, window still zero
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 0));
            now = socket.pollAt();
            assertEquals(firstProbe + 600 * MS, now, "probe interval doubles");
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 1, "h");
            // window opens
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192));
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, "hello");
            assertEquals(TcpState.ESTABLISHED, socket.state());
        }

        @Test
        void fullReceiveBufferAdvertisesZeroWindowAndAcksProbesWithoutTakingThem()
        {
            for (int i = 0; i < 8; i++)
            {
                send(segment(FLAG_ACK, REMOTE_ISS + 1 + i * 1024, LOCAL_ISS + 1, 8192, repeat('q', 1024)));
            }
            final List<TcpSegmentRepr> acks = recv();
            assertEquals(0, acks.get(acks.size() - 1).window());
            assertEquals(0, socket.rcvWnd());
            send(segment(FLAG_ACK, REMOTE_ISS + 8193, LOCAL_ISS + 1, 8192, "p"));
            final TcpSegmentRepr ack = recvOne();
            assertEquals(REMOTE_ISS + 8193, ack.ack(), "probe acknowledged, not taken");
            assertEquals(0, ack.window());
            assertEquals(8192, socket.readableBytes());
            socket.read(readBuffer, 0, 8192);
            final TcpSegmentRepr update = recvOne();
            assertEquals(8192, update.window(), "window update after the application read");
        }

        @Test
        void windowRightEdgeNeverMovesLeft()
        {
            int lastRightEdge = REMOTE_ISS + 1 + 8192;
            for (int i = 0; i < 8; i++)
            {
                send(segment(FLAG_ACK, REMOTE_ISS + 1 + i * 1000, LOCAL_ISS + 1, 8192, repeat('w', 1000)));
                for (final TcpSegmentRepr ack : recv())
                {
                    final int rightEdge = ack.ack() + ack.window();
                    assertTrue(rightEdge - lastRightEdge >= 0, "edge " + rightEdge + " < " + lastRightEdge);
                    lastRightEdge = rightEdge;
                }
                if (i % 3 == 2)
                {
                    socket.read(readBuffer, 0, 10);
                }
            }
        }

        @Test
        void assemblerRangeLimitDropsFurtherHoles()
        {
            // config holds 8 ranges: the 9th disjoint range is dropped
            for (int i = 0; i < 9; i++)
            {
                send(segment(FLAG_ACK, REMOTE_ISS + 1 + 2 + i * 4, LOCAL_ISS + 1, 8192, "xx"));
            }
            assertEquals(8, socket.assembler().rangeCount());
            assertEquals(1, socket.droppedOutOfOrder());
        }

        @Test
        void finMovesToCloseWaitAndReadsEndOfStream()
        {
            send(segment(FLAG_ACK | FLAG_FIN, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, "bye"));
            assertEquals(TcpState.CLOSE_WAIT, socket.state());
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 1, REMOTE_ISS + 5, "");
            assertEquals("bye", read());
            assertEquals(TcpSocket.END_OF_STREAM, socket.read(readBuffer, 0, 1));
        }

        @Test
        void finBeyondAHoleWaitsForTheHole()
        {
            send(segment(FLAG_ACK | FLAG_FIN, REMOTE_ISS + 4, LOCAL_ISS + 1, 8192, "def"));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, "abc"));
            assertEquals(TcpState.CLOSE_WAIT, socket.state());
            assertEquals(REMOTE_ISS + 8, socket.rcvNxt());
        }

        @Test
        void closeSendsFinAndMovesToFinWait1()
        {
            write("last");
            socket.close();
            assertEquals(TcpState.FIN_WAIT_1, socket.state());
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH | FLAG_FIN, LOCAL_ISS + 1, REMOTE_ISS + 1, "last");
            assertEquals(TcpSocket.NOT_CONNECTED, write("more"));
        }

        @Test
        void abortSendsRstAndCloses()
        {
            socket.abort();
            assertEquals(TcpState.CLOSED, socket.state());
            assertSegment(recvOne(), FLAG_RST, LOCAL_ISS + 1, 0, "");
        }

        @Test
        void copyHasTheSameDigestAndProducesTheSameSegments()
        {
            write("hello");
            send(segment(FLAG_ACK, REMOTE_ISS + 4, LOCAL_ISS + 1, 8192, "def"));
            final TcpSocket copy = new TcpSocket(config());
            copy.copyFrom(socket);
            assertEquals(socket.digest(), copy.digest());
            final CapturingEmitter copyOut = new CapturingEmitter();
            socket.dispatch(out, now);
            copy.dispatch(copyOut, now);
            assertEquals(out.size(), copyOut.size());
            while (!out.isEmpty())
            {
                assertEquals(java.util.Arrays.toString(out.poll().bytes), java.util.Arrays.toString(copyOut.poll().bytes));
            }
            assertEquals(socket.digest(), copy.digest());
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 6, 8192, "abc"));
            assertNotEquals(socket.digest(), copy.digest(), "digest follows the state");
        }

        @Test
        void emitterWithoutRoomKeepsTheSegmentForLater()
        {
            write("hello");
            out.room(0);
            assertEquals(0, socket.dispatch(out, now));
            out.room(Integer.MAX_VALUE);
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH, LOCAL_ISS + 1, REMOTE_ISS + 1, "hello");
        }
    }

    // ---------------------------------------------------------------------------------------- closing states

    /**
     * Local close first: ESTABLISHED -> FIN-WAIT-1, our FIN at 1001.
     */
    void finWait1()
    {
        established();
        socket.close();
        assertSegment(recvOne(), FLAG_ACK | FLAG_FIN, LOCAL_ISS + 1, REMOTE_ISS + 1, "");
        assertEquals(TcpState.FIN_WAIT_1, socket.state());
    }

    @Nested
    class FinWait1
    {
        @BeforeEach
        void setUp()
        {
            finWait1();
        }

        @Test
        void ackOfFinMovesToFinWait2()
        {
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 2, 8192));
            assertEquals(TcpState.FIN_WAIT_2, socket.state());
        }

        @Test
        void finWithoutAckOfOursMovesToClosing()
        {
            send(segment(FLAG_ACK | FLAG_FIN, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192));
            assertEquals(TcpState.CLOSING, socket.state());
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, "");
        }

        @Test
        void finWithAckOfOursMovesToTimeWait()
        {
            send(segment(FLAG_ACK | FLAG_FIN, REMOTE_ISS + 1, LOCAL_ISS + 2, 8192));
            assertEquals(TcpState.TIME_WAIT, socket.state());
        }

        @Test
        void dataIsStillReceived()
        {
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, "late"));
            assertEquals("late", read());
        }

        @Test
        void finIsRetransmitted()
        {
            now = socket.pollAt();
            assertSegment(recvOne(), FLAG_ACK | FLAG_FIN, LOCAL_ISS + 1, REMOTE_ISS + 1, "");
        }
    }

    @Nested
    class FinWait2
    {
        @BeforeEach
        void setUp()
        {
            finWait1();
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 2, 8192));
            assertEquals(TcpState.FIN_WAIT_2, socket.state());
        }

        @Test
        void dataThenFinMovesToTimeWait()
        {
            send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 2, 8192, "tail"));
            send(segment(FLAG_ACK | FLAG_FIN, REMOTE_ISS + 5, LOCAL_ISS + 2, 8192));
            assertEquals(TcpState.TIME_WAIT, socket.state());
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 2, REMOTE_ISS + 6, "");
            assertEquals("tail", read());
            assertEquals(TcpSocket.END_OF_STREAM, socket.read(readBuffer, 0, 1));
        }
    }

    @Nested
    class Closing
    {
        @Test
        void ackOfFinMovesToTimeWait()
        {
            finWait1();
            send(segment(FLAG_ACK | FLAG_FIN, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192));
            assertEquals(TcpState.CLOSING, socket.state());
            send(segment(FLAG_ACK, REMOTE_ISS + 2, LOCAL_ISS + 2, 8192));
            assertEquals(TcpState.TIME_WAIT, socket.state());
        }
    }

    @Nested
    class TimeWait
    {
        @BeforeEach
        void setUp()
        {
            finWait1();
            now = 10_000 * MS;
            send(segment(FLAG_ACK | FLAG_FIN, REMOTE_ISS + 1, LOCAL_ISS + 2, 8192));
            recvOne();
            assertEquals(TcpState.TIME_WAIT, socket.state());
        }

        @Test
        void lastsTwiceTheMaximumSegmentLifetime()
        {
            assertEquals(10_000 * MS + 60_000 * MS, socket.pollAt(), "2 * MSL of 30 s");
            now = 10_000 * MS + 60_000 * MS - 1;
            recvNothing();
            assertEquals(TcpState.TIME_WAIT, socket.state());
            now++;
            recvNothing();
            assertEquals(TcpState.CLOSED, socket.state());
        }

        @Test
        void retransmittedFinIsAcknowledgedAndRestartsTheTimer()
        {
            now = 11_000 * MS;
            send(segment(FLAG_ACK | FLAG_FIN, REMOTE_ISS + 1, LOCAL_ISS + 2, 8192));
            assertSegment(recvOne(), FLAG_ACK, LOCAL_ISS + 2, REMOTE_ISS + 2, "");
            assertEquals(11_000 * MS + 60_000 * MS, socket.pollAt());
        }
    }

    @Nested
    class CloseWait
    {
        @BeforeEach
        void setUp()
        {
            established();
            send(segment(FLAG_ACK | FLAG_FIN, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192));
            recvOne();
            assertEquals(TcpState.CLOSE_WAIT, socket.state());
        }

        @Test
        void canStillSend()
        {
            assertEquals(4, write("more"));
            assertSegment(recvOne(), FLAG_ACK | FLAG_PSH, LOCAL_ISS + 1, REMOTE_ISS + 2, "more");
        }

        @Test
        void closeSendsFinAndLastAckEndsIt()
        {
            socket.close();
            assertEquals(TcpState.LAST_ACK, socket.state());
            assertSegment(recvOne(), FLAG_ACK | FLAG_FIN, LOCAL_ISS + 1, REMOTE_ISS + 2, "");
            send(segment(FLAG_ACK, REMOTE_ISS + 2, LOCAL_ISS + 2, 8192));
            assertEquals(TcpState.CLOSED, socket.state());
            assertEquals(TcpSocket.ERROR_NONE, socket.error());
        }
    }

    // ---------------------------------------------------------------------------------------- wrap-around

    @Nested
    class SequenceWrap
    {
        @Test
        void transferAcrossTheTopOfSequenceSpace()
        {
            localIss = 0xFFFF_FFF0;
            socket.listen(LOCAL_ADDR, LOCAL_PORT);
            send(segment(FLAG_SYN, 0xFFFF_FFFA, 0, 8192));
            recvOne();
            send(segment(FLAG_ACK, 0xFFFF_FFFB, 0xFFFF_FFF1, 8192));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            send(segment(FLAG_ACK, 0xFFFF_FFFB, 0xFFFF_FFF1, 8192, "0123456789"));
            assertEquals("0123456789", read());
            write(repeat('z', 40));
            final TcpSegmentRepr data = recvOne();
            assertEquals(0xFFFF_FFF1, data.seq());
            assertEquals(5, data.ack());
            send(segment(FLAG_ACK, 5, 0xFFFF_FFF1 + 40, 8192));
            assertEquals(0, socket.unacknowledgedBytes());
        }
    }
}
