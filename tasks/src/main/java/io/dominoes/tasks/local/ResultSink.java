package io.dominoes.tasks.local;

/**
 * Where a finished node's result goes: an argument slot of a compose successor, or the job itself.
 */
interface ResultSink
{
    /**
     * Deliver a result. Thread safe; a second delivery to the same slot is a duplicate and is dropped.
     *
     * @param slot   argument index.
     * @param value  result, may be null.
     * @param worker delivering thread's worker, for counters.
     * @return a node that became ready and should run next on this worker, or null.
     */
    Node deliver(int slot, Object value, Worker worker);
}
