package io.dominoes.tasks.remote;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskFailedException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Submits one job to a task server and waits for its result. Not thread safe; one job at a time.
 */
public final class TaskClient implements AutoCloseable
{
    /**
     * A finished job.
     *
     * @param <R> result type.
     */
    public static final class JobResult<R>
    {
        /** The root task's result. */
        public final R value;
        /** Server tasks created, accepted completions, issues, re-issues (re-executions), duplicates dropped. */
        public final long created;
        /** Completions accepted (one per created task when every result was used exactly once). */
        public final long accepted;
        /** Times a task was sent to a worker. */
        public final long issues;
        /** Times an already issued task was sent again (re-executions). */
        public final long reissues;
        /** Duplicate completions dropped by task id. */
        public final long duplicates;

        JobResult(final R value, final long[] stats)
        {
            this.value = value;
            this.created = stats[0];
            this.accepted = stats[1];
            this.issues = stats[2];
            this.reissues = stats[3];
            this.duplicates = stats[4];
        }
    }

    private final AeronNode node;
    private final Subscription subscription;
    private final ExclusivePublication[] toServer;

    /**
     * @param serverChannel the server's receive channel.
     * @param listenChannel this client's receive channel; port 0 picks a free one.
     * @param aeronDir      embedded driver directory, null for a random one.
     */
    public TaskClient(final String serverChannel, final String listenChannel, final String aeronDir)
    {
        this(new String[]{ serverChannel }, listenChannel, aeronDir);
    }

    /**
     * @param serverChannels each server replica's receive channel (one for a single server); the submission goes to
     *                       every connected replica, the replicated server starts the job once.
     * @param listenChannel  this client's receive channel; port 0 picks a free one.
     * @param aeronDir       embedded driver directory, null for a random one.
     */
    public TaskClient(final String[] serverChannels, final String listenChannel, final String aeronDir)
    {
        node = new AeronNode(aeronDir);
        subscription = node.aeron().addSubscription(listenChannel, Wire.WORKER_STREAM_ID);
        toServer = new ExclusivePublication[serverChannels.length];
        for (int i = 0; i < serverChannels.length; i++)
        {
            toServer[i] = node.aeron().addExclusivePublication(serverChannels[i], Wire.SERVER_STREAM_ID);
        }
    }

    private boolean anyConnected()
    {
        for (final ExclusivePublication publication : toServer)
        {
            if (publication.isConnected())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param root      job's root task (serializable, with its classes on the workers' class path).
     * @param timeoutMs how long to wait.
     * @param <R>       result type.
     * @return result and the server's counters for the job.
     * @throws TimeoutException    when the server did not answer in time.
     * @throws TaskFailedException a task of the job failed too often (names its path and the last failure).
     */
    @SuppressWarnings("unchecked")
    public <R> JobResult<R> run(final Task<R> root, final long timeoutMs) throws TimeoutException
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
        String channel;
        while ((channel = subscription.tryResolveChannelEndpointPort()) == null || !anyConnected())
        {
            checkDeadline(deadlineNs, "connecting to the task server");
            idle.idle(0);
        }
        final Wire.Writer writer = new Wire.Writer();
        writer.reset(Wire.SUBMIT).putLong(ThreadLocalRandom.current().nextLong()).putString(channel)
            .putBytes(JavaSerialization.toBytes(root));
        long pending = (1L << toServer.length) - 1;
        boolean accepted = false;
        while (true)
        {
            for (int i = 0; i < toServer.length; i++)
            {
                if ((pending & (1L << i)) != 0)
                {
                    final long result = toServer[i].offer(writer.buffer, 0, writer.length);
                    if (result > 0 || result == ExclusivePublication.NOT_CONNECTED)
                    {
                        // Not connected: a replica that is down; the others put the submission into the shared log.
                        pending &= ~(1L << i);
                        accepted |= result > 0;
                    }
                }
            }
            if (pending == 0 && accepted)
            {
                break;
            }
            checkDeadline(deadlineNs, "submitting");
            idle.idle(0);
        }
        final Object[] done = new Object[2];
        final TaskFailedException[] failed = new TaskFailedException[1];
        final Wire.Reader reader = new Wire.Reader();
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
        {
            final Wire.Reader r = reader.wrap(buffer, offset, length);
            final int type = r.getInt();
            if (type == Wire.JOB_FAILED)
            {
                r.getInt();
                final String path = r.getString();
                final String description = r.getString();
                final int attempts = r.getInt();
                if (r.ok())
                {
                    failed[0] = new TaskFailedException(path, description, attempts);
                }
                return;
            }
            if (type != Wire.JOB_DONE)
            {
                return;
            }
            r.getInt();
            final long[] stats = new long[5];
            for (int i = 0; i < stats.length; i++)
            {
                stats[i] = r.getLong();
            }
            final byte[] value = r.getBytes();
            if (r.ok())
            {
                done[0] = JavaSerialization.fromBytes(value);
                done[1] = stats;
            }
        });
        while (done[1] == null)
        {
            if (failed[0] != null)
            {
                throw failed[0];
            }
            checkDeadline(deadlineNs, "waiting for the result");
            idle.idle(subscription.poll(assembler, 16));
        }
        if (done[0] == JavaSerialization.INVALID)
        {
            throw new IllegalStateException("job result could not be deserialized");
        }
        return new JobResult<>((R)done[0], (long[])done[1]);
    }

    public void close()
    {
        node.close();
    }

    private static void checkDeadline(final long deadlineNs, final String what) throws TimeoutException
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new TimeoutException("task server did not answer in time while " + what);
        }
    }
}
