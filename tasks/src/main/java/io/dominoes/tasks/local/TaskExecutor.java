package io.dominoes.tasks.local;

import io.dominoes.core.idle.IdleStrategies;
import io.dominoes.tasks.api.ForkTask;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskId;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The in-JVM tier: a fixed set of worker threads, each with a work-stealing deque (owner LIFO, thieves FIFO).
 * Application tasks ({@link Task}/{@link io.dominoes.tasks.api.Compose}, or {@link ForkTask}) run unchanged on any
 * number of workers, 1 included. Thread safe: jobs may be submitted from any thread; counters read from any thread.
 */
public final class TaskExecutor implements AutoCloseable
{
    /**
     * Default idle, the replica runtime's ({@link IdleStrategies#defaultFor}): two-phase (spin one measured context
     * switch, then park 1 us .. 1 ms) when every worker has a core, else park without spinning, because a spinning
     * thief on an oversubscribed machine takes the core the worker it waits for needs. Other names:
     * {@link IdleStrategies#byName}.
     *
     * @param workerCount threads that will idle.
     * @return a supplier of fresh strategies (one per worker: strategies are stateful).
     */
    public static Supplier<IdleStrategy> defaultIdleStrategy(final int workerCount)
    {
        return IdleStrategies.defaultFor(workerCount, Runtime.getRuntime().availableProcessors());
    }

    private final Worker[] workers;
    private final Thread[] threads;
    private final ConcurrentLinkedQueue<Node> submissions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextJobId = new AtomicInteger();
    private volatile boolean running = true;
    /**
     * Workers that found nothing to do and may be parked in their idle strategy. Changed only on idle/busy
     * transitions (rare in steady state), read on every push: a plain load on x86 of a line that stays shared, so the
     * work-first path pays no atomic and no syscall while every worker is busy.
     */
    private final AtomicInteger idleWorkers = new AtomicInteger();

    /**
     * {@code -Ddominoes.tasks.wakeIdle=false} turns the unpark-on-push off (idle workers then only find work when
     * their park times out), for measuring what it buys. A static final: the JIT folds the test away.
     */
    static final boolean WAKE_IDLE = !"false".equals(System.getProperty("dominoes.tasks.wakeIdle"));

    /**
     * @param workerCount  threads, at least 1.
     * @param idleStrategy supplier of one idle strategy per worker (any Agrona {@link IdleStrategy}).
     */
    public TaskExecutor(final int workerCount, final Supplier<IdleStrategy> idleStrategy)
    {
        this(workerCount, idleStrategy, null);
    }

