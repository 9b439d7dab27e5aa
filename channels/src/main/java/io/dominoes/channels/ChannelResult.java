package io.dominoes.channels;

/**
 * Negative result codes of {@link Publisher#offer} and {@link Publisher#tryClaim}. Values follow
 * Aeron's {@code Publication} constants so an adapter can pass them through unchanged.
 */
public final class ChannelResult
{
    /**
     * No subscriber is connected yet (Aeron before its subscriptions join). Retry.
     */
    public static final long NOT_CONNECTED = -1;

    /**
     * The slowest subscriber is a full channel behind: nothing was written. Retry.
     */
    public static final long BACK_PRESSURED = -2;

    /**
     * An administrative action (e.g. a log rotation) interrupted the offer. Retry.
     */
    public static final long ADMIN_ACTION = -3;

    /**
     * The channel is closed; the message was not written and never will be.
     */
    public static final long CLOSED = -4;

    private ChannelResult()
    {
    }

    /**
     * @param result of offer or tryClaim.
     * @return true if the call may succeed when retried.
     */
    public static boolean isRetryable(final long result)
    {
        return result == NOT_CONNECTED || result == BACK_PRESSURED || result == ADMIN_ACTION;
    }

    /**
     * @param result of offer or tryClaim.
     * @return a short name for logs and error messages.
     */
    public static String describe(final long result)
    {
        if (result >= 0)
        {
            return "position " + result;
        }
        if (result == NOT_CONNECTED)
        {
            return "NOT_CONNECTED";
        }
        if (result == BACK_PRESSURED)
        {
            return "BACK_PRESSURED";
        }
        if (result == ADMIN_ACTION)
        {
            return "ADMIN_ACTION";
        }
        if (result == CLOSED)
        {
            return "CLOSED";
        }
        return "UNKNOWN(" + result + ")";
    }
}
