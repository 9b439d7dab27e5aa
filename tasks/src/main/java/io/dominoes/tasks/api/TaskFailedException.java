package io.dominoes.tasks.api;

/**
 * A job failed because one of its tasks (or composes) threw: names the task's spawn-tree path and carries the
 * exception. Thrown by {@code JobHandle.join}; on the remote tier the cause is only described (exceptions do not
 * cross processes), see {@link #causeDescription()}.
 */
public final class TaskFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String causeDescription;

    /**
     * @param path  the failed task's id ({@link TaskId#toString()}), or a description where no id exists.
     * @param cause what it threw.
     */
    public TaskFailedException(final String path, final Throwable cause)
    {
        super("task " + path + " failed: " + cause, cause);
        this.path = path;
        this.causeDescription = String.valueOf(cause);
    }

    /**
     * A failure reported by another process: only its description crossed the boundary.
     *
     * @param path             the failed task's id.
     * @param causeDescription the exception's {@code toString()} on the worker.
     * @param attempts         how many times the task failed before the job was failed.
     */
    public TaskFailedException(final String path, final String causeDescription, final int attempts)
    {
        super("task " + path + " failed " + attempts + " time(s), last: " + causeDescription);
        this.path = path;
        this.causeDescription = causeDescription;
    }

    /**
     * @return the failed task's spawn-tree path.
     */
    public String path()
    {
        return path;
    }

    /**
     * @return the exception's description.
     */
    public String causeDescription()
    {
        return causeDescription;
    }
}
