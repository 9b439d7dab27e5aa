package io.dominoes.tasks.remote;

import io.dominoes.tasks.api.TaskId;
import org.agrona.DirectBuffer;

import java.util.function.Consumer;

/**
 * Decodes one message from a worker or client and applies it to a {@link TaskServerState}: shared by the
 * single-process {@link TaskServer} and the replicated server's handler, so both accept exactly the same inputs.
 * Malformed input is counted ({@link TaskServerState#onInvalidMessage()}) and dropped, never thrown.
 */
final class ServerInputs
{
    private ServerInputs()
    {
    }

    /**
     * @param state         to apply to.
     * @param reader        scratch reader.
     * @param buffer        message.
     * @param offset        of the message.
     * @param length        of the message.
     * @param nowNs         time of the input (wall clock at the edge, or replicated time).
     * @param onClientSeen  called with a client's channel before its submission is applied (to connect early).
     */
    static void apply(
        final TaskServerState state,
        final Wire.Reader reader,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs,
        final Consumer<String> onClientSeen)
    {
        final Wire.Reader r = reader.wrap(buffer, offset, length);
        final int type = r.getInt();
        switch (type)
        {
            case Wire.HEARTBEAT:
            {
                final long workerId = r.getLong();
                final int capacity = r.getInt();
                final long finished = r.getLong();
                final String channel = r.getString();
                if (r.ok() && capacity >= 0 && capacity <= 1 << 16)
                {
                    state.onHeartbeat(workerId, capacity, finished, channel, nowNs);
                    return;
                }
                break;
            }
            case Wire.RESULT:
            {
                final long workerId = r.getLong();
                final long finished = r.getLong();
                final TaskId id = r.getId();
                final byte[] value = r.getBytes();
                if (r.ok())
                {
                    state.onResult(workerId, finished, id, value, nowNs);
                    return;
                }
                break;
            }
            case Wire.SPAWNED:
            {
                final long workerId = r.getLong();
                final long finished = r.getLong();
                final TaskId id = r.getId();
                final int n = r.getInt();
                if (r.ok() && n > 0 && n <= Wire.MAX_CHILDREN)
                {
                    final byte[][] children = new byte[n][];
                    for (int i = 0; i < n; i++)
                    {
                        children[i] = r.getBytes();
                    }
                    final byte[] compose = r.getBytes();
                    if (r.ok())
                    {
                        state.onSpawned(workerId, finished, id, children, compose, nowNs);
                        return;
                    }
                }
                break;
            }
            case Wire.TASK_FAILED:
            {
                final long workerId = r.getLong();
                final long finished = r.getLong();
                final TaskId id = r.getId();
                final String description = r.getString();
                if (r.ok())
                {
                    state.onFailed(workerId, finished, id, description, nowNs);
                    return;
                }
                break;
            }
            case Wire.GOODBYE:
            {
                final long workerId = r.getLong();
                if (r.ok())
                {
                    state.onGoodbye(workerId, nowNs);
                    return;
                }
                break;
            }
            case Wire.SUBMIT:
            {
                final long nonce = r.getLong();
                final String channel = r.getString();
                final byte[] root = r.getBytes();
                if (r.ok())
                {
                    onClientSeen.accept(channel);
                    state.onSubmit(nonce, channel, root, nowNs);
                    return;
                }
                break;
            }
            case Wire.INCUMBENT:
            {
                final int jobId = r.getInt();
                final long value = r.getLong();
                if (r.ok())
                {
                    state.onIncumbent(jobId, value);
                    return;
                }
                break;
            }
            default:
                break;
        }
        state.onInvalidMessage();
    }
}
