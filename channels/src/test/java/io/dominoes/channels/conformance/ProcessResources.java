package io.dominoes.channels.conformance;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What this (Linux) process still holds under a directory: open file descriptors
 * ({@code /proc/self/fd}) and memory mappings ({@code /proc/self/maps}). A closed channel must hold
 * neither, even where its files stay on disk on purpose (a durable log).
 */
final class ProcessResources
{
    private ProcessResources()
    {
    }

    /**
     * @param directory to look under.
     * @return descriptions of fds and mappings whose path lies under the directory; empty where
     *         /proc is missing (not Linux).
     */
    static List<String> heldUnder(final File directory)
    {
        final String prefix = directory.getAbsolutePath() + File.separator;
        final List<String> held = new ArrayList<>();
        final Path fds = Paths.get("/proc/self/fd");
        if (Files.isDirectory(fds))
        {
            try (Stream<Path> links = Files.list(fds))
            {
                links.forEach(link ->
                {
                    try
                    {
                        final String target = Files.readSymbolicLink(link).toString();
                        if (target.startsWith(prefix))
                        {
                            held.add("fd " + link.getFileName() + " -> " + target);
                        }
                    }
                    catch (final IOException ignore)
                    {
                        // the fd closed while listing (e.g. the listing's own): not held
                    }
                });
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot list /proc/self/fd", ex);
            }
        }
        final Path maps = Paths.get("/proc/self/maps");
        if (Files.isReadable(maps))
        {
            try
            {
                for (final String line : Files.readAllLines(maps))
                {
                    final int slash = line.indexOf('/');
                    if (slash >= 0 && line.substring(slash).startsWith(prefix))
                    {
                        held.add("mapping " + line);
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot read /proc/self/maps", ex);
            }
        }
        return held;
    }
}
