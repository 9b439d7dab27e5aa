package io.dominoes.channels.chronicle;

import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link Publisher} over one Chronicle {@link ExcerptAppender}. Each message is one excerpt
 * (document) laid out as:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |       Chronicle document header (length, written by Chronicle) |
 *  +---------------------------------------------------------------+
 *  |                     msgTypeId (int32, LE)                     |
 *  +---------------------------------------------------------------+
 *  |                     payload (length bytes)                   ...
 *  +---------------------------------------------------------------+
 * </pre>
 * {@link #tryClaim} opens a writing document, reserves the payload bytes and hands out their
 * address in the mapped file, so the caller writes in place; commit closes the document (Chronicle
 * publishes its header length with an ordered store), abort rolls it back.
 *
 * <p>Chronicle is unbounded, so back-pressure is the channel's own rule: the publisher refuses a
 * message while the slowest tailer is {@code maxLagMessages} excerpts or {@code maxLagBytes} bytes
 * behind. Single publisher: one thread at a time.
 */
final class ChronicleAppenderPublisher implements Publisher, BufferClaim.ClaimCommitter
{
    /**
     * Bytes of the excerpt before the payload: the msgTypeId.
     */
    static final int TYPE_LENGTH = Integer.BYTES;

    private final ExcerptAppender appender;
    private final ChronicleTailerSubscriber[] tailers;
    private final int maxMessageLength;
    private final long maxLagMessages;
    private final long maxLagBytes;
    private final UnsafeBuffer claimBuffer = new UnsafeBuffer(0, 0);
    private final BufferClaim offerClaim = new BufferClaim();

    private long appendedMessages;
    private long appendedBytes;
    private long cachedMinConsumedMessages;
    private long cachedMinConsumedBytes;
    private DocumentContext openDocument;
    private int openLength;
    private volatile boolean closed;

    ChronicleAppenderPublisher(
        final ExcerptAppender appender,
        final ChronicleTailerSubscriber[] tailers,
        final int maxMessageLength,
        final long maxLagMessages,
        final long maxLagBytes)
    {
        this.appender = appender;
        this.tailers = tailers;
        this.maxMessageLength = maxMessageLength;
        this.maxLagMessages = maxLagMessages;
        this.maxLagBytes = maxLagBytes;
        refreshMinConsumed();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long offer(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long result = tryClaim(msgTypeId, length, offerClaim);
        if (result > 0)
        {
            offerClaim.buffer().putBytes(offerClaim.offset(), buffer, offset, length);
            offerClaim.commit();
        }
        return result;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long tryClaim(final int msgTypeId, final int length, final BufferClaim claim)
    {
        if (length < 0 || length > maxMessageLength)
        {
            throw new IllegalArgumentException(
                "message length " + length + " outside 0.." + maxMessageLength + " (maxMessageLength)");
        }
        if (closed)
        {
            return ChannelResult.CLOSED;
        }
        if (null != openDocument)
        {
            throw new IllegalStateException("previous claim neither committed nor aborted");
        }
        final long excerptBytes = (long)TYPE_LENGTH + length;
        if (isLagLimitReached(excerptBytes) && refreshMinConsumed() && isLagLimitReached(excerptBytes))
        {
            return ChannelResult.BACK_PRESSURED;
        }

        final DocumentContext dc = appender.writingDocument();
        final long index;
        try
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeInt(msgTypeId);
            final long payloadPosition = bytes.writePosition();
            // Reserve first, then take the address: writeSkip may move the mapping to the next chunk,
            // and a chunk's mapping overlaps the next by overlapSize >= maxMessageLength, so the
            // payload is contiguous from this address.
            bytes.writeSkip(length);
            claimBuffer.wrap(bytes.addressForWrite(payloadPosition), length);
            index = dc.index();
        }
        catch (final RuntimeException ex)
        {
            dc.rollbackOnClose();
            dc.close();
            throw ex;
        }
        openDocument = dc;
        openLength = length;
        claim.wrap(claimBuffer, 0, length, this, 0);
        return index + 1;
    }

    /**
     * Close the document: Chronicle writes its header length last (ordered), which makes the
     * excerpt visible to tailers in this and other processes.
     */
    @Override
    public void commit(final long token)
    {
        final DocumentContext dc = openDocument;
        openDocument = null;
        dc.close();
        appendedMessages++;
        appendedBytes += TYPE_LENGTH + openLength;
    }

    /**
     * Roll the document back: tailers never see it and it does not count towards the lag.
     */
    @Override
    public void abort(final long token)
    {
        final DocumentContext dc = openDocument;
        openDocument = null;
        dc.rollbackOnClose();
        dc.close();
    }

    int maxMessageLength()
    {
        return maxMessageLength;
    }

    void markClosed()
    {
        closed = true;
    }

    /**
     * Roll back a claim left open when the channel closes, so no half-written excerpt stays.
     */
    void abortOpenClaim()
    {
        if (null != openDocument)
        {
            abort(0);
        }
    }

    private boolean isLagLimitReached(final long excerptBytes)
    {
        return appendedMessages - cachedMinConsumedMessages >= maxLagMessages ||
            (appendedBytes - cachedMinConsumedBytes) + excerptBytes > maxLagBytes &&
            appendedMessages != cachedMinConsumedMessages;
    }

    /**
     * Read every tailer's consumed counters (acquire, pairs with the tailer's release after it
     * closed the read document) and cache the minimum; the fast path reads only the cache.
     *
     * @return true, so it can sit inside a condition.
     */
    private boolean refreshMinConsumed()
    {
        long minMessages = Long.MAX_VALUE;
        long minBytes = Long.MAX_VALUE;
        for (final ChronicleTailerSubscriber tailer : tailers)
        {
            minMessages = Math.min(minMessages, tailer.consumedMessagesAcquire());
            minBytes = Math.min(minBytes, tailer.consumedBytesAcquire());
        }
        cachedMinConsumedMessages = minMessages;
        cachedMinConsumedBytes = minBytes;
        return true;
    }
}
