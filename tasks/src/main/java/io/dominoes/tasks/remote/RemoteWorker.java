package io.dominoes.tasks.remote;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskFailedException;
import io.dominoes.tasks.api.TaskId;
import io.dominoes.tasks.local.Incumbent;
import io.dominoes.tasks.local.TaskExecutor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A worker process's side of the remote tier: takes tasks from a task server and runs them, unchanged, on a local
 * {@link TaskExecutor} (whose threads steal from each other first), returning results, or (for a task issued with
 * {@code split}) its children and compose. Joins by sending heartbeats; may leave ({@link #close()}) or die at any
 * time, the server re-issues what it held.
 */
public final class RemoteWorker implements AutoCloseable
{
    private static final long HEARTBEAT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long workerId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    private final AeronNode node;
    private final Subscription subscription;
    private final ExclusivePublication[] toServer;
    private final String serverDescription;
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
    private volatile long unreachableWarnings;
    private volatile boolean serverReachable;
    private final Supplier<IdleStrategy> idleStrategy;
    private long finished;
    private String channel;
    private Object[] unsent;
    private long pendingMask;
    private boolean acceptedAny;
    private long unreachableSinceNs;
    private long nextWarningNs;

    /**
     * @param serverChannel the server's receive channel.
     * @param listenChannel this worker's receive channel; port 0 picks a free one.
     * @param threads       local worker threads.
     * @param aeronDir      embedded driver directory, null for a random one.
     */
    public RemoteWorker(final String serverChannel, final String listenChannel, final int threads,
        final String aeronDir)
    {
        this(new String[]{ serverChannel }, listenChannel, threads, aeronDir,
            TaskExecutor.defaultIdleStrategy(threads));
    }

    /**
     * @param serverChannels the receive channel of each server replica (one for a single server); every message
     *                       goes to each replica whose channel is connected.
     * @param listenChannel  this worker's receive channel; port 0 picks a free one.
     * @param threads        local worker threads.
     * @param aeronDir       embedded driver directory, null for a random one.
     * @param idleStrategy   for the worker threads and this worker's duty thread, e.g.
     *                       {@code IdleStrategies.byName("park")}.
     */
    public RemoteWorker(final String[] serverChannels, final String listenChannel, final int threads,
        final String aeronDir, final Supplier<IdleStrategy> idleStrategy)
    {
        if (serverChannels.length < 1 || serverChannels.length > 63)
        {
            throw new IllegalArgumentException("server channels: " + serverChannels.length + ", need 1..63");
        }
        this.idleStrategy = idleStrategy;
        node = new AeronNode(aeronDir);
        subscription = node.aeron().addSubscription(listenChannel, Wire.WORKER_STREAM_ID);
        toServer = new ExclusivePublication[serverChannels.length];
        for (int i = 0; i < serverChannels.length; i++)
        {
            toServer[i] = node.aeron().addExclusivePublication(serverChannels[i], Wire.SERVER_STREAM_ID);
        }
        serverDescription = String.join(", ", serverChannels);
        executor = new TaskExecutor(threads, idleStrategy);
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
     * @return times this worker reported that it could not reach any server replica (it keeps retrying).
     */
    public long unreachableWarnings()
    {
        return unreachableWarnings;
    }

    /**
     * @return true while at least one server replica's channel is connected.
     */
    public boolean serverReachable()
    {
        return serverReachable;
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
        final IdleStrategy idle = idleStrategy.get();
        long nextHeartbeatNs = 0;
        unreachableSinceNs = System.nanoTime();
        while (running)
        {
            int work = subscription.poll(assembler, 16);
            work += sendOutcomes();
            final long nowNs = System.nanoTime();
            if (nowNs - nextHeartbeatNs >= 0)
            {
                checkReachable(nowNs);
                if (channel == null)
                {
                    // Port 0 in the listen channel: learn the port the driver bound, and tell the server that.
                    channel = subscription.tryResolveChannelEndpointPort();
                }
                if (channel != null)
                {
                    writer.reset(Wire.HEARTBEAT).putLong(workerId).putInt(capacity).putLong(finished)
                        .putString(channel);
                    for (final ExclusivePublication publication : toServer)
                    {
                        publication.offer(writer.buffer, 0, writer.length);
                    }
                }
                nextHeartbeatNs = nowNs + HEARTBEAT_INTERVAL_NS;
            }
            idle.idle(work);
        }
        writer.reset(Wire.GOODBYE).putLong(workerId);
        for (final ExclusivePublication publication : toServer)
        {
            publication.offer(writer.buffer, 0, writer.length);
        }
    }

    /**
     * A worker that cannot reach the server keeps trying (Aeron reconnects on its own; heartbeats keep going
     * out) and says so every 2 s on stderr, so a wrong --server or a server not up yet is visible.
     */
    private void checkReachable(final long nowNs)
    {
        boolean connected = false;
        for (final ExclusivePublication publication : toServer)
        {
            connected |= publication.isConnected();
        }
        if (connected)
        {
            if (!serverReachable && unreachableWarnings > 0)
            {
                System.err.println("dominoes worker: reached the task server at " + serverDescription);
            }
            serverReachable = true;
            unreachableSinceNs = nowNs;
            return;
        }
        serverReachable = false;
        final long silentNs = nowNs - unreachableSinceNs;
        if (silentNs > 1_000_000_000L && nowNs - nextWarningNs >= 0)
        {
            unreachableWarnings++;
            System.err.printf("dominoes worker: cannot reach the task server at %s for %.1f s; retrying%n",
                serverDescription, silentNs / 1e9);
            nextWarningNs = nowNs + 2_000_000_000L;
        }
    }

    /**
     * Offer the encoded message to every server replica that has not taken it yet.
     *
     * @param fresh true for a new message.
     * @return true once every connected replica took it and at least one did; false: retry later.
     */
    private boolean offerToServers(final boolean fresh)
    {
        if (fresh)
        {
            pendingMask = (1L << toServer.length) - 1;
            acceptedAny = false;
        }
        long blocked = 0;
        for (int i = 0; i < toServer.length; i++)
        {
            final long bit = 1L << i;
            if ((pendingMask & bit) == 0)
            {
                continue;
            }
            final long result = toServer[i].offer(writer.buffer, 0, writer.length);
            if (result > 0)
            {
                pendingMask &= ~bit;
                acceptedAny = true;
            }
            else if (result != ExclusivePublication.NOT_CONNECTED && result != ExclusivePublication.CLOSED)
            {
                blocked |= bit;
            }
        }
        // A replica that is not connected (dead, or not up yet) is skipped: the replicas share one log, so one
        // copy in it is enough; a replica that joins later replays the log.
        return acceptedAny && blocked == 0;
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
            final boolean fresh = unsent == null;
            if (fresh && !encode(outcome))
            {
                continue;
            }
            if (!offerToServers(fresh))
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
     * @return false when there is nothing to send.
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
        if (value instanceof Failed)
        {
            writer.reset(Wire.TASK_FAILED).putLong(workerId).putLong(finished).putId(id)
                .putString(((Failed)value).description);
            return true;
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

    private static final class Failed
    {
        final String description;

        Failed(final String description)
        {
            this.description = description;
        }
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
                // The task threw: reported to the server, which re-issues it, and fails the job after a bounded
                // number of failures of the same path. The cause crosses as its description only.
                final Throwable cause = failure instanceof TaskFailedException && failure.getCause() != null ?
                    failure.getCause() : failure;
                final String path = failure instanceof TaskFailedException ?
                    ((TaskFailedException)failure).path() : String.valueOf(id);
                System.err.println("dominoes worker: task " + path + " failed: " + cause);
                outcomes.add(new Object[]{ id, new Failed(path + ": " + cause) });
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
            System.err.println("usage: RemoteWorker <server channel[,replica channel...]> <listen channel> <threads> " +
                "[aeron dir]");
            System.exit(2);
        }
        final int threads = Integer.parseInt(args[2]);
        final RemoteWorker worker = new RemoteWorker(args[0].split(","), args[1], threads,
            args.length > 3 ? args[3] : null, TaskExecutor.defaultIdleStrategy(threads));
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
        System.out.println("worker " + worker.workerId + " started");
        System.out.flush();
        Thread.currentThread().join();
    }
}
