package io.dominoes.channels.ring;

import io.dominoes.channels.Subscriber;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ring in a memory-mapped file shared with a second JVM ({@link RingProcessMain}), started from
 * {@code java.home} with this JVM's class path and flags.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BroadcastRingCrossProcessTest
{
    private static final long MESSAGES = 20_000;

    @TempDir
    Path dir;

    @Test
    void secondProcessAttachesAsSubscriberAndReceivesExactlyWhatWasPublished() throws Exception
    {
        final Path file = dir.resolve("ring-sub.dat");
        try (BroadcastRing ring = BroadcastRing.builder().capacity(64 * 1024).subscribers(2).mappedFile(file).build())
        {
            final Process child = start("subscribe", file, 1, MESSAGES);
            final RingProcessMain.MessageChecksum local = new RingProcessMain.MessageChecksum();
            final Subscriber subscriber = ring.subscriber(0);
            final int max = ring.maxMessageLength();
            final String[] bad = new String[1];
            final io.dominoes.channels.MessageHandler handler = (type, buffer, offset, length) ->
            {
                final String error = RingProcessMain.verify(buffer, offset, length, 0, local.count, max);
                if (null != error && null == bad[0])
                {
                    bad[0] = error;
                }
                local.onMessage(type, buffer, offset, length);
            };

            // Publish from this thread; poll our own subscriber 0 between offers so only the child
            // (subscriber 1, starting up in its own JVM) can hold the publisher back.
            final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
            final long deadline = System.nanoTime() + RingProcessMain.TIMEOUT_NS;
            final org.agrona.concurrent.UnsafeBuffer payload = new org.agrona.concurrent.UnsafeBuffer(new byte[max]);
            for (long seq = 0; seq < MESSAGES; )
            {
                assertTrue(System.nanoTime() < deadline, "publisher stuck at " + seq + "; child: " + drain(child));
                final int length = RingProcessMain.lengthOf(0, seq, max);
                RingProcessMain.fill(payload, 0, seq, length);
                if (ring.publisher().offer(0, payload, 0, length) > 0)
                {
                    seq++;
                    idle.reset();
                }
                else
                {
                    subscriber.poll(handler, 1024);
                    idle.idle();
                }
            }
            while (local.count < MESSAGES)
            {
                subscriber.poll(handler, 1024);
            }
            assertNull(bad[0]);

            final String output = awaitExit(child);
            assertTrue(output.contains("RESULT count=" + MESSAGES + " checksum=" + local.value()),
                "child's checksum should equal ours (" + local.value() + "): " + output);
        }
        assertTrue(Files.notExists(file));
    }

    @Test
    void secondProcessPublishesConcurrentlyIntoAMultiPublisherRing() throws Exception
    {
        final Path file = dir.resolve("ring-pub.dat");
        try (BroadcastRing ring = BroadcastRing.builder()
            .capacity(64 * 1024).subscribers(1).multiPublisher(true).mappedFile(file).build())
        {
            final Process child = start("publish", file, 1, MESSAGES);
            final int max = ring.maxMessageLength();
            final long[] next = new long[2];
            final String[] bad = new String[1];
            final io.dominoes.channels.MessageHandler handler = (type, buffer, offset, length) ->
            {
                // FIFO per publisher: each publisher's messages arrive in its order, interleaved.
                final String error = type < 0 || type > 1 ? "unknown publisher " + type :
                    RingProcessMain.verify(buffer, offset, length, type, next[type], max);
                if (null != error && null == bad[0])
                {
                    bad[0] = error;
                }
                if (type == 0 || type == 1)
                {
                    next[type]++;
                }
            };
            final Thread publisher = new Thread(
                () -> RingProcessMain.publish(ring.publisher(), 0, MESSAGES, max), "local-publisher");
            publisher.start();

            final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
            final long deadline = System.nanoTime() + RingProcessMain.TIMEOUT_NS;
            while ((next[0] < MESSAGES || next[1] < MESSAGES) && null == bad[0])
            {
                assertTrue(System.nanoTime() < deadline, "received " + next[0] + " + " + next[1]);
                idle.idle(ring.subscriber(0).poll(handler, 1024));
            }
            publisher.join(TimeUnit.NANOSECONDS.toMillis(RingProcessMain.TIMEOUT_NS));
            assertNull(bad[0]);
            assertEquals(MESSAGES, next[0]);
            assertEquals(MESSAGES, next[1]);
            assertTrue(awaitExit(child).contains("RESULT published=" + MESSAGES));
            assertEquals(0, ring.subscriber(0).poll(handler, 1024));
        }
    }

    private static Process start(final String mode, final Path file, final int id, final long messages)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!arg.startsWith("-agentlib:jdwp"))
            {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RingProcessMain.class.getName());
        command.add(mode);
        command.add(file.toString());
        command.add(String.valueOf(id));
        command.add(String.valueOf(messages));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String awaitExit(final Process child) throws Exception
    {
        final boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited)
        {
            child.destroyForcibly();
        }
        final String output = drain(child);
        assertTrue(exited, "child did not exit: " + output);
        assertEquals(0, child.exitValue(), "child failed: " + output);
        return output;
    }

    private static String drain(final Process child)
    {
        try
        {
            final InputStream in = child.getInputStream();
            return new String(in.readNBytes(Math.max(0, in.available())), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(output unreadable: " + ex + ")";
        }
    }
}
