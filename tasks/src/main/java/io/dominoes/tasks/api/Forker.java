package io.dominoes.tasks.api;

/**
 * Forks {@link ForkTask}s from inside a running one. Not thread safe: use only on the thread running the task.
 */
public interface Forker
{
    /**
     * Make a subtask available to run in parallel (pushed on the calling worker's deque, where thieves may take it).
     *
     * @param task subtask.
     * @param <A>  its result type.
     * @return handle to join on; join handles in the reverse order of forking for best locality (LIFO).
     */
    <A> Joinable<A> fork(ForkTask<A> task);

    /**
     * @return index of the executing worker thread.
     */
    int workerIndex();
}
