package io.dominoes.channels.chronicle;

import io.dominoes.channels.MessageHandler;
import io.dominoes.channels.Subscriber;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@link Subscriber} over one named Chronicle {@link ExcerptTailer}. Chronicle persists a named
 * tailer's index in the queue's metadata file as each read document closes, so a tailer reopened
 * under the same name resumes after its last consumed excerpt; a name never used before starts at
 * the first excerpt (replay).
 *
 * <p>The payload is handed to the handler in place through a reused flyweight over the mapped file.
 */
final class ChronicleTailerSubscriber implements Subscriber
{
    private static final VarHandle CONSUMED_MESSAGES;
    private static final VarHandle CONSUMED_BYTES;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMED_MESSAGES = lookup.findVarHandle(ChronicleTailerSubscriber.class, "consumedMessages", long.class);
            CONSUMED_BYTES = lookup.findVarHandle(ChronicleTailerSubscriber.class, "consumedBytes", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final ExcerptTailer tailer;
    private final String name;
    private final int index;
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private long malformedExcerpts;
    private volatile boolean closed;

    // Written only by the polling thread, read by the publisher; counts since this channel opened,
    // starting at minus the backlog found at open, so "appended - consumed" is the lag.
    @SuppressWarnings("unused")
    private long consumedMessages;
    @SuppressWarnings("unused")
    private long consumedBytes;

    ChronicleTailerSubscriber(
        final ExcerptTailer tailer, final String name, final int index, final long backlogMessages, final long backlogBytes)
    {
        this.tailer = tailer;
        this.name = name;
        this.index = index;
        consumedMessages = -backlogMessages;
        consumedBytes = -backlogBytes;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int poll(final MessageHandler handler, final int limit)
    {
        if (limit <= 0)
        {
            throw new IllegalArgumentException("poll limit " + limit + " must be > 0");
        }
        if (closed)
        {
            return 0;
        }
        int delivered = 0;
        int readMessages = 0;
        long readBytes = 0;
        try
        {
            while (delivered < limit)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final long remaining = bytes.readRemaining();
                    readBytes += remaining;
                    readMessages++;
                    if (remaining < ChronicleAppenderPublisher.TYPE_LENGTH || remaining > Integer.MAX_VALUE)
                    {
                        malformedExcerpts++; // not written by this channel's appender: count and drop
                        continue;
                    }
                    final int msgTypeId = bytes.readInt();
                    final int length = (int)(remaining - ChronicleAppenderPublisher.TYPE_LENGTH);
                    payload.wrap(bytes.addressForRead(bytes.readPosition(), length), length);
                    delivered++;
                    // The document closes (consumed) even when the handler throws.
                    handler.onMessage(msgTypeId, payload, 0, length);
                }
            }
        }
        finally
        {
            if (readMessages > 0)
            {
                // Release: the publisher's acquire of these counters then sees the read completed, so
                // it never lets the appender run more than maxLag ahead of what was actually read.
                CONSUMED_MESSAGES.setRelease(this, consumedMessages + readMessages);
                CONSUMED_BYTES.setRelease(this, consumedBytes + readBytes);
            }
        }
        return delivered;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int index()
    {
        return index;
    }

    /**
     * @return the tailer's name (its id in Chronicle's metadata).
     */
    String name()
    {
        return name;
    }

    /**
     * @return excerpts dropped because they were too short to hold a type (written by a foreign appender).
     */
    long malformedExcerpts()
    {
        return malformedExcerpts;
    }

    long consumedMessagesAcquire()
    {
        return (long)CONSUMED_MESSAGES.getAcquire(this);
    }

    long consumedBytesAcquire()
    {
        return (long)CONSUMED_BYTES.getAcquire(this);
    }

    ExcerptTailer tailer()
    {
        return tailer;
    }

    void markClosed()
    {
        closed = true;
    }
}
