package io.dominoes.tasks.remote;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * Plain Java serialization of application tasks, compose successors and results, used only at the remote boundary.
 * Both ends are trusted processes of one job (a task server and its workers); this is not for untrusted networks.
 */
final class JavaSerialization
{
    /**
     * Returned by {@link #fromBytes(byte[])} for bytes that are not a readable object (a valid null stays null).
     */
    static final Object INVALID = new Object();

    private JavaSerialization()
    {
    }

    static byte[] toBytes(final Object object)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot serialize " + object.getClass().getName(), ex);
        }
        return bytes.toByteArray();
    }

    /**
     * @return the object (may be null), or {@link #INVALID} when the bytes are not a readable serialized object (the
     * caller counts and drops).
     */
    static Object fromBytes(final byte[] bytes)
    {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)))
        {
            return in.readObject();
        }
        catch (final IOException | ClassNotFoundException | RuntimeException ex)
        {
            return INVALID;
        }
    }
}
