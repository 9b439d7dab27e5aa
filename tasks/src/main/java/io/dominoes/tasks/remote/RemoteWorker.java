package io.dominoes.tasks.remote;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskId;
import io.dominoes.tasks.local.Incumbent;
import io.dominoes.tasks.local.TaskExecutor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A worker process's side of the remote tier: takes tasks from a task server and runs them, unchanged, on a local
 * {@link TaskExecutor} (whose threads steal from each other first), returning results, or (for a task issued with
 * {@code split}) its children and compose. Joins by sending heartbeats; may leave ({@link #close()}) or die at any
 * time, the server re-issues what it held.
 */
public final class RemoteWorker implements AutoCloseable
{
    private static final Object FAILED = new Object();
    private static final long HEARTBEAT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long workerId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    private final AeronNode node;
    private final Subscription subscription;
    private final ExclusivePublication toServer;
    private final TaskExecutor executor;
    private final int capacity;
    private final Queue<Object[]> outcomes = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Incumbent> incumbents = new ConcurrentHashMap<>();
    private final Wire.Writer writer = new Wire.Writer();
    private final Wire.Reader reader = new Wire.Reader();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long tasksReceived;
    private volatile long invalidMessages;
    private long finished;
    private String channel;
    private Object[] unsent;

    /**
     * @param serverChannel the server's receive channel.
     * @param listenChannel this worker's receive channel; port 0 picks a free one.
     * @param threads       local worker threads.
     * @param aeronDir      embedded driver directory, null for a random one.
     */
    public RemoteWorker(final String serverChannel, final String listenChannel, final int threads,
        final String aeronDir)
    {
        node = new AeronNode(aeronDir);
        subscription = node.aeron().addSubscription(listenChannel, Wire.WORKER_STREAM_ID);
        toServer = node.aeron().addExclusivePublication(serverChannel, Wire.SERVER_STREAM_ID);
        executor = new TaskExecutor(threads);
        // Two per thread: one running, one queued locally so a thread never waits a round trip for its next task.
        capacity = 2 * threads;
        thread = new Thread(this::runDutyCycle, "dominoes-remote-worker");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @return tasks received from the server so far.
     */
    public long tasksReceived()
    {
        return tasksReceived;
    }

    /**
     * @return the local executor (counters).
     */
    public TaskExecutor executor()
    {
        return executor;
    }

    /**
     * Leave: tell the server (so it re-issues at once), stop.
     */
    public void close()
    {
        running = false;
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        executor.close();
        node.close();
    }

    private void runDutyCycle()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
        long nextHeartbeatNs = 0;
        while (running)
        {
            int work = subscription.poll(assembler, 16);
            work += sendOutcomes();
            final long nowNs = System.nanoTime();
            if (nowNs - nextHeartbeatNs >= 0)
            {
                if (channel == null)
                {
                    // Port 0 in the listen channel: learn the port the driver bound, and tell the server that.
                    channel = subscription.tryResolveChannelEndpointPort();
                }
                if (channel != null)
                {
                    writer.reset(Wire.HEARTBEAT).putLong(workerId).putInt(capacity).putLong(finished)
                        .putString(channel);
                    toServer.offer(writer.buffer, 0, writer.length);
                }
                nextHeartbeatNs = nowNs + HEARTBEAT_INTERVAL_NS;
            }
            idle.idle(work);
        }
        writer.reset(Wire.GOODBYE).putLong(workerId);
        toServer.offer(writer.buffer, 0, writer.length);
    }

    private int sendOutcomes()
    {
        int sent = 0;
        while (true)
        {
            final Object[] outcome = unsent != null ? unsent : outcomes.poll();
            if (outcome == null)
            {
                return sent;
            }
            if (unsent == null && !encode(outcome))
            {
                continue;
            }
            if (toServer.offer(writer.buffer, 0, writer.length) < 0)
            {
                // Back pressure or not yet connected: keep the encoded message and retry next cycle.
                unsent = outcome;
                return sent;
            }
            unsent = null;
            sent++;
        }
    }

    /**
     * Encode an outcome into the writer.
     *
     * @return false when there is nothing to send (a failed task: it only frees its credit).
     */
    private boolean encode(final Object[] outcome)
    {
        final TaskId id = (TaskId)outcome[0];
        final Object value = outcome[1];
        if (value instanceof IncumbentUpdate)
        {
            final IncumbentUpdate update = (IncumbentUpdate)value;
            writer.reset(Wire.INCUMBENT).putInt(update.jobId).putLong(update.value);
            return true;
        }
        // Every task received is finished exactly once here, whatever its outcome: the server's credit count.
        finished++;
        if (value == FAILED)
        {
            return false;
        }
        if (value instanceof SplitProbe.Spawned)
        {
            final SplitProbe.Spawned spawned = (SplitProbe.Spawned)value;
            writer.reset(Wire.SPAWNED).putLong(workerId).putLong(finished).putId(id).putInt(spawned.children.size());
            for (final Task<?> child : spawned.children)
            {
                writer.putBytes(JavaSerialization.toBytes(child));
            }
            writer.putBytes(JavaSerialization.toBytes(spawned.compose));
            return true;
        }
        final Object result = value instanceof SplitProbe.Completed ? ((SplitProbe.Completed)value).value : value;
        writer.reset(Wire.RESULT).putLong(workerId).putLong(finished).putId(id)
            .putBytes(JavaSerialization.toBytes(result));
        return true;
    }

    private static final class IncumbentUpdate
    {
        final int jobId;
        final long value;

        IncumbentUpdate(final int jobId, final long value)
        {
            this.jobId = jobId;
            this.value = value;
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final Wire.Reader r = reader.wrap(buffer, offset, length);
        final int type = r.getInt();
        if (type == Wire.TASK)
        {
            final TaskId id = r.getId();
            final boolean split = r.getInt() != 0;
            final int kind = r.getInt();
            final byte[] body = r.getBytes();
            final int argc = r.getInt();
            if (r.ok() && argc >= 0 && argc <= Wire.MAX_CHILDREN)
            {
                final Object[] args = new Object[argc];
                boolean valid = true;
                for (int i = 0; i < argc && valid; i++)
                {
                    final byte[] arg = r.getBytes();
                    args[i] = arg == null ? JavaSerialization.INVALID : JavaSerialization.fromBytes(arg);
                    valid = args[i] != JavaSerialization.INVALID;
                }
                final Object decoded = JavaSerialization.fromBytes(body);
                if (valid && r.ok() && onTask(id, split, kind, decoded, args))
                {
                    return;
                }
            }
        }
        else if (type == Wire.INCUMBENT)
        {
            final int jobId = r.getInt();
            final long value = r.getLong();
            if (r.ok())
            {
                incumbent(jobId).offer(value);
                return;
            }
        }
        invalidMessages++;
    }

    private boolean onTask(final TaskId id, final boolean split, final int kind, final Object decoded,
        final Object[] args)
    {
        final Task<?> task;
        if (kind == Wire.KIND_TASK && decoded instanceof Task)
        {
            task = (Task<?>)decoded;
        }
        else if (kind == Wire.KIND_COMPOSE && decoded instanceof Compose)
        {
            task = new ComposeAsTask((Compose<?, ?>)decoded, args);
        }
        else
        {
            return false;
        }
        tasksReceived++;
        final Incumbent incumbent = incumbent(id.jobId());
        final Task<?> toRun = split ? new SplitProbe(task) : task;
        executor.submit(toRun, id, incumbent, (value, failure) ->
        {
            if (failure != null)
            {
                // The task threw: no completion is reported, so the server re-issues it to another worker once it
                // has been outstanding for the reissue time; here it only frees its credit.
                System.err.println("dominoes worker: task " + id + " failed: " + failure);
                outcomes.add(new Object[]{ id, FAILED });
                return;
            }
            outcomes.add(new Object[]{ id, value });
        });
        return true;
    }

    private Incumbent incumbent(final int jobId)
    {
        return incumbents.computeIfAbsent(jobId, j ->
        {
            final Incumbent incumbent = new Incumbent();
            incumbent.onImproved(v -> outcomes.add(new Object[]{ null, new IncumbentUpdate(j, v) }));
            return incumbent;
        });
    }

    /**
     * Worker process entry point, also used by tests to start workers as child JVMs.
     *
     * @param args server channel, listen channel, threads, [aeron dir].
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length < 3)
        {
            System.err.println("usage: RemoteWorker <server channel> <listen channel> <threads> [aeron dir]");
            System.exit(2);
        }
        final RemoteWorker worker = new RemoteWorker(args[0], args[1], Integer.parseInt(args[2]),
            args.length > 3 ? args[3] : null);
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
        System.out.println("worker " + worker.workerId + " started");
        System.out.flush();
        Thread.currentThread().join();
    }
}
