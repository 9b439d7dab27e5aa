package io.dominoes.bench.harness;

import io.dominoes.channels.MessageHandler;
import org.agrona.DirectBuffer;

/**
 * One subscriber's check of what it receives: type, length, sequence and payload of every message.
 * The first wrong message throws {@link BenchmarkFailure} (the run fails; it never reports a number
 * for wrong answers). Used by one thread, the subscriber's.
 */
public final class MessageChecker implements MessageHandler
{
    private final int subscriberIndex;
    private final int expectedLength;
    private long nextSequence;

    /**
     * @param subscriberIndex for error messages.
     * @param expectedLength  of every message.
     */
    public MessageChecker(final int subscriberIndex, final int expectedLength)
    {
        this.subscriberIndex = subscriberIndex;
        this.expectedLength = expectedLength;
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
