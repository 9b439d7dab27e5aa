package io.dominoes.tasks.remote;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.dominoes.tasks.api.TaskId;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The task server process's transport: receives on {@code channel} (stream {@link Wire#SERVER_STREAM_ID}) from
 * workers and clients, feeds {@link TaskServerState}, and sends to each worker's and client's own channel. One duty
 * thread; the state machine is only touched by it (plus {@link #stats()} snapshots taken on it).
 */
public final class TaskServer implements AutoCloseable, ServerOutbox
{
    private final AeronNode node;
    private final Subscription subscription;
    private final TaskServerState state;
    private final Map<String, ExclusivePublication> publications = new HashMap<>();
    private final Wire.Writer writer = new Wire.Writer();
    private final Wire.Reader reader = new Wire.Reader();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile long[] lastJobStats;
    private volatile int workerCount;
    private volatile long workersLost;
    private volatile long invalidMessages;
    private volatile long tasksIssued;
    private long nowNs;

    /**
     * @param channel         to receive on, e.g. {@code aeron:udp?endpoint=127.0.0.1:40123}.
     * @param aeronDir        embedded driver directory, null for a random one.
     * @param workerTimeoutMs silence after which a worker is declared failed.
     * @param reissueAfterMs  age after which an idle worker may get a duplicate of an outstanding task.
     */
    public TaskServer(final String channel, final String aeronDir, final long workerTimeoutMs,
        final long reissueAfterMs)
    {
        node = new AeronNode(aeronDir);
        subscription = node.aeron().addSubscription(channel, Wire.SERVER_STREAM_ID);
        state = new TaskServerState(this, TimeUnit.MILLISECONDS.toNanos(workerTimeoutMs),
            TimeUnit.MILLISECONDS.toNanos(reissueAfterMs));
        thread = new Thread(this::runDutyCycle, "dominoes-task-server");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @return workers currently registered.
     */
    public int workerCount()
    {
        return workerCount;
    }

    /**
     * @return tasks sent to workers so far, all jobs (refreshed every 20 ms).
     */
    public long tasksIssued()
    {
        return tasksIssued;
    }

    /**
     * @return workers declared failed so far.
     */
    public long workersLost()
    {
        return workersLost;
    }

    /**
     * @return malformed messages counted and dropped.
     */
    public long invalidMessages()
    {
        return invalidMessages;
    }

    /**
     * @return stats of the last finished job: created, accepted, issues, reissues, duplicates; null before.
     */
    public long[] lastJobStats()
    {
        return lastJobStats;
    }

    public void close()
    {
        running = false;
        try
        {
            stopped.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        node.close();
    }

    private void runDutyCycle()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
        long nextTickNs = 0;
        try
        {
            while (running)
            {
                // The clock is read here, at the edge, and passed into the state machine.
                nowNs = System.nanoTime();
                int work = subscription.poll(assembler, 64);
                if (nowNs - nextTickNs >= 0)
                {
                    state.onTick(nowNs);
                    nextTickNs = nowNs + 20_000_000L;
                    workerCount = state.workerCount();
                    workersLost = state.workersLost();
                    invalidMessages = state.invalidMessages();
                    tasksIssued = state.totalIssues();
                    work++;
                }
                idle.idle(work);
            }
        }
        finally
        {
            stopped.countDown();
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        ServerInputs.apply(state, reader, buffer, offset, length, nowNs, this::publication);
    }

    public boolean sendTask(
        final long workerId,
        final String channel,
        final TaskId id,
        final boolean split,
        final int kind,
        final byte[] body,
        final byte[][] args)
    {
        writer.reset(Wire.TASK).putId(id).putInt(split ? 1 : 0).putInt(kind).putBytes(body);
        writer.putInt(args == null ? 0 : args.length);
        if (args != null)
        {
            for (final byte[] arg : args)
            {
                writer.putBytes(arg);
            }
        }
        return offer(channel);
    }

    public void sendJobDone(final String clientChannel, final int jobId, final long[] stats, final byte[] value)
    {
        lastJobStats = stats.clone();
        writer.reset(Wire.JOB_DONE).putInt(jobId);
        for (final long s : stats)
        {
            writer.putLong(s);
        }
        writer.putBytes(value);
        // The client is waiting on exactly this message: retry briefly rather than lose the job's result.
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (!offer(clientChannel) && System.nanoTime() - deadlineNs < 0)
        {
            Thread.yield();
        }
    }

    public void sendJobFailed(final String clientChannel, final int jobId, final String path, final String description,
        final int attempts)
    {
        writer.reset(Wire.JOB_FAILED).putInt(jobId).putString(path).putString(description).putInt(attempts);
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (!offer(clientChannel) && System.nanoTime() - deadlineNs < 0)
        {
            Thread.yield();
        }
    }

    public void sendIncumbent(final String channel, final int jobId, final long value)
    {
        writer.reset(Wire.INCUMBENT).putInt(jobId).putLong(value);
        offer(channel);
    }

    private boolean offer(final String channel)
    {
        return publication(channel).offer(writer.buffer, 0, writer.length) > 0;
    }

    private ExclusivePublication publication(final String channel)
    {
        return publications.computeIfAbsent(
            channel, c -> node.aeron().addExclusivePublication(c, Wire.WORKER_STREAM_ID));
    }
}