    /**
     * @param workerCount  threads, at least 1.
     * @param idleStrategy supplier of one idle strategy per worker.
     * @param pinCpus      CPU for worker i ({@code pinCpus[i]}), or null not to pin. Pinning keeps the scheduler
     *                     from stacking two workers on one core (it tends to place a woken thread on its waker's
     *                     core), see docs/results/tasks.md.
     */
    public TaskExecutor(final int workerCount, final Supplier<IdleStrategy> idleStrategy, final int[] pinCpus)
    {
        if (pinCpus != null && pinCpus.length != workerCount)
        {
            throw new IllegalArgumentException("pinCpus has " + pinCpus.length + " entries, need one per worker: " +
                workerCount);
        }
        if (workerCount < 1 || workerCount > 1024)
        {
            throw new IllegalArgumentException("workerCount must be in [1, 1024]: " + workerCount);
        }
        workers = new Worker[workerCount];
        threads = new Thread[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            workers[i] = new Worker(i, this, idleStrategy.get(), 256, pinCpus == null ? -1 : pinCpus[i]);
        }
        for (int i = 0; i < workerCount; i++)
        {
            threads[i] = new Thread(workers[i], "dominoes-task-worker-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /**
     * @param workerCount threads.
     * @return worker i's CPU: the i mod k-th of the k CPUs this thread may run on.
     */
    public static int[] allowedCpusRoundRobin(final int workerCount)
    {
        final int[] allowed = io.dominoes.os.affinity.CpuAffinity.allowedCpus();
        final int[] cpus = new int[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            cpus[i] = allowed[i % allowed.length];
        }
        return cpus;
    }

    /**
     * @param workerCount threads, with {@link #defaultIdleStrategy(int)}.
     */
    public TaskExecutor(final int workerCount)
    {
        this(workerCount, defaultIdleStrategy(workerCount));
    }

    /**
     * Run a job and wait for its result.
     *
     * @param root task.
     * @param <R>  result type.
     * @return the root's result.
     */
    public <R> R invoke(final Task<R> root)
    {
        return submit(root).join();
    }

    /**
     * @param root task.
     * @param <R>  result type.
     * @return handle of the new job, numbered from 0 in submission order.
     */
    public <R> JobHandle<R> submit(final Task<R> root)
    {
        final int jobId = nextJobId.getAndIncrement();
        return submit(root, TaskId.root(jobId), new Incumbent(), null);
    }

    /**
     * Submit a (sub)tree whose root id is given, e.g. a task received from a task server.
     *
     * @param root      task.
     * @param rootId    id of the root; its children get {@code rootId.child(i)}.
     * @param incumbent shared with other jobs or subtrees if desired.
     * @param listener  called once with (result, null) or (null, failure), on a worker thread; may be null.
     * @param <R>       result type.
     * @return handle.
     */
    public <R> JobHandle<R> submit(
        final Task<R> root,
        final TaskId rootId,
        final Incumbent incumbent,
        final BiConsumer<? super R, Throwable> listener)
    {
        checkRunning();
        final JobHandle<R> job = new JobHandle<>(rootId.jobId(), incumbent, listener);
        submissions.offer(new TaskNode(job, root, rootId, job, 0));
        signalWork(-1);
        return job;
    }

    void onWorkerIdle()
    {
        idleWorkers.incrementAndGet();
    }

    void onWorkerBusy()
    {
        idleWorkers.decrementAndGet();
    }

    /**
     * New stealable work on worker {@code from}'s deque: if some worker is idle, unpark the others now rather than
     * leave them parked up to their idle strategy's longest park (1 ms), which is what made a small job's start and
     * the first steal slow. An unpark of a thread that is not parked only makes its next park return at once.
     *
     * @param from the pushing worker, -1 for a submission from outside.
     */
    void signalWork(final int from)
    {
        if (WAKE_IDLE && idleWorkers.get() > 0)
        {
            for (int i = 0; i < threads.length; i++)
            {
                if (i != from)
                {
                    LockSupport.unpark(threads[i]);
                }
            }
        }
    }

    /**
     * Run a fork/join job and wait for its result.
     *
     * @param root task.
     * @param <R>  result type.
     * @return its result.
     */
    public <R> R invoke(final ForkTask<R> root)
    {
        checkRunning();
        final JobHandle<R> job = new JobHandle<>(nextJobId.getAndIncrement(), new Incumbent(), null);
        submissions.offer(new ForkNode<>(job, root, job, null));
        signalWork(-1);
        return job.join();
    }

    /**
     * @return number of workers.
     */
    public int workerCount()
    {
        return workers.length;
    }

    /**
     * @return tasks (and compose successors, and forked tasks) executed so far.
     */
    public long tasksExecuted()
    {
        long sum = 0;
        for (final Worker w : workers)
        {
            sum += w.counters.executed();
        }
        return sum;
    }

    /**
     * @return tasks spawned (or forked) so far.
     */
    public long tasksSpawned()
    {
        long sum = 0;
        for (final Worker w : workers)
        {
            sum += w.counters.spawned();
        }
        return sum;
    }

    /**
     * @return tasks taken by a thief from another worker's deque.
     */
    public long steals()
    {
        long sum = 0;
        for (final Worker w : workers)
        {
            sum += w.counters.stolen();
        }
        return sum;
    }

    /**
     * @return duplicate results recognised and dropped.
     */
    public long duplicatesDropped()
    {
        long sum = 0;
        for (final Worker w : workers)
        {
            sum += w.counters.duplicates();
        }
        return sum;
    }

    /**
     * @return approximate number of tasks waiting in deques and the submission queue now.
     */
    public long queued()
    {
        long sum = submissions.size();
        for (final Worker w : workers)
        {
            sum += w.queued();
        }
        return sum;
    }

    /**
     * Stop the workers (after their current chain) and wait for them.
     */
    public void close()
    {
        running = false;
        for (final Thread t : threads)
        {
            try
            {
                t.join(10_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    boolean isRunning()
    {
        return running;
    }

    Worker[] workers()
    {
        return workers;
    }

    Node pollSubmission()
    {
        return submissions.poll();
    }

    private void checkRunning()
    {
        if (!running)
        {
            throw new IllegalStateException("executor is closed");
        }
    }
}
