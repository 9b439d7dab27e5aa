package io.dominoes.channels;

import org.agrona.DirectBuffer;

/**
 * Publication side of a {@link BroadcastChannel}.
 *
 * <p>Return codes: a positive value is the new stream position after the message (implementation
 * specific units, monotonically increasing); a negative value is one of {@link ChannelResult}.
 * {@link ChannelResult#BACK_PRESSURED} means "try again later": nothing was written.
 */
public interface Publisher
{
    /**
     * Copy a message into the channel.
     *
     * @param msgTypeId user type of the message, any int.
     * @param buffer    containing the payload.
     * @param offset    of the payload in the buffer.
     * @param length    of the payload, {@code 0 <= length <= maxMessageLength()}.
     * @return new position if positive, else a {@link ChannelResult} code.
     * @throws IllegalArgumentException if length is negative or exceeds the channel's maximum.
     */
    long offer(int msgTypeId, DirectBuffer buffer, int offset, int length);

    /**
     * Claim space to write a message in place; on success write the payload through
     * {@link BufferClaim#buffer()} at {@link BufferClaim#offset()}, then {@link BufferClaim#commit()}
     * (or {@link BufferClaim#abort()}). Until the claim is committed or aborted no later message of
     * this publisher becomes visible.
     *
     * @param msgTypeId user type of the message, any int.
     * @param length    of the payload to be written, {@code 0 <= length <= maxMessageLength()}.
     * @param claim     reusable claim object, filled in on success.
     * @return new position if positive, else a {@link ChannelResult} code.
     * @throws IllegalArgumentException if length is negative or exceeds the channel's maximum.
     */
    long tryClaim(int msgTypeId, int length, BufferClaim claim);
}
