package io.dominoes.core;

import io.dominoes.core.codec.EventDescriptor;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * Which handlers run for which event type. Build it once, before the group starts; it is read-only
 * afterwards and shared by all replicas.
 *
 * <p>Per type at most one of each kind:
 * <ul>
 *   <li><b>replicated</b> ({@link #replicated}): runs on every replica, in channel order. Deterministic.</li>
 *   <li><b>verified</b> ({@link #verified}): a replicated handler that also reads a per-event verdict
 *       computed once, on the owner, by a {@link VerdictHandler} on the look-ahead cursor.</li>
 *   <li><b>partitioned</b> ({@link #partitioned}): runs on exactly one replica, the owner from the type's
 *       {@link Partitioner} (default key mod N); or <b>claimed</b> ({@link #claimed}): runs on exactly one
 *       replica, the first to claim the event (dynamic load balance; which one is not deterministic).</li>
 *   <li><b>direct</b> ({@link #direct}): runs on exactly one replica, the owner, like a partitioned handler,
 *       but its events never enter the broadcast input: they are handed to the owner alone, with a fence that
 *       orders them after the input events they must follow (see {@link ReplicaGroup.Builder#directInput}).
 *       For work that reads replicated state and changes none (a read request), so that the replicas that do
 *       not own it do not even see it.</li>
 * </ul>
 * A type may have a replicated (or verified) handler and a partitioned (or claimed) one; on each
 * replica the replicated one runs first, so partitioned work (a payload copy) can follow a replicated
 * decision (the window check).
 *
 * <p>The type's partitioner names its <b>owner</b> replica for each event: the partitioned handler runs
 * there, the verdict is computed there, and what replicated handlers emit for the event is sent from
 * there (see {@link EventContext#emit}).
 *
 * <pre>{@code
 * HandlerRegistry<Kv> handlers = new HandlerRegistry<Kv>()
 *     .replicated(PUT, (kv, ctx, buf, off, len) -> kv.put(buf.getLong(off), buf.getLong(off + 8)))
 *     .partitioned(GET, (kv, ctx, buf, off, len) -> ctx.emit(REPLY, ctx.key(), kv.reply(buf, off), 0, 16))
 *     .verified(SEGMENT, Checksums::verdict, (kv, ctx, buf, off, len) -> { if (ctx.verdict() == OK) ... })
 *     .timers((kv, ctx, id, deadline, corr) -> kv.expire(corr));
 * }</pre>
 *
 * @param <D> the domain type.
 */
public final class HandlerRegistry<D extends Domain>
{
    /**
     * Types in {@code [0, DENSE_TYPES)} are also indexed by an array: {@link #get} runs twice per event (look-ahead
     * and replicated cursor), and the hash map's probe was 3-5% of a replica's CPU in the TCP receive path.
     */
    private static final int DENSE_TYPES = 256;

    private final Int2ObjectHashMap<TypeBinding<D>> bindings = new Int2ObjectHashMap<>();
    @SuppressWarnings("unchecked")
    private final TypeBinding<D>[] dense = new TypeBinding[DENSE_TYPES];
    private TimerHandler<D> timerHandler;

    /**
     * @param type    event type, greater than {@link EventDescriptor#MAX_RESERVED_TYPE}.
     * @param handler run on every replica.
     * @return this.
     * @throws IllegalArgumentException if the handler is null, the type reserved, or the type already has
     *                                  a replicated or verified handler.
     */
    public HandlerRegistry<D> replicated(final int type, final EventHandler<D> handler)
    {
        final TypeBinding<D> b = binding(type, handler, "replicated");
        checkNotDirect(type, b);
        if (null != b.replicated)
        {
            throw new IllegalArgumentException("type " + type + " already has a " +
                (null != b.verifier ? "verified" : "replicated") + " handler: " + b.replicated);
        }
        b.replicated = handler;
        return this;
    }

    /**
     * Register a verified type: {@code verifier} runs on the owner's look-ahead cursor and publishes the
     * event's verdict; {@code handler} runs on every replica and reads it with
     * {@link EventContext#verdict()}.
     *
     * @param type     event type.
     * @param verifier the partitioned check; must not touch replicated state (see {@link VerdictHandler}).
     * @param handler  the replicated handler that reads the verdict.
     * @return this.
     * @throws IllegalArgumentException if a handler is null, the type reserved, or the type already has a
     *                                  replicated or verified handler.
     */
    public HandlerRegistry<D> verified(final int type, final VerdictHandler verifier, final EventHandler<D> handler)
    {
        if (null == verifier)
        {
            throw new IllegalArgumentException("verdict handler for type " + type + " is null");
        }
        replicated(type, handler);
        bindings.get(type).verifier = verifier;
        return this;
    }

    /**
     * @param type    event type.
     * @param handler run on the owner replica only (the type's partitioner, default key mod N).
     * @return this.
     * @throws IllegalArgumentException if the handler is null, the type reserved, or the type already has
     *                                  a partitioned or claimed handler.
     */
    public HandlerRegistry<D> partitioned(final int type, final EventHandler<D> handler)
    {
        final TypeBinding<D> b = binding(type, handler, "partitioned");
        checkNoPartitioned(type, b);
        b.partitioned = handler;
        return this;
    }

    /**
     * Register a direct type: its events are published with {@link EventPublisher#offerDirect} to the owner
     * replica's direct input (the type's partitioner, default key mod N) and never broadcast. The owner runs the
     * handler once its domain's progress has reached the event's fence, and before it handles any further input
     * event (see {@link ReplicaGroup.Builder#directInput}). The handler must not change replicated state (only
     * one replica runs it) and cannot schedule timers; it may emit.
     *
     * @param type    event type.
     * @param handler run on the owner replica only.
     * @return this.
     * @throws IllegalArgumentException if the handler is null, the type reserved, or the type already has
     *                                  any handler (a direct type has no broadcast handlers).
     */
    public HandlerRegistry<D> direct(final int type, final EventHandler<D> handler)
    {
        final TypeBinding<D> b = binding(type, handler, "direct");
        if (null != b.replicated || null != b.partitioned || null != b.direct)
        {
            throw new IllegalArgumentException("type " + type + " already has a handler: a direct type has only " +
                "its direct handler (its events are not broadcast)");
        }
        b.direct = handler;
        return this;
    }

    /**
     * Dynamic ownership: the first replica to reach the event claims it (a CAS on the event's claim slot)
     * and runs the handler; the others skip it. Balances load across replicas that run at different
     * speeds; which replica runs it is not deterministic, so the handler must not touch replicated state.
     *
     * @param type    event type.
     * @param handler run once, on the claiming replica.
     * @return this.
     * @throws IllegalArgumentException if the handler is null, the type reserved, or the type already has
     *                                  a partitioned or claimed handler.
     */
    public HandlerRegistry<D> claimed(final int type, final EventHandler<D> handler)
    {
        final TypeBinding<D> b = binding(type, handler, "claimed");
        checkNoPartitioned(type, b);
        b.partitioned = handler;
        b.claimed = true;
        return this;
    }

    /**
     * Set the type's partitioner (default {@link Partitioner#MODULO}).
     *
     * @param type        event type.
     * @param partitioner pure function of the key.
     * @return this.
     * @throws IllegalArgumentException if the partitioner is null, the type reserved, or the type already
     *                                  has an explicit partitioner.
     */
    public HandlerRegistry<D> partitioner(final int type, final Partitioner partitioner)
    {
        final TypeBinding<D> b = binding(type, partitioner, "partitioner");
        if (b.partitioner != Partitioner.MODULO)
        {
            throw new IllegalArgumentException("type " + type + " already has a partitioner: " + b.partitioner);
        }
        b.partitioner = partitioner;
        return this;
    }

    /**
     * @param handler replicated callback for expired timers.
     * @return this.
     * @throws IllegalArgumentException if null or already set.
     */
    public HandlerRegistry<D> timers(final TimerHandler<D> handler)
    {
        if (null == handler)
        {
            throw new IllegalArgumentException("timer handler is null");
        }
        if (null != timerHandler)
        {
            throw new IllegalArgumentException("timer handler already registered: " + timerHandler);
        }
        timerHandler = handler;
        return this;
    }

    TypeBinding<D> get(final int type)
    {
        if (type >= 0 && type < DENSE_TYPES)
        {
            return dense[type];
        }
        return bindings.get(type);
    }

    TimerHandler<D> timerHandler()
    {
        return timerHandler;
    }

    boolean hasVerifiedTypes()
    {
        for (final TypeBinding<D> b : bindings.values())
        {
            if (null != b.verifier)
            {
                return true;
            }
        }
        return false;
    }

    boolean hasClaimedTypes()
    {
        for (final TypeBinding<D> b : bindings.values())
        {
            if (b.claimed)
            {
                return true;
            }
        }
        return false;
    }

    boolean hasDirectTypes()
    {
        for (final TypeBinding<D> b : bindings.values())
        {
            if (null != b.direct)
            {
                return true;
            }
        }
        return false;
    }

    private static <D extends Domain> void checkNotDirect(final int type, final TypeBinding<D> b)
    {
        if (null != b.direct)
        {
            throw new IllegalArgumentException("type " + type + " is direct (" + b.direct + "): its events are not " +
                "broadcast, so it can have no other handler");
        }
    }

    private static <D extends Domain> void checkNoPartitioned(final int type, final TypeBinding<D> b)
    {
        checkNotDirect(type, b);
        if (null != b.partitioned)
        {
            throw new IllegalArgumentException("type " + type + " already has a " +
                (b.claimed ? "claimed" : "partitioned") + " handler: " + b.partitioned);
        }
    }

    private TypeBinding<D> binding(final int type, final Object handler, final String kind)
    {
        if (null == handler)
        {
            throw new IllegalArgumentException(kind + " handler for type " + type + " is null");
        }
        if (EventDescriptor.isReserved(type))
        {
            throw new IllegalArgumentException("type " + type + " is reserved: user types must be > " +
                EventDescriptor.MAX_RESERVED_TYPE);
        }
        TypeBinding<D> b = bindings.get(type);
        if (null == b)
        {
            b = new TypeBinding<>(type);
            bindings.put(type, b);
            if (type >= 0 && type < DENSE_TYPES)
            {
                dense[type] = b;
            }
        }
        return b;
    }

    /**
     * Everything registered for one type. Immutable once the group has started.
     */
    static final class TypeBinding<D extends Domain>
    {
        final int type;
        EventHandler<D> replicated;
        VerdictHandler verifier;
        EventHandler<D> partitioned;
        EventHandler<D> direct;
        boolean claimed;
        Partitioner partitioner = Partitioner.MODULO;

        TypeBinding(final int type)
        {
            this.type = type;
        }

        int owner(final long key, final int replicaCount)
        {
            final int owner = partitioner.owner(key, replicaCount);
            if (owner < 0 || owner >= replicaCount)
            {
                throw new IllegalStateException("partitioner " + partitioner + " for type " + type + " returned owner " +
                    owner + " for key " + key + ", not in [0, " + replicaCount + ")");
            }
            return owner;
        }
    }
}
