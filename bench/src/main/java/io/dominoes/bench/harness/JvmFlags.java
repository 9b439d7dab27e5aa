package io.dominoes.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags Agrona, Aeron and Chronicle need, from the one place they live (the root pom's
 * {@code dominoes.jvm.flags}, filtered into the {@code dominoes-jvm.flags} resource). JMH forks get
 * them as {@code jvmArgsAppend}; the list is never repeated in code.
 */
public final class JvmFlags
{
    /**
     * Class-path resource holding the flags, whitespace separated.
     */
    public static final String RESOURCE = "/dominoes-jvm.flags";

    private JvmFlags()
    {
    }

    /**
     * @return the flags.
     * @throws IllegalStateException if the resource is missing or was not filtered by Maven.
     */
    public static List<String> load()
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException("resource " + RESOURCE + " not on the class path: build the bench module");
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (text.isEmpty() || text.contains("${"))
            {
                throw new IllegalStateException("resource " + RESOURCE + " was not filtered by Maven: '" + text + "'");
            }
            return List.copyOf(Arrays.asList(text.split("\\s+")));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + RESOURCE, ex);
        }
    }
}
