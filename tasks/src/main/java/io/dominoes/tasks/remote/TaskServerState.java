package io.dominoes.tasks.remote;

import io.dominoes.tasks.api.TaskId;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task server's state machine (CX's task server): the server-resident part of every job's task graph, and the
 * workers. Single threaded; time is an input ({@code nowNs} on every call), no clock is read here, so the same inputs
 * give the same outputs (which is what a replicated task server on dominoes-core needs).
 * <p>
 * Eager scheduling: a task stays live here from creation until its first completion (a result, or children plus a
 * compose) arrives; any later completion of the same id is a duplicate and is dropped. Tasks held by a worker that
 * stops sending heartbeats go back to the ready queue; when nothing is ready, an idle worker gets a duplicate of the
 * longest-outstanding task, so a slow worker cannot hold a job up either.
 * <p>
 * Granularity: a task is issued with {@code split} when the ready queue is short; the worker then returns the task's
 * children and compose to the server (the graph is expanded at the server, breadth first, until every worker has
 * enough to do). Other tasks run whole on a worker, whose own threads steal from each other first (hierarchical
 * stealing: local siblings first, other workers only through the server).
 */
final class TaskServerState
{
    static final int STAT_CREATED = 0;
    static final int STAT_ACCEPTED = 1;
    static final int STAT_ISSUES = 2;
    static final int STAT_REISSUES = 3;
    static final int STAT_DUPLICATES = 4;

    private static final class ServerTask
    {
        final TaskId id;
        final int kind;
        final byte[] body;
        final byte[][] args;
        int missing;
        final TaskId successor;
        final int slot;
        final Job job;
        final List<Long> holders = new ArrayList<>(2);
        int issues;
        int failures;
        long lastIssueNs;

        ServerTask(
            final TaskId id,
            final int kind,
            final byte[] body,
            final int argCount,
            final TaskId successor,
            final int slot,
            final Job job)
        {
            this.id = id;
            this.kind = kind;
            this.body = body;
            this.args = kind == Wire.KIND_COMPOSE ? new byte[argCount][] : null;
            this.missing = argCount;
            this.successor = successor;
            this.slot = slot;
            this.job = job;
        }
    }

    private static final class Job
    {
        final int jobId;
        final String clientChannel;
        final long[] stats = new long[5];
        final Set<TaskId> completed = new HashSet<>();
        long incumbent = Long.MIN_VALUE;

        Job(final int jobId, final String clientChannel)
        {
            this.jobId = jobId;
            this.clientChannel = clientChannel;
        }
    }

    private static final class WorkerInfo
    {
        final long workerId;
        final String channel;
        int capacity;
        long sent;
        long finished;
        long lastSeenNs;

        WorkerInfo(final long workerId, final String channel)
        {
            this.workerId = workerId;
            this.channel = channel;
        }

        int credits()
        {
            // finished may run ahead of sent after an emitter change reset sent (tasks still running then).
            return (int)Math.max(0, Math.min(capacity, capacity - (sent - finished)));
        }
    }

    /**
     * A job's final message, kept for a few jobs so a new emitter can send it again (see
     * {@link #onEmitterChanged(long)}).
     */
    private static final class Finished
    {
        final String clientChannel;
        final int jobId;
        final long[] stats;
        final byte[] value;
        final String failedPath;
        final String failure;
        final int attempts;

        Finished(final String clientChannel, final int jobId, final long[] stats, final byte[] value,
            final String failedPath, final String failure, final int attempts)
        {
            this.clientChannel = clientChannel;
            this.jobId = jobId;
            this.stats = stats;
            this.value = value;
            this.failedPath = failedPath;
            this.failure = failure;
            this.attempts = attempts;
        }
    }

    private static final int RECENT_FINISHED = 16;

    private final ServerOutbox outbox;
    private final long workerTimeoutNs;
    private final long reissueAfterNs;
    private final int maxFailures;
    private final ArrayDeque<Finished> recentlyFinished = new ArrayDeque<>();
    private final Set<Long> submissions = new HashSet<>();
    private final Map<TaskId, ServerTask> live = new HashMap<>();
    private final ArrayDeque<ServerTask> ready = new ArrayDeque<>();
    private final ArrayDeque<ServerTask> issuedOrder = new ArrayDeque<>();
    private final Map<Integer, Job> jobs = new HashMap<>();
    private final Map<Long, WorkerInfo> workers = new LinkedHashMap<>();
    private int nextJobId;
    private long invalidMessages;
    private long workersLost;
    private long totalIssues;

