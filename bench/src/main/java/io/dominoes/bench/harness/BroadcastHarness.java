package io.dominoes.bench.harness;

/**
 * One publisher broadcasting {@link BenchMessage}s to N checking subscribers, each on its own
 * thread. The benchmark thread is the publisher and calls {@link #publishNext()} once per
 * operation; the subscribers check every message ({@link MessageChecker}).
 *
 * <p>Contract: {@link #publishNext()} returns once the message is in the channel (waiting while
 * back-pressured) and throws {@link BenchmarkFailure} if a subscriber failed;
 * {@link #awaitDelivered(long)} returns once every subscriber has checked every published message.
 */
public interface BroadcastHarness extends AutoCloseable
{
    /**
     * @return implementation name, e.g. {@code ring}.
     */
    String name();

    /**
     * Start the subscriber threads.
     */
    void start();

    /**
     * Publish message number {@link #published()}.
     *
     * @throws BenchmarkFailure if a subscriber failed or the channel returned a non-retryable error.
     */
    void publishNext();

    /**
     * @return messages published so far.
     */
    long published();

    /**
     * Wait until every subscriber has received and checked every published message.
     *
     * @param timeoutNs how long to wait at most.
     * @throws BenchmarkFailure if a subscriber failed or the timeout passed.
     */
    void awaitDelivered(long timeoutNs);

    /**
     * Stop the subscribers and release the channel.
     */
    @Override
    void close();
}
