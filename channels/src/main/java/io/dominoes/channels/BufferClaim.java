package io.dominoes.channels;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable claim on space in a channel, filled in by {@link Publisher#tryClaim}. Write the payload
 * at {@code buffer().putXxx(offset() + i, ...)} for {@code 0 <= i < length()}, then {@link #commit()}.
 * One instance per publishing thread; reuse it for every claim (no allocation in steady state).
 */
public final class BufferClaim
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int offset;
    private int length;
    private ClaimCommitter committer;
    private long token;

    /**
     * Called by implementations when a claim succeeds.
     *
     * @param wrapBuffer buffer the payload is written into.
     * @param offset     of the payload in that buffer.
     * @param length     of the payload.
     * @param committer  that publishes or aborts the claim.
     * @param token      opaque to the claim, handed back to the committer.
     */
    public void wrap(
        final org.agrona.DirectBuffer wrapBuffer,
        final int offset,
        final int length,
        final ClaimCommitter committer,
        final long token)
    {
        this.buffer.wrap(wrapBuffer);
        this.offset = offset;
        this.length = length;
        this.committer = committer;
        this.token = token;
    }

    /**
     * @return buffer to write the payload into.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the payload in {@link #buffer()}.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return length of the claimed payload.
     */
    public int length()
    {
        return length;
    }

    /**
     * Make the message visible to subscribers.
     *
     * @throws IllegalStateException if there is no open claim.
     */
    public void commit()
    {
        final ClaimCommitter c = take();
        c.commit(token);
    }

    /**
     * Withdraw the claim: subscribers skip it as padding and never see it.
     *
     * @throws IllegalStateException if there is no open claim.
     */
    public void abort()
    {
        final ClaimCommitter c = take();
        c.abort(token);
    }

    private ClaimCommitter take()
    {
        final ClaimCommitter c = committer;
        if (null == c)
        {
            throw new IllegalStateException("no open claim: tryClaim must succeed before commit/abort");
        }
        committer = null;
        return c;
    }

    /**
     * Implemented by channels to complete a claim.
     */
    public interface ClaimCommitter
    {
        /**
         * @param token given at {@link BufferClaim#wrap}.
         */
        void commit(long token);

        /**
         * @param token given at {@link BufferClaim#wrap}.
         */
        void abort(long token);
    }
}
