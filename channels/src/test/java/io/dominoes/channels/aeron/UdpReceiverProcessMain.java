package io.dominoes.channels.aeron;

import io.dominoes.channels.Subscriber;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link AeronUdpChildProcessTest}: one receiving side of an {@link AeronUdpChannel}
 * with its own embedded driver. Reads {@code count} messages, checking that message {@code seq} has
 * type {@code seq}, length {@link #lengthOf} and bytes {@link #byteOf}, and prints
 * {@code RECEIVED <count> <checksum>} (or {@code FAILED ...}) on stdout.
 *
 * <p>Arguments: controlEndpoint streamId count.
 */
public final class UdpReceiverProcessMain
{
    private UdpReceiverProcessMain()
    {
    }

    static int lengthOf(final long seq, final int max)
    {
        return (int)((seq * 0x9E3779B97F4A7C15L) >>> 40) % (max + 1);
    }

    static byte byteOf(final long seq, final int index)
    {
        return (byte)(seq * 13 + index * 5 + 3);
    }

    public static void main(final String[] args)
    {
        final String control = args[0];
        final int streamId = Integer.parseInt(args[1]);
        final long count = Long.parseLong(args[2]);
        final long[] state = new long[2]; // received, checksum
        final String[] failure = new String[1];
        try (AeronUdpChannel channel = AeronUdpChannel.subscribing(new AeronUdpChannel.Context()
            .controlEndpoint(control).streamId(streamId).subscriberCount(1)))
        {
            final int max = channel.maxMessageLength();
            System.out.println("READY");
            System.out.flush();
            final Subscriber subscriber = channel.subscriber(0);
            final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (state[0] < count && null == failure[0] && System.nanoTime() < deadline)
            {
                idle.idle(subscriber.poll((type, buffer, offset, length) ->
                {
                    final long seq = state[0];
                    if (null != failure[0])
                    {
                        return;
                    }
                    if (type != (int)seq || length != lengthOf(seq, max))
                    {
                        failure[0] = "message " + seq + " has type " + type + " length " + length;
                        return;
                    }
                    for (int i = 0; i < length; i++)
                    {
                        final byte b = buffer.getByte(offset + i);
                        if (b != byteOf(seq, i))
                        {
                            failure[0] = "message " + seq + " byte " + i;
                            return;
                        }
                        state[1] = state[1] * 31 + b;
                    }
                    state[0] = seq + 1;
                }, 64));
            }
        }
        if (null != failure[0] || state[0] != count)
        {
            System.out.println("FAILED " + state[0] + " " + failure[0]);
            System.exit(1);
        }
        System.out.println("RECEIVED " + state[0] + " " + state[1]);
        System.exit(0);
    }
}
