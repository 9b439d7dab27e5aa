package io.dominoes.channels.aeron;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.dominoes.channels.BufferClaim;
import io.dominoes.channels.ChannelResult;
import io.dominoes.channels.Publisher;
import org.agrona.DirectBuffer;

/**
 * {@link Publisher} over one Aeron {@link Publication}. The message type travels in the frame
 * header's 64-bit reserved value (low 32 bits), so the payload is exactly the caller's bytes and
 * {@link #tryClaim} writes in place into the term buffer.
 *
 * <p>Result codes pass through unchanged: {@link ChannelResult} values equal Aeron's
 * {@code Publication.NOT_CONNECTED/BACK_PRESSURED/ADMIN_ACTION/CLOSED}. Aeron's
 * {@code MAX_POSITION_EXCEEDED} (-5) is returned as is (a term-id overflow after 2^31 terms).
 *
 * <p>An {@link ExclusivePublication} is used by one thread at a time and keeps one claim state; a
 * concurrent publication keeps one claim state per publishing thread.
 */
final class AeronPublisher implements Publisher
{
    private final Publication publication;
    private final int maxMessageLength;
    private final ClaimState exclusiveState;
    private final ThreadLocal<ClaimState> concurrentStates;
    private volatile boolean closed;

    AeronPublisher(final Publication publication, final int maxMessageLength)
    {
        this.publication = publication;
        this.maxMessageLength = maxMessageLength;
        if (publication instanceof ExclusivePublication)
        {
            exclusiveState = new ClaimState();
            concurrentStates = null;
        }
        else
        {
            exclusiveState = null;
            concurrentStates = ThreadLocal.withInitial(ClaimState::new);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long offer(final int msgTypeId, final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        if (closed)
        {
            return ChannelResult.CLOSED;
        }
        final ClaimState state = state();
        state.msgTypeId = msgTypeId;
        return publication.offer(buffer, offset, length, state);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long tryClaim(final int msgTypeId, final int length, final BufferClaim claim)
    {
        checkLength(length);
        if (closed)
        {
            return ChannelResult.CLOSED;
        }
        final ClaimState state = state();
        final io.aeron.logbuffer.BufferClaim aeronClaim = state.aeronClaim;
        final long result = publication.tryClaim(length, aeronClaim);
        if (result > 0)
        {
            aeronClaim.reservedValue(msgTypeId);
            claim.wrap(aeronClaim.buffer(), aeronClaim.offset(), aeronClaim.length(), state, 0);
        }
        return result;
    }

    int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * Later offers and claims return {@link ChannelResult#CLOSED} without touching the publication.
     * Volatile store: a publishing thread that reads it after the channel closed sees true.
     */
    void markClosed()
    {
        closed = true;
    }

    private ClaimState state()
    {
        return null != exclusiveState ? exclusiveState : concurrentStates.get();
    }

    private void checkLength(final int length)
    {
        if (length < 0 || length > maxMessageLength)
        {
            throw new IllegalArgumentException(
                "message length " + length + " outside 0.." + maxMessageLength + " (maxMessageLength)");
        }
    }

    /**
     * Per publishing thread: the reused Aeron claim and the type for the next offer. Allocated
     * once (per thread for a concurrent publication), so publishing allocates nothing.
     */
    private static final class ClaimState implements ReservedValueSupplier, BufferClaim.ClaimCommitter
    {
        final io.aeron.logbuffer.BufferClaim aeronClaim = new io.aeron.logbuffer.BufferClaim();
        int msgTypeId;

        @Override
        public long get(final DirectBuffer termBuffer, final int termOffset, final int frameLength)
        {
            return msgTypeId;
        }

        @Override
        public void commit(final long token)
        {
            aeronClaim.commit();
        }

        @Override
        public void abort(final long token)
        {
            aeronClaim.abort();
        }
    }
}
