package io.dominoes.tasks.remote;

import io.dominoes.tasks.api.TaskId;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The task protocol's messages and their codec. Every message is a little-endian sequence of fields, starting with
 * an int type; variable-length fields are an int length then the bytes. Task bodies, compose bodies and values are
 * plain Java serialization of the application objects (the only place it is used: the remote boundary).
 * <pre>
 *   HELLO/HEARTBEAT  worker -> server  type | workerId:long | capacity:int | finished:long | channel:str
 *   RESULT           worker -> server  type | workerId:long | finished:long | id:bytes | value:bytes
 *   SPAWNED          worker -> server  type | workerId:long | finished:long | id:bytes | n:int | n x child:bytes
 *                                      | compose:bytes
 *   GOODBYE          worker -> server  type | workerId:long
 *   SUBMIT           client -> server  type | clientId:long | channel:str | root:bytes
 *   INCUMBENT        any    -> any     type | jobId:int | value:long
 *   TASK             server -> worker  type | id:bytes | split:int | kind:int | body:bytes | argc:int
 *                                      | argc x arg:bytes
 *   JOB_DONE         server -> client  type | jobId:int | created:long | accepted:long | issues:long
 *                                      | reissues:long | duplicates:long | value:bytes
 * </pre>
 * Decoding never throws: {@link Reader} reports a truncated or impossible message through {@link Reader#ok()}, and
 * the adapter counts and drops it.
 */
final class Wire
{
    static final int HEARTBEAT = 1;
    static final int RESULT = 2;
    static final int SPAWNED = 3;
    static final int GOODBYE = 4;
    static final int SUBMIT = 5;
    static final int INCUMBENT = 6;
    static final int TASK_FAILED = 7;
    static final int TASK = 10;
    static final int JOB_DONE = 11;
    static final int JOB_FAILED = 12;

    static final int KIND_TASK = 0;
    static final int KIND_COMPOSE = 1;

    static final int SERVER_STREAM_ID = 1001;
    static final int WORKER_STREAM_ID = 1002;

    /** Largest variable-length field accepted; Aeron's own limit (term length / 8) is below this anyway. */
    static final int MAX_FIELD_LENGTH = 16 << 20;
    static final int MAX_CHILDREN = 1 << 16;

    private Wire()
    {
    }

    /**
     * Appends fields to an expandable buffer from offset 0.
     */
    static final class Writer
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        int length;

        Writer reset(final int type)
        {
            length = 0;
            return putInt(type);
        }

        Writer putInt(final int value)
        {
            buffer.putInt(length, value, ByteOrder.LITTLE_ENDIAN);
            length += Integer.BYTES;
            return this;
        }

        Writer putLong(final long value)
        {
            buffer.putLong(length, value, ByteOrder.LITTLE_ENDIAN);
            length += Long.BYTES;
            return this;
        }

        Writer putBytes(final byte[] bytes)
        {
            putInt(bytes.length);
            buffer.putBytes(length, bytes);
            length += bytes.length;
            return this;
        }

        Writer putId(final TaskId id)
        {
            putInt(id.encodedLength());
            id.encode(buffer, length);
            length += id.encodedLength();
            return this;
        }

        Writer putString(final String s)
        {
            return putBytes(s.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * Reads fields with bounds checks; after the first failure every read returns a zero value and {@link #ok()} is
     * false.
     */
    static final class Reader
    {
        private DirectBuffer buffer;
        private int offset;
        private int limit;
        private boolean ok;

        Reader wrap(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.offset = offset;
            this.limit = offset + length;
            this.ok = true;
            return this;
        }

        boolean ok()
        {
            return ok;
        }

        int getInt()
        {
            if (!ok || limit - offset < Integer.BYTES)
            {
                ok = false;
                return 0;
            }
            final int value = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
            offset += Integer.BYTES;
            return value;
        }

        long getLong()
        {
            if (!ok || limit - offset < Long.BYTES)
            {
                ok = false;
                return 0;
            }
            final long value = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            offset += Long.BYTES;
            return value;
        }

        byte[] getBytes()
        {
            final int length = getInt();
            if (!ok || length < 0 || length > MAX_FIELD_LENGTH || length > limit - offset)
            {
                ok = false;
                return null;
            }
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            offset += length;
            return bytes;
        }

        TaskId getId()
        {
            final int length = getInt();
            if (!ok || length <= 0 || length > limit - offset)
            {
                ok = false;
                return null;
            }
            final TaskId id = TaskId.decode(buffer, offset, length);
            offset += length;
            if (id == null)
            {
                ok = false;
            }
            return id;
        }

        String getString()
        {
            final byte[] bytes = getBytes();
            return bytes == null ? null : new String(bytes, StandardCharsets.US_ASCII);
        }
    }
}
