package io.dominoes.tasks.api;

/**
 * The simpler fork/join style (Cilk's spawn/sync): {@link #compute(Forker)} forks subtasks, joins them and returns a
 * value. In-JVM tier only: a join blocks the calling worker (it helps by running other tasks meanwhile), so such a
 * task cannot be suspended and shipped to another machine; use {@link Task}/{@link Compose} for code that must run
 * on the remote tier.
 *
 * @param <R> type of the result.
 */
@FunctionalInterface
public interface ForkTask<R>
{
    /**
     * @param forker of the executing worker; valid only during the call and on the calling thread.
     * @return the result.
     */
    R compute(Forker forker);
}
