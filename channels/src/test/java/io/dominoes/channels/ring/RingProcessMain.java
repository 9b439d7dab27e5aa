package io.dominoes.channels.ring;

import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Child process of {@link BroadcastRingCrossProcessTest}: attaches to a mapped ring another JVM
 * created and either subscribes (printing a checksum of what it received) or publishes.
 *
 * <pre>
 *   RingProcessMain subscribe &lt;file&gt; &lt;subscriberIndex&gt; &lt;messages&gt;
 *   RingProcessMain publish   &lt;file&gt; &lt;publisherId&gt;     &lt;messages&gt;
 * </pre>
 *
 * Exit status 0 on success, 2 on a timeout, 3 on a bad message; the last line is the result.
 */
public final class RingProcessMain
{
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private RingProcessMain()
    {
    }

    /**
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        final String mode = args[0];
        final Path file = Path.of(args[1]);
        final int id = Integer.parseInt(args[2]);
        final long messages = Long.parseLong(args[3]);
        try (BroadcastRing ring = BroadcastRing.attach(file))
        {
            if ("subscribe".equals(mode))
            {
                final MessageChecksum checksum = new MessageChecksum();
                final Subscriber subscriber = ring.subscriber(id);
                final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
                final long deadline = System.nanoTime() + TIMEOUT_NS;
                while (checksum.count < messages)
                {
                    if (System.nanoTime() > deadline)
                    {
                        System.out.println("TIMEOUT after " + checksum.count + " messages");
                        System.exit(2);
                    }
                    idle.idle(subscriber.poll(checksum, 256));
                }
                System.out.println("RESULT count=" + checksum.count + " checksum=" + checksum.value());
            }
            else
            {
                final long published = publish(ring.publisher(), id, messages, ring.maxMessageLength());
                System.out.println("RESULT published=" + published);
                if (published != messages)
                {
                    System.exit(2);
                }
            }
        }
        catch (final IllegalStateException ex)
        {
            System.out.println("BAD " + ex);
            System.exit(3);
        }
    }

    /**
     * Publish messages {@code 0..messages-1} of publisher {@code id}, waiting out back-pressure.
     *
     * @return how many were published before the timeout.
     */
    static long publish(final Publisher publisher, final int id, final long messages, final int maxLength)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[maxLength]);
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        long seq = 0;
        while (seq < messages && System.nanoTime() < deadline)
        {
            final int length = lengthOf(id, seq, maxLength);
            fill(payload, id, seq, length);
            final long result = publisher.offer(id, payload, 0, length);
            if (result > 0)
            {
                seq++;
                idle.reset();
            }
            else if (ChannelResult.isRetryable(result))
            {
                idle.idle();
            }
            else
            {
                throw new IllegalStateException("publisher " + id + " got " + ChannelResult.describe(result));
            }
        }
        return seq;
    }

    /**
     * Payload length of message seq of publisher id: at least 12 bytes (id and seq), up to max.
     */
    static int lengthOf(final int id, final long seq, final int maxLength)
    {
        final int span = Math.min(maxLength, 300) - 12;
        return 12 + (int)(((seq + 1) * 0x9E3779B97F4A7C15L + id) >>> 35) % (span + 1);
    }

    /**
     * Payload: publisher id (int), seq (long), then bytes derived from both.
     */
    static void fill(final UnsafeBuffer buffer, final int id, final long seq, final int length)
    {
        buffer.putInt(0, id);
        buffer.putLong(4, seq);
        for (int i = 12; i < length; i++)
        {
            buffer.putByte(i, (byte)(seq * 13 + i + id * 101));
        }
    }

    /**
     * @return null if the payload is what publisher id wrote for its message seq, else what is wrong.
     */
    static String verify(final DirectBuffer buffer, final int offset, final int length, final int id, final long seq,
        final int maxLength)
    {
        if (length != lengthOf(id, seq, maxLength))
        {
            return "publisher " + id + " message " + seq + " length " + length + ", expected " + lengthOf(id, seq, maxLength);
        }
        if (buffer.getInt(offset) != id || buffer.getLong(offset + 4) != seq)
        {
            return "publisher " + id + " expected message " + seq + ", got publisher " + buffer.getInt(offset) +
                " message " + buffer.getLong(offset + 4);
        }
        for (int i = 12; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)(seq * 13 + i + id * 101))
            {
                return "publisher " + id + " message " + seq + " byte " + i + " differs";
            }
        }
        return null;
    }

    /**
     * CRC32 over every message's type, length and payload, in order of receipt.
     */
    static final class MessageChecksum implements io.dominoes.channels.MessageHandler
    {
        private final CRC32 crc = new CRC32();
        private final byte[] scratch = new byte[1 << 16];
        long count;

        public void onMessage(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
        {
            crc.update(msgTypeId);
            crc.update(msgTypeId >>> 8);
            crc.update(length);
            crc.update(length >>> 8);
            buffer.getBytes(offset, scratch, 0, length);
            crc.update(scratch, 0, length);
            count++;
        }

        long value()
        {
            return crc.getValue();
        }
    }
}
