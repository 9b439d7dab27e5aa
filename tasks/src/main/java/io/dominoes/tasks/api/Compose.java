package io.dominoes.tasks.api;

import java.io.Serializable;

/**
 * The successor of a task that spawned children (CX's compose task). It runs once, when every child's result has
 * arrived, and like a {@link Task} either completes with a value or spawns again (which is how a dynamic, CIEL-style
 * task graph grows: an iteration's compose spawns the next iteration).
 *
 * @param <A> type of the children's results (its arguments).
 * @param <R> type of its result, which is the result of the task that spawned it.
 */
@FunctionalInterface
public interface Compose<A, R> extends Serializable
{
    /**
     * @param args the children's results, in spawn order; valid only during the call.
     * @param ctx  of this execution; valid only during the call.
     */
    void compose(Args<A> args, TaskContext<R> ctx);
}
