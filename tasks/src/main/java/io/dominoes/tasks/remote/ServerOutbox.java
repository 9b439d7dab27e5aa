package io.dominoes.tasks.remote;

import io.dominoes.tasks.api.TaskId;

/**
 * What the task server's state machine asks its transport to send. Implementations must not call back into the state
 * machine. A task send that fails is reported, and the task stays ready; other sends are best effort.
 */
interface ServerOutbox
{
    /**
     * Send a task to a worker.
     *
     * @param workerId destination.
     * @param channel  the worker's receive channel.
     * @param id       task id.
     * @param split    true: if the task spawns, return the children and compose rather than running them.
     * @param kind     {@link Wire#KIND_TASK} or {@link Wire#KIND_COMPOSE}.
     * @param body     serialized task or compose.
     * @param args     serialized arguments of a compose, null for a task.
     * @return false when it could not be sent now (not yet connected, back pressure): the task is not issued.
     */
    boolean sendTask(long workerId, String channel, TaskId id, boolean split, int kind, byte[] body, byte[][] args);

    /**
     * Send a job's result to the client that submitted it.
     *
     * @param clientChannel the client's receive channel.
     * @param jobId         job.
     * @param stats         created, accepted, issues, reissues, duplicates.
     * @param value         serialized result.
     */
    void sendJobDone(String clientChannel, int jobId, long[] stats, byte[] value);

    /**
     * Broadcast a raised incumbent to every worker.
     *
     * @param channel destination worker's channel.
     * @param jobId   job.
     * @param value   new incumbent.
     */
    void sendIncumbent(String channel, int jobId, long value);

    /**
     * Tell the client its job failed: a task failed too often.
     *
     * @param clientChannel the client's receive channel.
     * @param jobId         job.
     * @param path          the failed task's id.
     * @param description   the last failure's description (the exception's {@code toString()} on the worker).
     * @param attempts      failures of that task.
     */
    void sendJobFailed(String clientChannel, int jobId, String path, String description, int attempts);
}