    /**
     * @param outbox          transport.
     * @param workerTimeoutNs silence after which a worker is declared failed and its tasks re-issued.
     * @param reissueAfterNs  outstanding time after which an idle worker may get a duplicate of a task.
     */
    TaskServerState(final ServerOutbox outbox, final long workerTimeoutNs, final long reissueAfterNs)
    {
        this(outbox, workerTimeoutNs, reissueAfterNs, DEFAULT_MAX_FAILURES);
    }

    /**
     * Failures of one task (one path) after which its job fails: a task that throws is deterministic more often
     * than not, so re-issuing it forever would hang the job; a few attempts still ride out a worker-local fault.
     */
    static final int DEFAULT_MAX_FAILURES = 3;

    /**
     * @param outbox          transport.
     * @param workerTimeoutNs silence after which a worker is declared failed and its tasks re-issued.
     * @param reissueAfterNs  outstanding time after which an idle worker may get a duplicate of a task.
     * @param maxFailures     failures of the same task after which its job fails, {@code >= 1}.
     */
    TaskServerState(final ServerOutbox outbox, final long workerTimeoutNs, final long reissueAfterNs,
        final int maxFailures)
    {
        if (maxFailures < 1)
        {
            throw new IllegalArgumentException("maxFailures=" + maxFailures + " must be >= 1");
        }
        this.outbox = outbox;
        this.workerTimeoutNs = workerTimeoutNs;
        this.reissueAfterNs = reissueAfterNs;
        this.maxFailures = maxFailures;
    }

    /**
     * A client submits a job, at most once per nonce: a submission that reaches the log twice (once through each
     * server replica's gateway) starts one job.
     *
     * @return the new job's id, -1 for a repeated nonce.
     */
    int onSubmit(final long nonce, final String clientChannel, final byte[] rootTask, final long nowNs)
    {
        if (!submissions.add(nonce))
        {
            return -1;
        }
        return onSubmit(clientChannel, rootTask, nowNs);
    }

    /**
     * A task threw on a worker. It goes back to ready (another worker, or the same, runs it again) until it has
     * failed {@code maxFailures} times; then its job fails and the client gets the path and the last description.
     */
    void onFailed(final long workerId, final long finished, final TaskId id, final String description,
        final long nowNs)
    {
        touch(workerId, finished, nowNs);
        final ServerTask task = live.get(id);
        if (task == null)
        {
            final Job job = jobs.get(id.jobId());
            if (job != null)
            {
                job.stats[STAT_DUPLICATES]++;
            }
            return;
        }
        task.holders.remove(Long.valueOf(workerId));
        if (++task.failures >= maxFailures)
        {
            final Job job = task.job;
            jobs.remove(job.jobId);
            final String path = String.valueOf(id);
            remember(new Finished(job.clientChannel, job.jobId, job.stats.clone(), null, path, description,
                task.failures));
            outbox.sendJobFailed(job.clientChannel, job.jobId, path, description, task.failures);
            purgeJob(job);
        }
        else if (task.holders.isEmpty())
        {
            ready.addFirst(task);
        }
        dispatch(nowNs);
    }

    /**
     * The replica that sends this state machine's output changed (replicated server: the emitter died, or one with
     * a lower index joined). What the old emitter decided may never have left, so: every worker's outstanding
     * count restarts from what it reported finished, every held task goes back to ready (a copy that did arrive
     * completes first, the other completion is dropped by id), and the last jobs' final messages and the
     * incumbents are sent again (clients and workers drop repeats).
     */
    void onEmitterChanged(final long nowNs)
    {
        for (final WorkerInfo worker : workers.values())
        {
            worker.sent = worker.finished;
        }
        for (final ServerTask task : live.values())
        {
            if (!task.holders.isEmpty())
            {
                task.holders.clear();
                ready.addFirst(task);
            }
        }
        for (final Finished f : recentlyFinished)
        {
            if (f.failedPath == null)
            {
                outbox.sendJobDone(f.clientChannel, f.jobId, f.stats, f.value);
            }
            else
            {
                outbox.sendJobFailed(f.clientChannel, f.jobId, f.failedPath, f.failure, f.attempts);
            }
        }
        for (final Job job : jobs.values())
        {
            if (job.incumbent != Long.MIN_VALUE)
            {
                for (final WorkerInfo worker : workers.values())
                {
                    outbox.sendIncumbent(worker.channel, job.jobId, job.incumbent);
                }
            }
        }
        dispatch(nowNs);
    }

