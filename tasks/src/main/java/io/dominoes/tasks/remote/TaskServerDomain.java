package io.dominoes.tasks.remote;

import io.dominoes.core.Domain;
import io.dominoes.core.EventContext;
import io.dominoes.tasks.api.TaskId;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * One server replica's private copy of the task server: a {@link TaskServerState} that every replica applies in log
 * order (worker and client messages, replica liveness, time ticks), plus the replicated membership of the server
 * replicas that decides which one sends.
 * <p>
 * <b>Emit once, across processes.</b> Each process runs a one-replica {@link io.dominoes.core.ReplicaGroup}, so core's
 * owner rule alone would let every process send. The rule here is replicated state: the <em>emitter</em> is the
 * lowest-indexed server replica that the log shows alive (an ALIVE event within {@code replicaTimeoutNs} of
 * replicated time). Every replica computes every output; only the emitter hands it to {@code ctx.emit}. When the
 * emitter changes (it died: its ALIVE events stopped; or a lower index (re)joined), every replica switches at the same
 * log position and {@link TaskServerState#onEmitterChanged} makes the new emitter re-send what the old one might not
 * have sent (tasks back to ready, final job messages again): receivers drop the repeats by task id / job.
 * <p>
 * A replica emits only after it has applied an ALIVE event of its own current incarnation: while it replays the log
 * from the start (a fresh or restarted replica) its history is not re-sent.
 */
final class TaskServerDomain implements Domain, ServerOutbox
{
    static final int TYPE_INPUT = 1000;
    static final int TYPE_ALIVE = 1001;
    static final int TYPE_OUTPUT = 1002;
    static final int MAX_REPLICAS = 64;
    static final long TICK_NS = 20_000_000L;

    private final int replicaIndex;
    private final long incarnation;
    private final long replicaTimeoutNs;
    private final TaskServerState state;
    private final Wire.Reader reader = new Wire.Reader();
    private final Wire.Writer writer = new Wire.Writer();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);
    private final long[] lastAliveNs = new long[MAX_REPLICAS];
    private long liveMask;
    private int emitter = -1;
    private boolean caughtUp;
    private boolean timerScheduled;
    private long emitterChanges;
    private EventContext ctx;

    private volatile int emitterSnapshot = -1;
    private volatile long liveSnapshot;
    private volatile long issuesSnapshot;
    private volatile int workersSnapshot;
    private volatile long[] lastJobStats;
    private volatile long invalidSnapshot;

    /**
     * @param replicaIndex     this server replica's index in [0, 64).
     * @param incarnation      unique per process start (its ALIVE events carry it).
     * @param workerTimeoutNs  worker silence after which its tasks are re-issued.
     * @param reissueAfterNs   age after which an idle worker gets a duplicate of an outstanding task.
     * @param replicaTimeoutNs server replica silence (in the log) after which it no longer emits.
     */
    TaskServerDomain(final int replicaIndex, final long incarnation, final long workerTimeoutNs,
        final long reissueAfterNs, final long replicaTimeoutNs)
    {
        if (replicaIndex < 0 || replicaIndex >= MAX_REPLICAS)
        {
            throw new IllegalArgumentException("replicaIndex=" + replicaIndex + " not in [0, " + MAX_REPLICAS + ")");
        }
        this.replicaIndex = replicaIndex;
        this.incarnation = incarnation;
        this.replicaTimeoutNs = replicaTimeoutNs;
        this.state = new TaskServerState(this, workerTimeoutNs, reissueAfterNs);
    }

    void onInput(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        this.ctx = ctx;
        ServerInputs.apply(state, reader, buffer, offset, length, ctx.timeNs(), channel -> { });
        invalidSnapshot = state.invalidMessages();
    }

    void onAlive(final EventContext ctx, final DirectBuffer buffer, final int offset, final int length)
    {
        this.ctx = ctx;
        final long index = ctx.key();
        final long nowNs = ctx.timeNs();
        if (index < 0 || index >= MAX_REPLICAS || length != Long.BYTES || nowNs == 0)
        {
            // Before the first tick there is no replicated time to stamp liveness with: the gateway ticks first.
            return;
        }
        final int r = (int)index;
        if (r == replicaIndex && buffer.getLong(offset) == incarnation)
        {
            caughtUp = true;
        }
        lastAliveNs[r] = nowNs;
        liveMask |= 1L << r;
        if (!timerScheduled)
        {
            ctx.scheduleTimer(nowNs + TICK_NS, 0);
            timerScheduled = true;
        }
        updateEmitter(nowNs);
    }

    void onTimer(final EventContext ctx)
    {
        this.ctx = ctx;
        final long nowNs = ctx.timeNs();
        for (int r = 0; r < MAX_REPLICAS; r++)
        {
            if ((liveMask & (1L << r)) != 0 && nowNs - lastAliveNs[r] > replicaTimeoutNs)
            {
                liveMask &= ~(1L << r);
            }
        }
        updateEmitter(nowNs);
        state.onTick(nowNs);
        ctx.scheduleTimer(nowNs + TICK_NS, 0);
        liveSnapshot = liveMask;
        issuesSnapshot = state.totalIssues();
        workersSnapshot = state.workerCount();
    }

    private void updateEmitter(final long nowNs)
    {
        final int next = liveMask == 0 ? -1 : Long.numberOfTrailingZeros(liveMask);
        if (next != emitter)
        {
            emitter = next;
            emitterSnapshot = next;
            if (next >= 0)
            {
                emitterChanges++;
                state.onEmitterChanged(nowNs);
            }
        }
    }

    public long stateDigest()
    {
        return state.digest() * 31 + liveMask * 17 + emitter;
    }

    /**
     * @return the emitter as of the last applied event (any thread).
     */
    int emitter()
    {
        return emitterSnapshot;
    }

    /**
     * @return live replicas bit mask as of the last timer (any thread).
     */
    long liveReplicas()
    {
        return liveSnapshot;
    }

    /**
     * @return tasks issued so far as of the last timer (any thread).
     */
    long tasksIssued()
    {
        return issuesSnapshot;
    }

    /**
     * @return workers as of the last timer (any thread).
     */
    int workerCount()
    {
        return workersSnapshot;
    }

    /**
     * @return malformed inputs dropped (any thread).
     */
    long invalidMessages()
    {
        return invalidSnapshot;
    }

    /**
     * @return stats of the last finished job, null before one (any thread).
     */
    long[] lastJobStats()
    {
        return lastJobStats;
    }

    public boolean sendTask(final long workerId, final String channel, final TaskId id, final boolean split,
        final int kind, final byte[] body, final byte[][] args)
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
        emit(channel);
        // Always "sent" in the replicated state: the decision must not depend on one replica's transport. A copy
        // the sender could not deliver is recovered by eager scheduling (worker timeout, re-issue).
        return true;
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
        emit(clientChannel);
    }

    public void sendJobFailed(final String clientChannel, final int jobId, final String path,
        final String description, final int attempts)
    {
        writer.reset(Wire.JOB_FAILED).putInt(jobId).putString(path).putString(description).putInt(attempts);
        emit(clientChannel);
    }

    public void sendIncumbent(final String channel, final int jobId, final long value)
    {
        writer.reset(Wire.INCUMBENT).putInt(jobId).putLong(value);
        emit(channel);
    }

    /**
     * Output record body: destination channel (length-prefixed UTF-8), then the wire message.
     */
    private void emit(final String channel)
    {
        if (emitter != replicaIndex || !caughtUp)
        {
            return;
        }
        final int channelLength = out.putStringUtf8(0, channel);
        out.putBytes(channelLength, writer.buffer, 0, writer.length);
        ctx.emit(TYPE_OUTPUT, 0, out, 0, channelLength + writer.length);
    }
}
