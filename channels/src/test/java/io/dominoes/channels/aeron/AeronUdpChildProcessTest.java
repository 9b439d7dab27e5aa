package io.dominoes.channels.aeron;

import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import io.dominoes.channels.Subscriber;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.dominoes.channels.aeron.UdpReceiverProcessMain.byteOf;
import static io.dominoes.channels.aeron.UdpReceiverProcessMain.lengthOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aeron UDP across processes on loopback: the publisher and one local subscriber here, two
 * subscribers in child JVMs, each child with its own media driver. Min flow control with group size
 * 3 means nothing is sent until all three joined and the slowest gates the sender, so every receiver
 * must get every message: the children verify type, length and bytes and report a checksum that must
 * equal the local subscriber's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AeronUdpChildProcessTest
{
    private static final int CHILDREN = 2;
    private static final long MESSAGES = 20_000;
    private static final int STREAM_ID = 1077;

    @Test
    void subscribersInChildJvmsReceiveEveryMessageInOrder() throws Exception
    {
        final List<Process> children = new ArrayList<>();
        try (AeronUdpChannel channel = AeronUdpChannel.publishing(new AeronUdpChannel.Context()
            .streamId(STREAM_ID).subscriberCount(1).remoteReceivers(CHILDREN).termLength(128 * 1024)))
        {
            for (int i = 0; i < CHILDREN; i++)
            {
                children.add(startChild(channel.controlEndpoint()));
            }
            channel.awaitConnected(TimeUnit.SECONDS.toNanos(60));

            final int max = channel.maxMessageLength();
            final Publisher publisher = channel.publisher();
            final Subscriber local = channel.subscriber(0);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[max]);
            final long[] localState = new long[2];
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            for (long seq = 0; seq < MESSAGES; )
            {
                final int length = lengthOf(seq, max);
                for (int i = 0; i < length; i++)
                {
                    payload.putByte(i, byteOf(seq, i));
                }
                final long result = publisher.offer((int)seq, payload, 0, length);
                if (result > 0)
                {
                    seq++;
                }
                else
                {
                    assertTrue(ChannelResult.isRetryable(result), ChannelResult.describe(result));
                    assertTrue(System.nanoTime() < deadline, "publisher stuck at " + seq + ": " + ChannelResult.describe(result));
                    LockSupport.parkNanos(50_000);
                }
                pollLocal(local, localState, max);
            }
            while (localState[0] < MESSAGES && System.nanoTime() < deadline)
            {
                if (0 == pollLocal(local, localState, max))
                {
                    LockSupport.parkNanos(100_000);
                }
            }
            assertEquals(MESSAGES, localState[0]);

            for (final Process child : children)
            {
                final List<String> lines = readLines(child);
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit");
                assertEquals(0, child.exitValue(), "child output: " + lines);
                assertEquals("RECEIVED " + MESSAGES + " " + localState[1], lines.get(lines.size() - 1), "child output: " + lines);
            }
        }
        finally
        {
            for (final Process child : children)
            {
                child.destroyForcibly();
            }
        }
    }

    private static int pollLocal(final Subscriber local, final long[] state, final int max)
    {
        return local.poll((type, buffer, offset, length) ->
        {
            final long seq = state[0];
            assertEquals((int)seq, type, "local type");
            assertEquals(lengthOf(seq, max), length, "local length of " + seq);
            for (int i = 0; i < length; i++)
            {
                final byte b = buffer.getByte(offset + i);
                assertEquals(byteOf(seq, i), b);
                state[1] = state[1] * 31 + b;
            }
            state[0] = seq + 1;
        }, 64);
    }

    private static Process startChild(final String controlEndpoint) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(jvmFlags());
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(UdpReceiverProcessMain.class.getName());
        command.add(controlEndpoint);
        command.add(Integer.toString(STREAM_ID));
        command.add(Long.toString(MESSAGES));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * The root pom's {@code dominoes.jvm.flags}, passed through surefire; when run outside Maven, the
     * flags this JVM was started with.
     */
    private static List<String> jvmFlags()
    {
        final String flags = System.getProperty("dominoes.jvm.flags");
        if (null != flags && !flags.isBlank() && !flags.startsWith("${"))
        {
            return Arrays.asList(flags.trim().split("\\s+"));
        }
        final List<String> inherited = new ArrayList<>();
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("-Dchronicle."))
            {
                inherited.add(arg);
            }
        }
        return inherited;
    }

    private static List<String> readLines(final Process child) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                lines.add(line);
            }
        }
        if (lines.isEmpty())
        {
            lines.add("<no output>");
        }
        return lines;
    }
}
