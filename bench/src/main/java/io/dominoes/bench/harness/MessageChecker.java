package io.dominoes.bench.harness;

import io.dominoes.channels.MessageHandler;
import org.agrona.DirectBuffer;

/**
 * Two cache lines in front of the checker's counter, which its subscriber thread writes per message.
 */
abstract class MessageCheckerLhsPad
{
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}

/**
 * The checker's fields.
 */
abstract class MessageCheckerFields extends MessageCheckerLhsPad
{
    final int subscriberIndex;
    final int expectedLength;
    long nextSequence;

    MessageCheckerFields(final int subscriberIndex, final int expectedLength)
    {
        this.subscriberIndex = subscriberIndex;
        this.expectedLength = expectedLength;
    }
}

/**
 * One subscriber's check of what it receives: type, length, sequence and payload of every message.
 * The first wrong message throws {@link BenchmarkFailure} (the run fails; it never reports a number
 * for wrong answers). Used by one thread, the subscriber's.
 *
 * <p>Padded on both sides: the Disruptor harness builds all its checkers on one thread, next to each
 * other, and each subscriber writes its own {@code nextSequence} per message; without the padding
 * two subscribers' checkers would share a cache line (the channel harness builds each checker on
 * its subscriber's thread, so both harnesses now pay the same, nothing).
 */
public final class MessageChecker extends MessageCheckerFields implements MessageHandler
{
    long p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32;

    /**
     * @param subscriberIndex for error messages.
     * @param expectedLength  of every message.
     */
    public MessageChecker(final int subscriberIndex, final int expectedLength)
    {
        super(subscriberIndex, expectedLength);
    }

    @Override
    public void onMessage(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
    {
        check(msgTypeId, buffer, offset, length);
    }

    /**
     * Check one message and count it.
     *
     * @param msgTypeId received.
     * @param buffer    holding the payload.
     * @param offset    of the payload.
     * @param length    of the payload.
     * @throws BenchmarkFailure on the first wrong message.
     */
    public void check(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (msgTypeId != BenchMessage.MSG_TYPE_ID)
        {
            throw new BenchmarkFailure("subscriber " + subscriberIndex + " at sequence " + nextSequence +
                ": message type " + msgTypeId + ", expected " + BenchMessage.MSG_TYPE_ID);
        }
        final int code = BenchMessage.verify(buffer, offset, length, expectedLength, nextSequence);
        if (code != BenchMessage.OK)
        {
            final long got = length >= 8 ? buffer.getLong(offset) : -1;
            throw new BenchmarkFailure("subscriber " + subscriberIndex + " expected sequence " + nextSequence +
                " length " + expectedLength + ", got sequence " + got + " length " + length + ": " +
                BenchMessage.describe(code));
        }
        nextSequence++;
    }

    /**
     * @return messages received and checked so far (owner thread only).
     */
    public long received()
    {
        return nextSequence;
    }
}
