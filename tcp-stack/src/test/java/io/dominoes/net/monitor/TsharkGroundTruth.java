package io.dominoes.net.monitor;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Runs /work/shared/pcaps/follow2bin.py (tshark's "follow,tcp,raw") for every TCP stream of a capture.
 */
final class TsharkGroundTruth
{
    record Stream(int index, String node0, String node1, byte[] n0, byte[] n1, long gapBytes)
    {
    }

    private TsharkGroundTruth()
    {
    }

    static boolean available()
    {
        return onPath("tshark") && onPath("python3");
    }

    private static boolean onPath(final String program)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            if (Files.isExecutable(Path.of(dir, program)))
            {
                return true;
            }
        }
        return false;
    }

    static List<Stream> streams(final Path capture, final Path script, final Path work)
        throws IOException, InterruptedException
    {
        final String indexes = exec(List.of("tshark", "-r", capture.toString(), "-T", "fields", "-e", "tcp.stream"));
        final TreeSet<Integer> ids = new TreeSet<>();
        for (final String line : indexes.split("\\R"))
        {
            for (final String id : line.split(","))
            {
                if (!id.isBlank())
                {
                    ids.add(Integer.parseInt(id.trim()));
                }
            }
        }
        final List<Stream> streams = new ArrayList<>();
        for (final int id : ids)
        {
            final Path prefix = work.resolve(capture.getFileName() + "." + id);
            final String out = exec(List.of("python3", script.toString(), capture.toString(), Integer.toString(id),
                prefix.toString()));
            // "node0=ADDR:PORT bytes=N  node1=ADDR:PORT bytes=M  holes=K"
            final String node0 = out.replaceAll("(?s).*node0=(\\S*) .*", "$1").trim();
            final String node1 = out.replaceAll("(?s).*node1=(\\S*) .*", "$1").trim();
            long gapBytes = 0;
            for (final String gap : Files.readAllLines(Path.of(prefix + ".gaps")))
            {
                if (!gap.isBlank())
                {
                    gapBytes += Long.parseLong(gap.trim().split(" ")[2]);
                }
            }
            streams.add(new Stream(id, node0, node1, Files.readAllBytes(Path.of(prefix + ".n0.bin")),
                Files.readAllBytes(Path.of(prefix + ".n1.bin")), gapBytes));
        }
        return streams;
    }

    private static String exec(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (p.exitValue() != 0)
        {
            throw new IOException("exit " + p.exitValue() + ": " + command);
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
