package io.dominoes.net.monitor;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes each connection's reassembled bytes, one file per direction:
 * {@code DIR/<client-ip>.<port>-<server-ip>.<port>.<c2s|s2c>.bin}. Both files are created when the connection
 * opens, so a silent direction leaves an empty file. A hole skipped by the reassembly ({@link StreamSink#onGap})
 * is written as that many zero bytes, so file offsets equal offsets from the start of the stream (the same
 * convention as {@code follow2bin.py}). A later connection on the same 4-tuple gets {@code .2}, {@code .3}, ...
 * before the direction suffix. I/O errors are recorded ({@link #errors()}) and stop writing that connection;
 * they never propagate into the monitor.
 */
public final class StreamDumpWriter implements StreamSink, AutoCloseable
{
    private final Path directory;
    private final ByteBuffer copy = ByteBuffer.allocateDirect(64 * 1024);
    private final Set<String> stemsUsed = new HashSet<>();
    private final List<String> errors = new ArrayList<>();
    private final List<Path> written = new ArrayList<>();
    private FileChannel[] channels = new FileChannel[0];

    /**
     * @param directory created if absent.
     */
    public StreamDumpWriter(final Path directory) throws IOException
    {
        this.directory = directory;
        Files.createDirectories(directory);
    }

    /**
     * @return the file name for a connection stem and direction.
     */
    public static String fileName(final String stem, final int direction)
    {
        return stem + (direction == TcpConnection.CLIENT_TO_SERVER ? ".c2s.bin" : ".s2c.bin");
    }

    public void onOpen(final TcpConnection connection)
    {
        final int slot = connection.index();
        if (2 * slot + 1 >= channels.length)
        {
            channels = java.util.Arrays.copyOf(channels, Math.max(2 * slot + 2, channels.length * 2));
        }
        String stem = connection.name();
        for (int n = 2; !stemsUsed.add(stem); n++)
        {
            stem = connection.name() + '.' + n;
        }
        for (int d = 0; d < 2; d++)
        {
            final Path file = directory.resolve(fileName(stem, d));
            try
            {
                channels[2 * slot + d] = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                written.add(file);
            }
            catch (final IOException | RuntimeException ex)
            {
                errors.add(file + ": " + ex);
                channels[2 * slot + d] = null;
            }
        }
    }

    public void onData(
        final TcpConnection connection, final int direction, final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = 2 * connection.index() + direction;
        if (index >= channels.length || null == channels[index])
        {
            return;
        }
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(length - done, copy.capacity());
            copy.clear();
            buffer.getBytes(offset + done, copy, 0, n);
            copy.limit(n);
            if (!write(index))
            {
                return;
            }
            done += n;
        }
    }

    public void onGap(final TcpConnection connection, final int direction, final int length)
    {
        final int index = 2 * connection.index() + direction;
        if (index >= channels.length || null == channels[index])
        {
            return;
        }
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(length - done, copy.capacity());
            copy.clear();
            for (int i = 0; i < n; i++)
            {
                copy.put(i, (byte)0);
            }
            copy.limit(n);
            if (!write(index))
            {
                return;
            }
            done += n;
        }
    }

    private boolean write(final int index)
    {
        try
        {
            while (copy.hasRemaining())
            {
                channels[index].write(copy);
            }
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            errors.add("write failed: " + ex);
            closeQuietly(index);
            return false;
        }
    }

    public void onClose(final TcpConnection connection)
    {
        final int slot = connection.index();
        if (2 * slot + 1 < channels.length)
        {
            closeQuietly(2 * slot);
            closeQuietly(2 * slot + 1);
        }
    }

    private void closeQuietly(final int index)
    {
        final FileChannel channel = channels[index];
        channels[index] = null;
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                errors.add("close failed: " + ex);
            }
        }
    }

    /**
     * @return I/O errors met, empty if none.
     */
    public List<String> errors()
    {
        return errors;
    }

    /**
     * @return every file created, in creation order.
     */
    public List<Path> files()
    {
        return written;
    }

    /**
     * Close any file still open (connections never flushed).
     */
    public void close()
    {
        for (int i = 0; i < channels.length; i++)
        {
            closeQuietly(i);
        }
    }
}
