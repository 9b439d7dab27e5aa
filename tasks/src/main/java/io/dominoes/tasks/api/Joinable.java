package io.dominoes.tasks.api;

/**
 * Result of a forked {@link ForkTask}.
 *
 * @param <A> type of the result.
 */
public interface Joinable<A>
{
    /**
     * Wait for the result. Runs the subtask inline when nobody stole it (the common, cheap case), otherwise runs other
     * tasks while waiting. Call only from the thread that forked it.
     *
     * @return the subtask's result.
     * @throws RuntimeException wrapping whatever the subtask threw.
     */
    A join();
}