    /**
     * @return a digest of the replicated state (jobs, live tasks and their progress, workers), for divergence checks
     * between server replicas. O(live tasks): call every few thousand events, not per event.
     */
    long digest()
    {
        long h = nextJobId;
        for (final ServerTask task : live.values())
        {
            h += task.id.hashCode() * 31L + task.missing * 7L + task.holders.size() * 3L + task.failures;
        }
        for (final WorkerInfo worker : workers.values())
        {
            h = h * 31 + worker.workerId + worker.sent * 17 + worker.capacity;
        }
        return h * 31 + jobs.size();
    }

    private void remember(final Finished finished)
    {
        if (recentlyFinished.size() == RECENT_FINISHED)
        {
            recentlyFinished.pollFirst();
        }
        recentlyFinished.addLast(finished);
    }

    /**
     * A client submits a job.
     *
     * @return the new job's id.
     */
    int onSubmit(final String clientChannel, final byte[] rootTask, final long nowNs)
    {
        final int jobId = nextJobId++;
        final Job job = new Job(jobId, clientChannel);
        jobs.put(jobId, job);
        addReady(new ServerTask(TaskId.root(jobId), Wire.KIND_TASK, rootTask, 0, null, 0, job));
        dispatch(nowNs);
        return jobId;
    }

    void onHeartbeat(final long workerId, final int capacity, final long finished, final String channel,
        final long nowNs)
    {
        WorkerInfo worker = workers.get(workerId);
        if (worker == null)
        {
            worker = new WorkerInfo(workerId, channel);
            // A worker (re)joining: tasks it finished before count as neither sent nor outstanding here.
            worker.sent = finished;
            workers.put(workerId, worker);
            for (final Job job : jobs.values())
            {
                if (job.incumbent != Long.MIN_VALUE)
                {
                    outbox.sendIncumbent(channel, job.jobId, job.incumbent);
                }
            }
        }
        worker.capacity = capacity;
        worker.finished = Math.max(worker.finished, finished);
        worker.lastSeenNs = nowNs;
        dispatch(nowNs);
    }

    void onGoodbye(final long workerId, final long nowNs)
    {
        final WorkerInfo worker = workers.remove(workerId);
        if (worker != null)
        {
            releaseTasksOf(workerId);
            dispatch(nowNs);
        }
    }

    void onResult(final long workerId, final long finished, final TaskId id, final byte[] value, final long nowNs)
    {
        touch(workerId, finished, nowNs);
        final ServerTask task = completeOrDrop(id);
        if (task != null)
        {
            deliver(task.job, task.successor, task.slot, value);
        }
        dispatch(nowNs);
    }

    void onSpawned(
        final long workerId,
        final long finished,
        final TaskId id,
        final byte[][] children,
        final byte[] compose,
        final long nowNs)
    {
        touch(workerId, finished, nowNs);
        final ServerTask task = completeOrDrop(id);
        if (task != null)
        {
            final int n = children.length;
            final ServerTask successor = new ServerTask(
                id.child(n), Wire.KIND_COMPOSE, compose, n, task.successor, task.slot, task.job);
            live.put(successor.id, successor);
            task.job.stats[STAT_CREATED]++;
            for (int i = 0; i < n; i++)
            {
                addReady(new ServerTask(id.child(i), Wire.KIND_TASK, children[i], 0, successor.id, i, task.job));
            }
        }
        dispatch(nowNs);
    }

    void onIncumbent(final int jobId, final long value)
    {
        final Job job = jobs.get(jobId);
        if (job != null && value > job.incumbent)
        {
            job.incumbent = value;
            for (final WorkerInfo worker : workers.values())
            {
                outbox.sendIncumbent(worker.channel, jobId, value);
            }
        }
    }

    /**
     * Periodic duty: declare silent workers failed, and hand out work.
     */
    void onTick(final long nowNs)
    {
        final Iterator<WorkerInfo> it = workers.values().iterator();
        boolean lost = false;
        while (it.hasNext())
        {
            final WorkerInfo worker = it.next();
            if (nowNs - worker.lastSeenNs > workerTimeoutNs)
            {
                it.remove();
                workersLost++;
                releaseTasksOf(worker.workerId);
                lost = true;
            }
        }
        if (lost || !workers.isEmpty())
        {
            dispatch(nowNs);
        }
    }

    void onInvalidMessage()
    {
        invalidMessages++;
    }

    long invalidMessages()
    {
        return invalidMessages;
    }

    long workersLost()
    {
        return workersLost;
    }

    long totalIssues()
    {
        return totalIssues;
    }

    int workerCount()
    {
        return workers.size();
    }

    int liveTasks()
    {
        return live.size();
    }

