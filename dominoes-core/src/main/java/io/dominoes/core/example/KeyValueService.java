package io.dominoes.core.example;

import io.dominoes.core.EventContext;
import io.dominoes.core.HandlerRegistry;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A replicated key-value/counter service: the smallest complete use of the runtime, and the workload the
 * bench module drives.
 *
 * <pre>
 *  request body (all types):  | request id (int64) | argument (int64) |     partition key = the KV key
 *  reply body (type REPLY):   | request id (int64) | key (int64) | value (int64) |
 * </pre>
 *
 * <ul>
 *   <li>{@link #PUT} key := argument; replicated (every replica); reply sent once, by the key's owner.</li>
 *   <li>{@link #ADD} key += argument; replicated; replies with the new value, once.</li>
 *   <li>{@link #GET} read; <b>partitioned</b>: only the key's owner (key mod N) serves it from its own copy,
 *       so reads scale with replicas.</li>
 *   <li>{@link #EXPIRE} remove key after argument ns of replicated time: a replicated timer, fired by tick
 *       events; the timer callback replies (request id = -timer id, value = 1 if removed) once.</li>
 * </ul>
 * Wiring:
 * <pre>{@code
 * ReplicaGroup<KeyValueDomain> group = ReplicaGroup.builder(i -> new KeyValueDomain())
 *     .replicas(n).channel(factory).handlers(KeyValueService.handlers()).output(replies, true).start();
 * KeyValueService.request(body, requestId, 5);  pub.publish(KeyValueService.ADD, key, body, 0, REQUEST_LENGTH);
 * }</pre>
 */
public final class KeyValueService
{
    /** Set a key. */
    public static final int PUT = 1;
    /** Add to a key (missing = 0). */
    public static final int ADD = 2;
    /** Read a key. */
    public static final int GET = 3;
    /** Remove a key after a delay of replicated time. */
    public static final int EXPIRE = 4;
    /** Reply type, emitted to the output channel. */
    public static final int REPLY = 100;

    /** Request body length. */
    public static final int REQUEST_LENGTH = 16;
    /** Reply body length. */
    public static final int REPLY_LENGTH = 24;

    private KeyValueService()
    {
    }

    /**
     * @return the handlers of the service; a fresh registry each call.
     */
    public static HandlerRegistry<KeyValueDomain> handlers()
    {
        return new HandlerRegistry<KeyValueDomain>()
            .replicated(PUT, (kv, ctx, b, o, l) -> reply(kv, ctx, b.getLong(o), kv.put(ctx.key(), b.getLong(o + 8))))
            .replicated(ADD, (kv, ctx, b, o, l) -> reply(kv, ctx, b.getLong(o), kv.add(ctx.key(), b.getLong(o + 8))))
            .partitioned(GET, (kv, ctx, b, o, l) -> reply(kv, ctx, b.getLong(o), kv.get(ctx.key())))
            .replicated(EXPIRE, (kv, ctx, b, o, l) -> ctx.scheduleTimer(ctx.timeNs() + b.getLong(o + 8), ctx.key()))
            .timers((kv, ctx, timerId, deadlineNs, key) -> reply(kv, ctx, -timerId, key, kv.remove(key) ? 1 : 0));
    }

    /**
     * Encode a request body.
     *
     * @param body      at least {@link #REQUEST_LENGTH} bytes.
     * @param requestId echoed in the reply.
     * @param argument  value, delta or delay.
     */
    public static void request(final MutableDirectBuffer body, final long requestId, final long argument)
    {
        body.putLong(0, requestId);
        body.putLong(8, argument);
    }

    /**
     * @param buffer holding a reply body.
     * @param offset of the body.
     * @return the request id.
     */
    public static long replyRequestId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset);
    }

    /**
     * @param buffer holding a reply body.
     * @param offset of the body.
     * @return the key.
     */
    public static long replyKey(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 8);
    }

    /**
     * @param buffer holding a reply body.
     * @param offset of the body.
     * @return the value.
     */
    public static long replyValue(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 16);
    }

    private static void reply(final KeyValueDomain kv, final EventContext ctx, final long requestId, final long value)
    {
        reply(kv, ctx, requestId, ctx.key(), value);
    }

    private static void reply(
        final KeyValueDomain kv, final EventContext ctx, final long requestId, final long key, final long value)
    {
        // Only the owner replica sends (EventContext.emit); skip encoding on the others.
        if (ctx.isOwner())
        {
            kv.reply.putLong(0, requestId);
            kv.reply.putLong(8, key);
            kv.reply.putLong(16, value);
            ctx.emit(REPLY, key, kv.reply, 0, REPLY_LENGTH);
        }
    }
}
