package io.dominoes.bench.harness;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of every benchmark message, so each harness can check order and payload of what it got
 * (Disruptor's {@code failIfNot} idea: a wrong answer fails the run instead of producing a number).
 *
 * <pre>
 *   word 0            sequence number (0, 1, 2, ... in publication order)
 *   word 1 .. k-2     filler, a function of (sequence, word index)
 *   word k-1          checksum: a fold of words 0 .. k-2
 * </pre>
 *
 * A message is {@code k = length / 8} little-endian 64-bit words, so {@code length} is a multiple
 * of 8 and at least {@link #MIN_LENGTH}. Every word is written and every word is checked: a torn
 * read (a slot seen before its writer finished), a reordered or lost message, or a stale slot all
 * produce a mismatch.
 */
public final class BenchMessage
{
    /**
     * Message type id every harness publishes with and checks.
     */
    public static final int MSG_TYPE_ID = 7;

    /**
     * Sequence word + checksum word.
     */
    public static final int MIN_LENGTH = 16;

    /**
     * Largest message the command line accepts (channels may have smaller limits).
     */
    public static final int MAX_LENGTH = 4096;

    /**
     * Returned by {@link #verify} for a good message.
     */
    public static final int OK = 0;
    /**
     * Wrong length.
     */
    public static final int BAD_LENGTH = 1;
    /**
     * Sequence word not the expected one: lost, duplicated or reordered message.
     */
    public static final int BAD_SEQUENCE = 2;
    /**
     * A filler word differs from what the publisher wrote.
     */
    public static final int BAD_PAYLOAD = 3;
    /**
     * The checksum word does not match the other words.
     */
    public static final int BAD_CHECKSUM = 4;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private BenchMessage()
    {
    }

    /**
     * @param length requested message length.
     * @return the length, if valid.
     * @throws IllegalArgumentException naming the value and the limits.
     */
    public static int checkLength(final int length)
    {
        if (length < MIN_LENGTH || length > MAX_LENGTH || (length & 7) != 0)
        {
            throw new IllegalArgumentException("message length " + length + " must be a multiple of 8 in [" +
                MIN_LENGTH + ", " + MAX_LENGTH + "]");
        }
        return length;
    }

    /**
     * Write message {@code sequence} of {@code length} bytes.
     *
     * @param buffer   to write into.
     * @param offset   of the message.
     * @param length   of the message (checked by the caller with {@link #checkLength}).
     * @param sequence of the message.
     */
    public static void encode(final MutableDirectBuffer buffer, final int offset, final int length, final long sequence)
    {
        buffer.putLong(offset, sequence);
        long sum = mix(0, sequence);
        final int last = length - 8;
        for (int i = 8; i < last; i += 8)
        {
            final long word = filler(sequence, i);
            buffer.putLong(offset + i, word);
            sum = mix(sum, word);
        }
        buffer.putLong(offset + last, sum);
    }

    /**
     * Check a received message against the one the publisher wrote as {@code expectedSequence}.
     *
     * @param buffer           holding the message.
     * @param offset           of the message.
     * @param length           received.
     * @param expectedLength   published.
     * @param expectedSequence the next sequence this subscriber must see.
     * @return {@link #OK} or one of the {@code BAD_*} codes.
     */
    public static int verify(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int expectedLength,
        final long expectedSequence)
    {
        if (length != expectedLength)
        {
            return BAD_LENGTH;
        }
        final long sequence = buffer.getLong(offset);
        if (sequence != expectedSequence)
        {
            return BAD_SEQUENCE;
        }
        long sum = mix(0, sequence);
        final int last = length - 8;
        for (int i = 8; i < last; i += 8)
        {
            final long word = buffer.getLong(offset + i);
            if (word != filler(sequence, i))
            {
                return BAD_PAYLOAD;
            }
            sum = mix(sum, word);
        }
        return buffer.getLong(offset + last) == sum ? OK : BAD_CHECKSUM;
    }

    /**
     * @param code from {@link #verify}.
     * @return its name.
     */
    public static String describe(final int code)
    {
        switch (code)
        {
            case OK: return "OK";
            case BAD_LENGTH: return "BAD_LENGTH";
            case BAD_SEQUENCE: return "BAD_SEQUENCE";
            case BAD_PAYLOAD: return "BAD_PAYLOAD";
            case BAD_CHECKSUM: return "BAD_CHECKSUM";
            default: return "UNKNOWN(" + code + ")";
        }
    }

    private static long filler(final long sequence, final int byteIndex)
    {
        return (sequence + byteIndex) * GOLDEN;
    }

    private static long mix(final long sum, final long word)
    {
        return Long.rotateLeft(sum, 7) ^ word;
    }
}