    private void touch(final long workerId, final long finished, final long nowNs)
    {
        final WorkerInfo worker = workers.get(workerId);
        if (worker != null)
        {
            worker.finished = Math.max(worker.finished, finished);
            worker.lastSeenNs = nowNs;
        }
    }

    private ServerTask completeOrDrop(final TaskId id)
    {
        final ServerTask task = live.get(id);
        if (task == null || (task.kind == Wire.KIND_COMPOSE && task.missing > 0))
        {
            final Job job = jobs.get(id.jobId());
            if (job != null)
            {
                job.stats[STAT_DUPLICATES]++;
            }
            return null;
        }
        live.remove(id);
        // Every id is accepted once: the completed set is the proof kept for the job's lifetime.
        if (!task.job.completed.add(id))
        {
            throw new IllegalStateException("task " + id + " completed twice");
        }
        task.job.stats[STAT_ACCEPTED]++;
        return task;
    }

    private void deliver(final Job job, final TaskId successorId, final int slot, final byte[] value)
    {
        if (successorId == null)
        {
            jobs.remove(job.jobId);
            remember(new Finished(job.clientChannel, job.jobId, job.stats.clone(), value, null, null, 0));
            outbox.sendJobDone(job.clientChannel, job.jobId, job.stats, value);
            purgeJob(job);
            return;
        }
        final ServerTask successor = live.get(successorId);
        if (successor == null || successor.args[slot] != null)
        {
            job.stats[STAT_DUPLICATES]++;
            return;
        }
        successor.args[slot] = value;
        if (--successor.missing == 0)
        {
            // Ready composes go first: finishing a subtree frees memory and feeds its parent.
            ready.addFirst(successor);
        }
    }

    private void addReady(final ServerTask task)
    {
        live.put(task.id, task);
        task.job.stats[STAT_CREATED]++;
        ready.addLast(task);
    }

    private void releaseTasksOf(final long workerId)
    {
        for (final ServerTask task : live.values())
        {
            if (task.holders.remove(Long.valueOf(workerId)) && task.holders.isEmpty())
            {
                ready.addFirst(task);
            }
        }
    }

    private void purgeJob(final Job job)
    {
        live.values().removeIf(t -> t.job == job);
        ready.removeIf(t -> t.job == job);
        issuedOrder.removeIf(t -> t.job == job);
    }

    private void dispatch(final long nowNs)
    {
        int totalCapacity = 0;
        for (final WorkerInfo worker : workers.values())
        {
            totalCapacity += worker.capacity;
        }
        for (final WorkerInfo worker : workers.values())
        {
            while (worker.credits() > 0)
            {
                ServerTask task = pollReady();
                if (task == null)
                {
                    task = oldestOutstandingNotHeldBy(worker.workerId, nowNs);
                    if (task == null)
                    {
                        break;
                    }
                }
                final boolean split = ready.size() < 2 * totalCapacity;
                if (!issue(worker, task, split, nowNs))
                {
                    // Not reachable yet (publication still connecting): keep the task, try this worker next tick.
                    if (task.holders.isEmpty())
                    {
                        ready.addFirst(task);
                    }
                    break;
                }
            }
        }
    }

    private ServerTask pollReady()
    {
        ServerTask task;
        while ((task = ready.pollFirst()) != null)
        {
            // Lazy removal: a task completed (or re-queued twice) since it was queued is skipped here.
            if (live.get(task.id) == task && task.holders.isEmpty())
            {
                return task;
            }
        }
        return null;
    }

    private ServerTask oldestOutstandingNotHeldBy(final long workerId, final long nowNs)
    {
        final int scan = issuedOrder.size();
        for (int i = 0; i < scan; i++)
        {
            final ServerTask task = issuedOrder.peekFirst();
            if (live.get(task.id) != task)
            {
                issuedOrder.pollFirst();
                continue;
            }
            if (nowNs - task.lastIssueNs < reissueAfterNs)
            {
                return null;
            }
            issuedOrder.pollFirst();
            if (!task.holders.contains(workerId))
            {
                return task;
            }
            issuedOrder.addLast(task);
        }
        return null;
    }

    private boolean issue(final WorkerInfo worker, final ServerTask task, final boolean split, final long nowNs)
    {
        if (!outbox.sendTask(worker.workerId, worker.channel, task.id, split, task.kind, task.body, task.args))
        {
            return false;
        }
        totalIssues++;
        task.holders.add(worker.workerId);
        task.job.stats[STAT_ISSUES]++;
        if (task.issues++ > 0)
        {
            task.job.stats[STAT_REISSUES]++;
        }
        task.lastIssueNs = nowNs;
        issuedOrder.addLast(task);
        worker.sent++;
        return true;
    }
}
