package io.dominoes.tasks.remote;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.dominoes.channels.Subscriber;
import io.dominoes.channels.chronicle.ChronicleChannel;
import io.dominoes.channels.ring.BroadcastRing;
import io.dominoes.core.EventPublisher;
import io.dominoes.core.HandlerRegistry;
import io.dominoes.core.ReplicaGroup;
import io.dominoes.core.codec.EventDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One replica of the replicated task server, meant to run one per process (several per host).
 * <p>
 * <b>The channel that orders server inputs is a shared Chronicle Queue directory</b> (the project's
 * {@link ChronicleChannel}, a durable broadcast log). Every replica process opens it with its own tailer and appender:
 * <ul>
 *   <li><b>gateway</b> thread: receives worker and client messages on this replica's own Aeron UDP endpoint
 *       (workers and clients send each message to every replica) and appends them to the log, with time ticks
 *       ({@code System.nanoTime()}, same clock in every process of the host) and this replica's ALIVE events;</li>
 *   <li><b>replica</b> thread: a one-replica {@link ReplicaGroup} over the log applies every event, in log order, to
 *       its {@link TaskServerDomain} (the {@link TaskServerState}); events enter once per gateway, and the state
 *       drops the second copy (by task id; a submission by its nonce);</li>
 *   <li><b>sender</b> thread: drains what the domain emitted (only the emitter replica emits, see
 *       {@link TaskServerDomain}) from the group's output ring to the workers' and clients' Aeron channels.</li>
 * </ul>
 * <b>Failure model.</b> A replica process may die at any time (SIGKILL included): the log is files that outlive it,
 * the other replicas keep appending and applying, the dead one stops appending ALIVE events and, after
 * {@code replicaTimeoutMs} of replicated time, the next replica becomes the emitter and re-sends what might have been
 * lost. Replicas must share a file system that supports Chronicle's memory-mapped cross-process appends (one host, a
 * local disk or /dev/shm): this is replication against process failure on one host, not against losing the host.
 * Chronicle serialises appenders across processes with a lock in the queue's metadata; a process killed inside an
 * append leaves that lock and a half-written header, which Chronicle recovers from only after its lock timeout, so
 * the log stalls for that long (a window of microseconds per append). A replica started later replays the log from
 * the start (new tailer name per incarnation) and emits only once it has caught up. Nothing ever truncates the log.
 */
public final class TaskServerReplica implements AutoCloseable
{
    private static final long ALIVE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long UNCONNECTED_DROP_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long BACK_PRESSURE_DROP_NS = TimeUnit.MILLISECONDS.toNanos(200);

    private final int replicaIndex;
    private final long incarnation = ThreadLocalRandom.current().nextLong();
    private final AeronNode node;
    private final Subscription subscription;
    private final BroadcastRing output;
    private final Subscriber outputSubscriber;
    private final ReplicaGroup<TaskServerDomain> group;
    private final TaskServerDomain[] domain = new TaskServerDomain[1];
    private final Map<String, ExclusivePublication> publications = new HashMap<>();
    private final Map<String, Long> publicationCreatedNs = new HashMap<>();
    private final Supplier<IdleStrategy> idleStrategy;
    private final IdleStrategy senderRetryIdle;
    private final Thread gateway;
    private final Thread sender;
    private volatile boolean running = true;
    private volatile long outputsDropped;

