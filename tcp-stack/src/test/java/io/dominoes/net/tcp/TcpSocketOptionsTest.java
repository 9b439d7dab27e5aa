package io.dominoes.net.tcp;

import io.dominoes.net.wire.TcpOptionValues;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.dominoes.net.wire.TcpSegment.FLAG_ACK;
import static io.dominoes.net.wire.TcpSegment.FLAG_RST;
import static io.dominoes.net.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The options of RFC 7323 (window scale, timestamps and PAWS) and RFC 2018 (SACK) on one socket, and what a SYN
 * that carries data does. Time is driven by hand.
 */
class TcpSocketOptionsTest extends TcpSocketHarness
{
    /**
     * 256 KiB receive buffer: our shift is the smallest that fits it in 16 bits, 3 (262144 >> 3 = 32768).
     */
    static final int RECEIVE_BUFFER = 1 << 18;
    static final int LOCAL_SHIFT = 3;
    static final int REMOTE_SHIFT = 7;
    static final int REMOTE_TS = 100;

    @Override
    TcpConfig config()
    {
        return new TcpConfig().mss(1000).receiveBufferCapacity(RECEIVE_BUFFER).sendBufferCapacity(1 << 16)
            .windowScaling(true).timestamps(true).sack(true).maxAssemblerRanges(8)
            .isnGenerator((la, lp, ra, rp, t) -> localIss);
    }

    TcpSegmentRepr withTs(final TcpSegmentRepr segment, final int tsVal)
    {
        segment.options().timestamps(tsVal, 0);
        return segment;
    }

    /**
     * Passive open with all three options; the SYN advertises 8192 bytes, which RFC 7323 2.2 says is not scaled.
     */
    TcpSegmentRepr handshake()
    {
        socket.listen(LOCAL_ADDR, LOCAL_PORT);
        final TcpSegmentRepr syn = segment(FLAG_SYN, REMOTE_ISS, 0, 8192);
        syn.options().mss(1000).windowScale(REMOTE_SHIFT).sackPermitted(true).timestamps(REMOTE_TS, 0);
        assertEquals(TcpSocket.ACCEPTED, send(syn));
        final TcpSegmentRepr synAck = recvOne();
        assertEquals(TcpState.SYN_RECEIVED, socket.state());
        assertEquals(8192, socket.sndWnd(), "RFC 7323 2.2: the window of a SYN is never scaled");
        return synAck;
    }

