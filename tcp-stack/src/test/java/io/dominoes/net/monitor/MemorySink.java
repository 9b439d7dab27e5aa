package io.dominoes.net.monitor;

import org.agrona.DirectBuffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Test sink: keeps every connection's bytes per direction in memory (holes as zeros, like the dump writer and
 * follow2bin.py), the delivery order of all chunks, and the stats at close.
 */
final class MemorySink implements StreamSink
{
    static final class Stream
    {
        final String name;
        final ByteArrayOutputStream[] bytes = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        ConnectionStats stats;

        Stream(final String name)
        {
            this.name = name;
        }
    }

    final List<Stream> streams = new ArrayList<>();
    final ByteArrayOutputStream interleaved = new ByteArrayOutputStream();
    private Stream[] bySlot = new Stream[16];

    public void onOpen(final TcpConnection connection)
    {
        if (connection.index() >= bySlot.length)
        {
            bySlot = java.util.Arrays.copyOf(bySlot, connection.index() * 2 + 1);
        }
        final Stream s = new Stream(connection.name());
        bySlot[connection.index()] = s;
        streams.add(s);
    }

    public void onData(
        final TcpConnection connection, final int direction, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] chunk = new byte[length];
        buffer.getBytes(offset, chunk);
        bySlot[connection.index()].bytes[direction].writeBytes(chunk);
        interleaved.writeBytes(chunk);
    }

    public void onGap(final TcpConnection connection, final int direction, final int length)
    {
        bySlot[connection.index()].bytes[direction].writeBytes(new byte[length]);
    }

    public void onClose(final TcpConnection connection)
    {
        bySlot[connection.index()].stats = ConnectionStats.of(connection);
    }

    byte[] bytes(final int stream, final int direction)
    {
        return streams.get(stream).bytes[direction].toByteArray();
    }
}
