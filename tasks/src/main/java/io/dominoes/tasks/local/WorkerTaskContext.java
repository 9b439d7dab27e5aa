package io.dominoes.tasks.local;

import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskContext;
import io.dominoes.tasks.api.TaskId;

import java.util.Arrays;

/**
 * The per-worker, reused {@link TaskContext}: one instance per worker thread, reset for each execution, so running a
 * task allocates only what the task itself spawns (child nodes, their ids, and the compose node).
 */
final class WorkerTaskContext implements TaskContext<Object>
{
    private static final int NONE = 0;
    private static final int COMPLETED = 1;
    private static final int SPAWNING = 2;
    private static final int COMPOSED = 3;

    private final int workerIndex;
    private JobHandle<?> job;
    private TaskId id;
    private int state;
    private Object value;
    private Task<?>[] children = new Task<?>[8];
    private int childCount;
    private Compose<?, ?> compose;

    WorkerTaskContext(final int workerIndex)
    {
        this.workerIndex = workerIndex;
    }

    void begin(final JobHandle<?> job, final TaskId id)
    {
        this.job = job;
        this.id = id;
        state = NONE;
        value = null;
        childCount = 0;
        compose = null;
    }

    public void complete(final Object value)
    {
        if (state != NONE)
        {
            throw new IllegalStateException("task " + id + ": complete() after another outcome (state " + state + ")");
        }
        this.value = value;
        state = COMPLETED;
    }

    public <A> void spawn(final Task<A> child)
    {
        if (state != NONE && state != SPAWNING)
        {
            throw new IllegalStateException("task " + id + ": spawn() after complete() or compose()");
        }
        if (child == null)
        {
            throw new NullPointerException("task " + id + ": spawn(null)");
        }
        if (childCount == children.length)
        {
            children = Arrays.copyOf(children, childCount << 1);
        }
        children[childCount++] = child;
        state = SPAWNING;
    }

    public <A> void compose(final Compose<A, Object> successor)
    {
        if (state != SPAWNING)
        {
            throw new IllegalStateException("task " + id + ": compose() needs at least one spawn() before it");
        }
        if (successor == null)
        {
            throw new NullPointerException("task " + id + ": compose(null)");
        }
        compose = successor;
        state = COMPOSED;
    }

    public long incumbent()
    {
        return job.incumbent().get();
    }

    public boolean offerIncumbent(final long value)
    {
        return job.incumbent().offer(value);
    }

    public int workerIndex()
    {
        return workerIndex;
    }

    /**
     * Act on the outcome of the execution that just returned.
     *
     * @return the node to run next inline: the first child (work-first), or a successor made ready by our result.
     */
    Node finish(final Worker worker, final ResultSink successor, final int slot)
    {
        worker.onExecuted();
        if (state == COMPLETED)
        {
            final Object result = value;
            value = null;
            return successor.deliver(slot, result, worker);
        }
        if (state != COMPOSED)
        {
            throw new IllegalStateException(
                "task " + id + " returned without complete() or spawn()+compose() (state " + state + ")");
        }
        final int n = childCount;
        final JobHandle<?> job = this.job;
        final TaskId parentId = id;
        final ComposeNode composeNode = new ComposeNode(job, compose, parentId.child(n), n, successor, slot);
        // Push the later children, newest last, so the owner pops child 1 next and thieves take the highest index.
        for (int i = n - 1; i >= 1; i--)
        {
            worker.push(new TaskNode(job, children[i], parentId.child(i), composeNode, i));
            children[i] = null;
        }
        final Task<?> first = children[0];
        children[0] = null;
        compose = null;
        worker.onSpawned(n);
        return new TaskNode(job, first, parentId.child(0), composeNode, 0);
    }
}
