package io.dominoes.tasks.local;

import io.dominoes.tasks.api.ForkTask;
import io.dominoes.tasks.api.Forker;
import io.dominoes.tasks.api.Joinable;
import io.dominoes.tasks.api.TaskFailedException;
import org.agrona.concurrent.IdleStrategy;

/**
 * One worker thread of a {@link TaskExecutor}: runs its own deque LIFO, steals FIFO from siblings when empty, then
 * takes external submissions, then idles with the configured {@link IdleStrategy}.
 */
final class Worker implements Runnable, Forker
{
    final int index;
    final WorkerTaskContext context;
    final WorkerCounters counters = new WorkerCounters();
    private final WorkStealingDeque<Node> deque;
    private final TaskExecutor executor;
    private final IdleStrategy idleStrategy;
    private int randomState;
    private boolean idle;
    private final int pinCpu;

    Worker(final int index, final TaskExecutor executor, final IdleStrategy idleStrategy, final int dequeCapacity,
        final int pinCpu)
    {
        this.pinCpu = pinCpu;
        this.index = index;
        this.executor = executor;
        this.idleStrategy = idleStrategy;
        this.context = new WorkerTaskContext(index);
        this.deque = new WorkStealingDeque<>(dequeCapacity);
        this.randomState = 0x9E3779B9 * (index + 1);
    }

    public void run()
    {
        if (pinCpu >= 0)
        {
            io.dominoes.os.affinity.CpuAffinity.pinCurrentThread(pinCpu);
        }
        while (executor.isRunning())
        {
            Node node = deque.take();
            if (node == null)
            {
                node = stealOrPoll();
            }
            if (node == null)
            {
                if (!idle)
                {
                    // Announce before the first idle call; a push that misses the announcement (the owner read 0
                    // just before our increment) costs at most one bounded park, never liveness: idle strategies
                    // park for at most 1 ms and every wake-up re-polls.
                    idle = true;
                    executor.onWorkerIdle();
                    continue;
                }
                idleStrategy.idle(0);
                continue;
            }
            if (idle)
            {
                idle = false;
                executor.onWorkerBusy();
            }
            idleStrategy.reset();
            runChain(node);
        }
    }

    /**
     * Run a node and then whatever it hands back to run inline (first child, ready successor) until the chain ends:
     * the sequential path of a spawn tree costs a loop iteration, not a deque round trip.
     */
    void runChain(final Node first)
    {
        Node node = first;
        while (node != null)
        {
            try
            {
                node = node.run(this);
            }
            catch (final Throwable t)
            {
                // The job fails with the task's path; the worker (and executor) carries on with other work.
                node.job.fail(new TaskFailedException(node.path(), t));
                node = null;
            }
        }
    }

    void push(final Node node)
    {
        deque.push(node);
        executor.signalWork(index);
    }

    int queued()
    {
        return deque.size();
    }

    void onExecuted()
    {
        counters.addExecuted(1);
    }

    void onSpawned(final int n)
    {
        counters.addSpawned(n);
    }

    void onDuplicate()
    {
        counters.addDuplicates(1);
    }

    Forker forker()
    {
        return this;
    }

    public <A> Joinable<A> fork(final ForkTask<A> task)
    {
        final ForkNode<A> node = new ForkNode<>(null, task, null, this);
        counters.addSpawned(1);
        deque.push(node);
        executor.signalWork(index);
        return node;
    }

    public int workerIndex()
    {
        return index;
    }

    /**
     * Join: run our own newest nodes (usually the joined one itself, LIFO), else steal, until the node is done.
     */
    void helpUntilDone(final ForkNode<?> target)
    {
        int idleRounds = 0;
        while (!target.isDone())
        {
            Node node = deque.take();
            if (node == null)
            {
                node = steal();
            }
            if (node != null)
            {
                idleRounds = 0;
                runChain(node);
            }
            else if (++idleRounds < 64)
            {
                Thread.onSpinWait();
            }
            else
            {
                // The thief that has our subtask is running it: give it the core (2-core machines).
                Thread.yield();
            }
        }
    }

    private Node stealOrPoll()
    {
        final Node stolen = steal();
        if (stolen != null)
        {
            return stolen;
        }
        return executor.pollSubmission();
    }

    private Node steal()
    {
        final Worker[] workers = executor.workers();
        final int n = workers.length;
        if (n > 1)
        {
            int r = randomState;
            r ^= r << 13;
            r ^= r >>> 17;
            r ^= r << 5;
            randomState = r;
            final int start = (r & Integer.MAX_VALUE) % n;
            for (int i = 0; i < n; i++)
            {
                final Worker victim = workers[(start + i) % n];
                if (victim != this)
                {
                    final Node node = victim.deque.steal();
                    if (node != null)
                    {
                        counters.addStolen(1);
                        return node;
                    }
                }
            }
        }
        return null;
    }
}
