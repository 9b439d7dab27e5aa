package io.dominoes.tasks.local;

/**
 * A runnable entry of a worker's deque: a task, a compose successor whose arguments are all in, or a forked subtask.
 */
abstract class Node
{
    final JobHandle<?> job;

    Node(final JobHandle<?> job)
    {
        this.job = job;
    }

    /**
     * Run on the calling worker.
     *
     * @param worker running it.
     * @return the node to run next on this worker without going through the deque (work-first: the first child just
     * spawned, or a successor this run made ready), or null.
     */
    abstract Node run(Worker worker);

    /**
     * @return the node's spawn-tree path for failure reports (cold path: builds a string).
     */
    abstract String path();
}