    void establish()
    {
        handshake();
        now += 10 * MS;
        assertEquals(TcpSocket.ACCEPTED, send(withTs(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 100), REMOTE_TS)));
        assertEquals(TcpState.ESTABLISHED, socket.state());
    }

    // ---------------------------------------------------------------------------------------- window scale

    @Nested
    class WindowScale
    {
        @Test
        void synAckOffersOurShiftAndAnUnscaledWindow()
        {
            final TcpSegmentRepr synAck = handshake();
            final TcpOptionValues options = synAck.options();
            assertEquals(LOCAL_SHIFT, options.windowScale());
            assertTrue(options.sackPermitted());
            assertTrue(options.hasTimestamps());
            assertEquals(REMOTE_TS, options.tsEcr());
            // RFC 7323 2.2: "The window field in a segment where the SYN bit is set MUST NOT be scaled"
            assertEquals(0xFFFF, synAck.window());
            assertEquals(LOCAL_SHIFT, socket.rcvWndShift());
            assertEquals(REMOTE_SHIFT, socket.sndWndShift());
        }

        @Test
        void peerWindowIsShiftedByItsScale()
        {
            establish();
            // RFC 7323 2.3: "SND.WND = SEG.WND << Snd.Wind.Shift"
            assertEquals(100 << REMOTE_SHIFT, socket.sndWnd());
            now += MS;
            send(withTs(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 3), REMOTE_TS + 1));
            assertEquals(3 << REMOTE_SHIFT, socket.sndWnd());
        }

        @Test
        void sendingIsLimitedByTheScaledWindow()
        {
            establish();
            now += MS;
            // a window field of 10 is 10 << 7 = 1280 bytes: room for one full segment, and what is left
            // over are held back by sender SWS avoidance (RFC 9293 3.8.6.2.1), as is a second full segment
            send(withTs(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 10), REMOTE_TS + 1));
            assertEquals(1280, socket.sndWnd());
            assertEquals(3000, write(repeat('x', 3000)));
            final List<TcpSegmentRepr> sent = recv();
            assertEquals(1, sent.size(), "segments " + sent);
            // RFC 6691: the 12 bytes of the timestamps option come out of the MSS
            assertEquals(1000 - 12, sent.get(0).payloadLength());
        }

        @Test
        void ourWindowIsAdvertisedShiftedAndRoundedUp()
        {
            establish();
            now += MS;
            send(withTs(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 100, repeat('a', 1000)), REMOTE_TS + 1));
            send(withTs(segment(FLAG_ACK, REMOTE_ISS + 1001, LOCAL_ISS + 1, 100, repeat('b', 1001)), REMOTE_TS + 2));
            final TcpSegmentRepr ack = recvOne();
            assertEquals(REMOTE_ISS + 2002, ack.ack());
            final int free = RECEIVE_BUFFER - 2001;
            // RFC 7323 2.3: "the window field ... is right-shifted by Rcv.Wind.Shift bits"; rounded up so the right
            // edge never moves left (free is not a multiple of 8 here)
            assertEquals((free + 7) >>> LOCAL_SHIFT, ack.window());
            assertTrue(ack.window() << LOCAL_SHIFT >= free);
            assertTrue((ack.window() << LOCAL_SHIFT) - free < 1 << LOCAL_SHIFT);
        }
    }

    // ---------------------------------------------------------------------------------------- PAWS

    @Nested
    class Paws
    {
        @BeforeEach
        void setUp()
        {
            establish();
            now += MS;
            assertEquals(TcpSocket.ACCEPTED,
                send(withTs(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 100, "abc"), 200)));
            assertEquals("abc", read());
            recv();
        }

        @Test
        void olderTimestampIsRejectedAndAnsweredWithAnAck()
        {
            // RFC 7323 5.3 R1: "SEG.TSval < TS.Recent ... treat the arriving segment as not acceptable: Send an
            // acknowledgment in reply as specified in Section 3.10.7.4 of RFC 9293 and drop the segment."
            assertEquals(TcpSocket.DROPPED_PAWS,
                send(withTs(segment(FLAG_ACK, REMOTE_ISS + 4, LOCAL_ISS + 1, 100, "def"), 199)));
            assertEquals("", read());
            final TcpSegmentRepr ack = recvOne();
            assertEquals(FLAG_ACK, ack.flags());
            assertEquals(REMOTE_ISS + 4, ack.ack());
            assertEquals(200, ack.options().tsEcr(), "TS.Recent is unchanged by the rejected segment");
        }

        @Test
        void olderTimestampAcrossTheWrapIsRejectedAndNewerAcrossTheWrapAccepted()
        {
            // timestamps compare in 2^32 sequence space (RFC 7323 5.2): 200 - 2^31 + 1 wraps to a value "older"
            final int older = 200 + Integer.MIN_VALUE + 1;
            assertEquals(TcpSocket.DROPPED_PAWS,
                send(withTs(segment(FLAG_ACK, REMOTE_ISS + 4, LOCAL_ISS + 1, 100, "def"), older)));
            recv();
            final int newer = 200 + Integer.MAX_VALUE;
            assertEquals(TcpSocket.ACCEPTED,
                send(withTs(segment(FLAG_ACK, REMOTE_ISS + 4, LOCAL_ISS + 1, 100, "def"), newer)));
            assertEquals("def", read());
        }

        @Test
        void equalTimestampIsAccepted()
        {
            // a burst of segments within one tick of the peer's clock carries the same TSval
            assertEquals(TcpSocket.ACCEPTED,
                send(withTs(segment(FLAG_ACK, REMOTE_ISS + 4, LOCAL_ISS + 1, 100, "def"), 200)));
            assertEquals("def", read());
        }

        @Test
        void resetIsNotSubjectToPaws()
        {
            // R1: "... and if the RST bit is not set"
            assertEquals(TcpSocket.RESET_RECEIVED,
                send(withTs(segment(FLAG_RST, REMOTE_ISS + 4, 0, 0), 1)));
            assertEquals(TcpState.CLOSED, socket.state());
        }

        @Test
        void tsRecentIdleForMoreThan24DaysIsInvalid()
        {
            // R5: "If an [idle] connection remains idle for more than 24 days ... TS.Recent is invalid", so the
            // old timestamp is no ground for rejection.
            now += 25L * 24 * 3600 * 1000 * MS;
            assertEquals(TcpSocket.ACCEPTED,
                send(withTs(segment(FLAG_ACK, REMOTE_ISS + 4, LOCAL_ISS + 1, 100, "def"), 150)));
            assertEquals("def", read());
        }
    }

    // ---------------------------------------------------------------------------------------- SACK

    @Nested
    class Sack
    {
        @BeforeEach
        void setUp()
        {
            establish();
            assertTrue(socket.sackEnabled());
        }

        int ts = REMOTE_TS;

        TcpSegmentRepr outOfOrder(final int offset, final int length)
        {
            now += MS;
            send(withTs(segment(FLAG_ACK, REMOTE_ISS + 1 + offset, LOCAL_ISS + 1, 100, repeat('z', length)), ++ts));
            final TcpSegmentRepr ack = recvOne();
            assertEquals(REMOTE_ISS + 1, ack.ack(), "duplicate ACK for the hole at 0");
            return ack;
        }

        void assertBlocks(final TcpSegmentRepr ack, final int... offsets)
        {
            final TcpOptionValues options = ack.options();
            final StringBuilder got = new StringBuilder();
            for (int i = 0; i < options.sackBlockCount(); i++)
            {
                got.append(' ').append(options.sackLeft(i) - REMOTE_ISS - 1).append('-')
                    .append(options.sackRight(i) - REMOTE_ISS - 1);
            }
            final StringBuilder want = new StringBuilder();
            for (int i = 0; i < offsets.length; i += 2)
            {
                want.append(' ').append(offsets[i]).append('-').append(offsets[i + 1]);
            }
            assertEquals(want.toString(), got.toString(), "SACK blocks (offsets from RCV.NXT)");
        }

        @Test
        void firstBlockHoldsTheLatestSegmentThenTheMostRecentlyReported()
        {
            // RFC 2018 4: "The first SACK block ... MUST specify the contiguous block of data containing the segment
            // which triggered this ACK" and the rest "SHOULD be filled out by repeating the most recently reported
            // SACK blocks"; with timestamps there is room for 3 blocks.
            assertBlocks(outOfOrder(7000, 1000), 7000, 8000);
            assertBlocks(outOfOrder(5000, 1000), 5000, 6000, 7000, 8000);
            assertBlocks(outOfOrder(1000, 1000), 1000, 2000, 5000, 6000, 7000, 8000);
            assertBlocks(outOfOrder(3000, 1000), 3000, 4000, 1000, 2000, 5000, 6000);
            // a segment that extends a reported block moves that block to the front
            assertBlocks(outOfOrder(6000, 1000), 5000, 8000, 3000, 4000, 1000, 2000);
        }

        @Test
        void blocksBelowTheNewAckAreNoLongerReported()
        {
            outOfOrder(1000, 1000);
            outOfOrder(3000, 1000);
            now += MS;
            // fill 0..1000: the ACK moves to 2000 and only the block at 3000 remains
            send(withTs(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 100, repeat('a', 1000)), ++ts));
            final TcpSegmentRepr ack = recvOne();
            assertEquals(REMOTE_ISS + 2001, ack.ack());
            assertEquals(1, ack.options().sackBlockCount());
            assertEquals(REMOTE_ISS + 3001, ack.options().sackLeft(0));
        }
    }

    // ---------------------------------------------------------------------------------------- SYN with data

    @Nested
    class SynWithData
    {
        @Test
        void dataOnASynIsNotKeptAndIsTakenWhenTheClientSendsItAgain()
        {
            // TcpSocket#processListen: "Data carried by the SYN is not kept (the peer sends it again once it sees it
            // unacknowledged)."
            socket.listen(LOCAL_ADDR, LOCAL_PORT);
            final TcpSegmentRepr syn = segment(FLAG_SYN, REMOTE_ISS, 0, 8192, "early");
            syn.options().mss(1000);
            assertEquals(TcpSocket.ACCEPTED, send(syn));
            final TcpSegmentRepr synAck = recvOne();
            assertEquals(FLAG_SYN | FLAG_ACK, synAck.flags());
            assertEquals(REMOTE_ISS + 1, synAck.ack(), "only the SYN is acknowledged");
            assertEquals("", read());
            assertEquals(TcpSocket.ACCEPTED, send(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 8192, "early")));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            assertEquals("early", read());
        }

        @Test
        void dataOnASynAckIsNotKeptAndIsTakenWhenTheServerSendsItAgain()
        {
            socket.connect(LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT, now);
            final TcpSegmentRepr ourSyn = recvOne();
            assertTrue(ourSyn.hasFlag(FLAG_SYN));
            final TcpSegmentRepr synAck = segment(FLAG_SYN | FLAG_ACK, REMOTE_ISS, LOCAL_ISS + 1, 8192, "hello");
            synAck.options().mss(1000).windowScale(REMOTE_SHIFT).sackPermitted(true).timestamps(REMOTE_TS, 1);
            assertEquals(TcpSocket.ACCEPTED, send(synAck));
            assertEquals(TcpState.ESTABLISHED, socket.state());
            final TcpSegmentRepr ack = recvOne();
            assertEquals(REMOTE_ISS + 1, ack.ack(), "only the SYN is acknowledged");
            assertEquals("", read());
            assertFalse(socket.assembler().rangeCount() > 0);
            assertEquals(TcpSocket.ACCEPTED,
                send(withTs(segment(FLAG_ACK, REMOTE_ISS + 1, LOCAL_ISS + 1, 100, "hello"), REMOTE_TS + 1)));
            assertEquals("hello", read());
        }
    }
}
