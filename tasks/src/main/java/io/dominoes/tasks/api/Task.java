package io.dominoes.tasks.api;

import java.io.Serializable;

/**
 * A unit of straight-line serial application code (CX's task). {@link #execute(TaskContext)} does exactly one of:
 * <ul>
 *   <li>computes a value and calls {@link TaskContext#complete(Object)}, or</li>
 *   <li>spawns one or more children with {@link TaskContext#spawn(Task)} and then names one compose successor with
 *   {@link TaskContext#compose(Compose)}; the successor runs once every child's result has arrived and receives
 *   them, in spawn order, as its arguments. The successor's own outcome becomes this task's result.</li>
 * </ul>
 * <p>
 * Contract: {@code execute} must be deterministic given its fields and must not depend on side effects of other
 * tasks (beyond the job's incumbent, see {@link TaskContext#incumbent()}), because the runtime may execute a task more
 * than once (eager scheduling re-issues tasks of slow or failed workers) and keeps only the first result per task id.
 * Tasks are {@link Serializable}: the remote tier ships them with plain Java serialization, at that boundary only;
 * the in-JVM tier never serializes.
 *
 * @param <R> type of the task's result.
 */
@FunctionalInterface
public interface Task<R> extends Serializable
{
    /**
     * Run the task: complete it with a value, or spawn children and a compose successor.
     *
     * @param ctx of this execution; valid only for the duration of the call, must not be retained.
     */
    void execute(TaskContext<R> ctx);
}