    /**
     * @param replicaIndex     this replica's index in [0, 64); the lowest live index sends.
     * @param listenChannel    this replica's receive channel, e.g. {@code aeron:udp?endpoint=127.0.0.1:40123}.
     * @param logDirectory     the shared Chronicle Queue directory (the same for every replica).
     * @param aeronDir         embedded driver directory, null for a random one.
     * @param workerTimeoutMs  worker silence after which its tasks are re-issued.
     * @param reissueAfterMs   age after which an idle worker gets a duplicate of an outstanding task.
     * @param replicaTimeoutMs server replica silence in the log after which the next replica emits.
     * @param idleStrategy     for the replica, gateway and sender threads.
     */
    public TaskServerReplica(
        final int replicaIndex,
        final String listenChannel,
        final File logDirectory,
        final String aeronDir,
        final long workerTimeoutMs,
        final long reissueAfterMs,
        final long replicaTimeoutMs,
        final Supplier<IdleStrategy> idleStrategy)
    {
        if (replicaTimeoutMs <= 0 || workerTimeoutMs <= 0 || reissueAfterMs <= 0)
        {
            throw new IllegalArgumentException("timeouts must be > 0: workerTimeoutMs=" + workerTimeoutMs +
                " reissueAfterMs=" + reissueAfterMs + " replicaTimeoutMs=" + replicaTimeoutMs);
        }
        this.replicaIndex = replicaIndex;
        this.idleStrategy = idleStrategy;
        this.senderRetryIdle = idleStrategy.get();
        final HandlerRegistry<TaskServerDomain> handlers = new HandlerRegistry<TaskServerDomain>()
            .replicated(TaskServerDomain.TYPE_INPUT, (d, ctx, buffer, offset, length) ->
                d.onInput(ctx, buffer, offset, length))
            .replicated(TaskServerDomain.TYPE_ALIVE, (d, ctx, buffer, offset, length) ->
                d.onAlive(ctx, buffer, offset, length))
            .timers((d, ctx, timerId, deadlineNs, correlation) -> d.onTimer(ctx));
        output = BroadcastRing.builder().capacity(1 << 22).subscribers(1).build();
        outputSubscriber = output.subscriber(0);
        final String tailer = "server-replica-" + replicaIndex + "-" + Long.toHexString(incarnation);
        group = ReplicaGroup.builder(i -> domain[0] = new TaskServerDomain(replicaIndex, incarnation,
                TimeUnit.MILLISECONDS.toNanos(workerTimeoutMs), TimeUnit.MILLISECONDS.toNanos(reissueAfterMs),
                TimeUnit.MILLISECONDS.toNanos(replicaTimeoutMs)))
            .replicas(1)
            .name("task-server-" + replicaIndex)
            .channel(subscribers -> new ChronicleChannel(new ChronicleChannel.Context()
                .directory(logDirectory)
                .subscriberCount(subscribers)
                .tailerNames(tailer)))
            .handlers(handlers)
            .output(output, false)
            .idleStrategy(idleStrategy)
            .start();
        node = new AeronNode(aeronDir);
        subscription = node.aeron().addSubscription(listenChannel, Wire.SERVER_STREAM_ID);
        gateway = new Thread(this::runGateway, "task-server-" + replicaIndex + "-gateway");
        sender = new Thread(this::runSender, "task-server-" + replicaIndex + "-sender");
        gateway.setDaemon(true);
        sender.setDaemon(true);
        gateway.start();
        sender.start();
    }

    /**
     * @return this replica's index.
     */
    public int replicaIndex()
    {
        return replicaIndex;
    }

    /**
     * @return the replica that sends, as this replica's state last saw it (-1: none yet).
     */
    public int emitter()
    {
        return domain[0].emitter();
    }

    /**
     * @return bit r set for each server replica r the log shows alive.
     */
    public long liveReplicas()
    {
        return domain[0].liveReplicas();
    }

    /**
     * @return workers registered in the replicated state.
     */
    public int workerCount()
    {
        return domain[0].workerCount();
    }

    /**
     * @return tasks issued (replicated count, all jobs).
     */
    public long tasksIssued()
    {
        return domain[0].tasksIssued();
    }

    /**
     * @return malformed inputs dropped.
     */
    public long invalidMessages()
    {
        return domain[0].invalidMessages();
    }

    /**
     * @return output messages this replica's sender dropped (destination not connected 2 s after its publication
     * was added, or back-pressured for 200 ms).
     */
    public long outputsDropped()
    {
        return outputsDropped;
    }

    public void close()
    {
        running = false;
        try
        {
            gateway.join(5_000);
            sender.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            group.close();
        }
        finally
        {
            output.close();
            node.close();
        }
    }

