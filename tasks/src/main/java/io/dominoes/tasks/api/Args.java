package io.dominoes.tasks.api;

/**
 * Read-only view of a compose successor's arguments: the results of the children, in spawn order.
 *
 * @param <A> type of each argument.
 */
public interface Args<A>
{
    /**
     * @return number of arguments (children spawned).
     */
    int count();

    /**
     * @param index of the child, 0 for the first spawned.
     * @return the child's result.
     * @throws IndexOutOfBoundsException if index is not in [0, count()).
     */
    A get(int index);

    /**
     * Convenience for the common numeric case.
     *
     * @param index of the child.
     * @return the child's result as a long; the result must be a {@link Number}.
     */
    default long getLong(final int index)
    {
        return ((Number)get(index)).longValue();
    }
}
