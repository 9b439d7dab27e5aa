package io.dominoes.tasks.api;

/**
 * What a running {@link Task} or {@link Compose} may do. Not thread safe: used only by the thread that called
 * {@code execute}/{@code compose}, and only during that call.
 * <p>
 * Exactly one outcome per execution: either one {@link #complete(Object)}, or at least one {@link #spawn(Task)}
 * followed by exactly one {@link #compose(Compose)}. Any other sequence fails fast with {@link IllegalStateException}.
 *
 * @param <R> type of the result of the running task.
 */
public interface TaskContext<R>
{
    /**
     * Finish with a value (may be null).
     *
     * @param value result of the task.
     */
    void complete(R value);

    /**
     * Spawn a child. Its result becomes argument number {@code i} of the compose successor, where {@code i} counts
     * the spawns of this execution from 0. All children spawned by one execution must produce the type the compose
     * successor expects.
     *
     * @param child task to run, possibly on another thread or machine.
     * @param <A>   child's result type.
     */
    <A> void spawn(Task<A> child);

    /**
     * Name the successor that receives the children's results; ends this execution's outcome.
     *
     * @param successor to run when every child spawned so far has a result.
     * @param <A>       type of the children's results.
     */
    <A> void compose(Compose<A, R> successor);

    /**
     * The job's incumbent: a job-wide long that only ever increases (for a minimisation, store the negated value).
     * Branch-and-bound tasks read it to prune, and raise it when they find a better solution; a raise made by one
     * task becomes visible to every task running or started after it (on other workers after a propagation delay).
     *
     * @return current incumbent of the job, {@link Long#MIN_VALUE} when none was offered.
     */
    long incumbent();

    /**
     * Offer a new incumbent; kept only when greater than the current one.
     *
     * @param value candidate.
     * @return true when it became the incumbent.
     */
    boolean offerIncumbent(long value);

    /**
     * @return index of the executing worker thread within its executor, for per-worker scratch state.
     */
    int workerIndex();
}