    private void runGateway()
    {
        final EventPublisher publisher = group.newPublisher();
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
            publisher.publish(TaskServerDomain.TYPE_INPUT, 0, buffer, offset, length));
        final org.agrona.concurrent.UnsafeBuffer alive = new org.agrona.concurrent.UnsafeBuffer(new byte[8]);
        alive.putLong(0, incarnation);
        final IdleStrategy idle = idleStrategy.get();
        long nextTickNs = 0;
        long nextAliveNs = 0;
        while (running && group.failure() == null)
        {
            int work = subscription.poll(assembler, 64);
            // The clock is read here, at the edge; the replicas see time only as tick events in the log.
            final long nowNs = System.nanoTime();
            if (nowNs - nextTickNs >= 0)
            {
                publisher.publishTick(nowNs);
                nextTickNs = nowNs + TaskServerDomain.TICK_NS;
                work++;
            }
            if (nowNs - nextAliveNs >= 0)
            {
                publisher.publish(TaskServerDomain.TYPE_ALIVE, replicaIndex, alive, 0, 8);
                nextAliveNs = nowNs + ALIVE_INTERVAL_NS;
                work++;
            }
            idle.idle(work);
        }
    }

    private void runSender()
    {
        final IdleStrategy idle = idleStrategy.get();
        while (running)
        {
            idle.idle(outputSubscriber.poll(this::send, 64));
        }
    }

    private void send(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        final int body = offset + EventDescriptor.HEADER_LENGTH;
        final int end = offset + length;
        final int channelLength = buffer.getInt(body);
        if (type != TaskServerDomain.TYPE_OUTPUT || channelLength < 0 || channelLength > end - body - 4)
        {
            return;
        }
        final String channel = buffer.getStringUtf8(body);
        final int message = body + 4 + channelLength;
        final ExclusivePublication publication = publication(channel);
        final IdleStrategy idle = senderRetryIdle;
        idle.reset();
        final long startNs = System.nanoTime();
        while (running)
        {
            final long result = publication.offer(buffer, message, end - message);
            if (result > 0)
            {
                return;
            }
            final long nowNs = System.nanoTime();
            final boolean connecting = result == Publication.NOT_CONNECTED &&
                nowNs - publicationCreatedNs.get(channel) < UNCONNECTED_DROP_NS;
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                (!connecting && nowNs - startNs > BACK_PRESSURE_DROP_NS))
            {
                // A destination that is gone or stuck (a dead worker's publication stays back-pressured until
                // Aeron times it out): drop rather than hold every other destination's output behind it; eager
                // scheduling re-issues a lost task; a job result is dropped only for a client that stopped reading.
                outputsDropped++;
                return;
            }
            idle.idle(0);
        }
    }

    private ExclusivePublication publication(final String channel)
    {
        ExclusivePublication publication = publications.get(channel);
        if (publication == null)
        {
            publication = node.aeron().addExclusivePublication(channel, Wire.WORKER_STREAM_ID);
            publications.put(channel, publication);
            publicationCreatedNs.put(channel, System.nanoTime());
        }
        return publication;
    }

    /**
     * Replica process entry point (tests start replicas as child JVMs and kill them).
     *
     * @param args replica index, listen channel, log directory, [aeron dir].
     * @throws InterruptedException never in practice (runs until killed).
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length < 3)
        {
            System.err.println("usage: TaskServerReplica <replica index> <listen channel> <log dir> [aeron dir]");
            System.exit(2);
        }
        final TaskServerReplica replica = new TaskServerReplica(Integer.parseInt(args[0]), args[1],
            new File(args[2]), args.length > 3 ? args[3] : null, 1_000, 500, 500,
            io.dominoes.core.idle.IdleStrategies::park);
        Runtime.getRuntime().addShutdownHook(new Thread(replica::close));
        System.out.println("server replica " + replica.replicaIndex() + " started");
        System.out.flush();
        Thread.currentThread().join();
    }
}
