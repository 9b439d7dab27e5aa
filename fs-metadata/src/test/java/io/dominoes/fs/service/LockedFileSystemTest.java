package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.state.Attr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.dominoes.fs.FsLimits.ROOT_INO;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The plain baseline must behave like the replicated service for the same calls, or the FUSE comparison
 * compares different work.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LockedFileSystemTest
{
    @TempDir
    Path dir;

    @Test
    void sameCallsGiveTheSameResultsAsTheReplicatedService()
    {
        try (FsService replicated = FsService.open(new FsService.Context().directory(dir).replicas(2));
            LockedFileSystem plain = new LockedFileSystem())
        {
            for (final FsApi fs : new FsApi[] {replicated, plain})
            {
                assertEquals(List.of(-2L, -2L, 0L, 0L, 6L, 0L, 7L, 2L, 0L, -2L, 5L, 1L),
                    script(fs), fs.getClass().getSimpleName());
            }
        }
    }

    private static List<Long> script(final FsApi fs)
    {
        final Attr attr = new Attr();
        final List<Long> out = new ArrayList<>();
        final long d = fs.mkdir(0, 0, ROOT_INO, "d", 0755, attr);
        final long f = fs.create(0, 0, d, "f\u00e9", 0644, attr);
        assertEquals(f, attr.ino);
        out.add((long)-Errno.ENOENT == fs.lookup(0, 0, d, "missing", attr) ? -2L : 99L);
        out.add((long)-Errno.ENOENT == fs.lookup(0, 0, ROOT_INO, "f\u00e9", attr) ? -2L : 99L);
        out.add(fs.lookup(0, 0, d, "f\u00e9", attr) == f ? 0L : 99L);
        out.add((long)fs.rename(0, 0, d, "f\u00e9", d, "g", 0));
        out.add(fs.write(0, 0, f, 0, new UnsafeBuffer("hello!".getBytes(StandardCharsets.UTF_8)), 0, 6));
        out.add((long)fs.getattr(f, attr));
        out.add(attr.size + 1);
        final List<Request.DirEntry> entries = new ArrayList<>();
        fs.readdir(0, 0, d, entries);
        out.add((long)entries.size() - 1); // ".", "..", "g"
        out.add((long)fs.unlink(0, 0, d, "g"));
        out.add(fs.resolve("/d/g", attr) == -Errno.ENOENT ? -2L : 99L);
        final byte[] b = new byte[5];
        out.add(fs.read(f, 0, new UnsafeBuffer(b), 0, 5) == -Errno.ENOENT ? 5L : fs.read(f, 0, new UnsafeBuffer(b), 0, 5));
        out.add(fs.resolve("/d", attr) == d ? 1L : 99L);
        return out;
    }
}
