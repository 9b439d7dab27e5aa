package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.ops.SetAttrMask;
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
 * Bad input through the whole replicated path (sequencer, journal, replicas, partitioned reads), on
 * three replicas with digests compared every 8 events: every request gets its errno, nothing changes,
 * and the replicas stay identical.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FsBadInputTest
{
    @TempDir
    Path dir;

    private FsService open()
    {
        return FsService.open(new FsService.Context().directory(dir).replicas(3).digestEvery(8));
    }

    private static void assertErr(final int errno, final long result)
    {
        assertEquals(-errno, result, () -> "expected " + Errno.describe(-errno) + " got " + Errno.describe(result));
    }

    @Test
    void namesWithSlashNulOrOver255BytesAreRejectedAndChangeNothing()
    {
        try (FsService fs = open())
        {
            final Attr attr = new Attr();
            final long dirIno = fs.mkdir(0, 0, ROOT_INO, "d", 0755, attr);
            final long file = fs.create(0, 0, dirIno, "f", 0644, attr);
            assertTrue(file > 0);
            final String max = "\u00e9".repeat(127) + "x";       // 255 bytes of UTF-8: allowed
            final String tooLong = "\u00e9".repeat(128);          // 256 bytes, 128 chars
            assertEquals(255, max.getBytes(StandardCharsets.UTF_8).length);
            for (final String bad : new String[] {"a/b", "/", "a\0b", "\0"})
            {
                assertErr(Errno.EINVAL, fs.create(0, 0, dirIno, bad, 0644, attr));
                assertErr(Errno.EINVAL, fs.mkdir(0, 0, dirIno, bad, 0755, attr));
                assertErr(Errno.EINVAL, fs.mknod(0, 0, dirIno, bad, 0644, attr));
                assertErr(Errno.EINVAL, fs.symlink(0, 0, dirIno, bad, "target", attr));
                assertErr(Errno.EINVAL, fs.link(0, 0, file, dirIno, bad, attr));
                assertErr(Errno.EINVAL, fs.rename(0, 0, dirIno, "f", dirIno, bad, 0));
                assertErr(Errno.EINVAL, fs.lookup(0, 0, dirIno, bad, attr));
            }
            assertErr(Errno.ENAMETOOLONG, fs.create(0, 0, dirIno, tooLong, 0644, attr));
            assertErr(Errno.ENAMETOOLONG, fs.mkdir(0, 0, dirIno, tooLong, 0755, attr));
            assertErr(Errno.ENAMETOOLONG, fs.symlink(0, 0, dirIno, tooLong, "t", attr));
            assertErr(Errno.ENAMETOOLONG, fs.link(0, 0, file, dirIno, tooLong, attr));
            assertErr(Errno.ENAMETOOLONG, fs.rename(0, 0, dirIno, "f", dirIno, tooLong, 0));
            assertErr(Errno.ENAMETOOLONG, fs.lookup(0, 0, dirIno, tooLong, attr));
            assertErr(Errno.ENAMETOOLONG, fs.unlink(0, 0, dirIno, tooLong));
            assertErr(Errno.ENAMETOOLONG, fs.create(0, 0, dirIno, "x".repeat(5000), 0644, attr));
            assertTrue(fs.create(0, 0, dirIno, max, 0644, attr) > 0, "255 bytes is allowed");
            final List<Request.DirEntry> entries = new ArrayList<>();
            assertEquals(4, fs.readdir(0, 0, dirIno, entries), entries::toString); // . .. f max
            assertEquals(List.of(), fs.check());
        }
    }

    @Test
    void pathsThroughNonDirectoriesAreEnotdir()
    {
        try (FsService fs = open())
        {
            final Attr attr = new Attr();
            final long file = fs.create(0, 0, ROOT_INO, "file", 0644, attr);
            final long link = fs.symlink(0, 0, ROOT_INO, "sym", "/file", attr);
            for (final long notDir : new long[] {file, link})
            {
                assertErr(Errno.ENOTDIR, fs.create(0, 0, notDir, "x", 0644, attr));
                assertErr(Errno.ENOTDIR, fs.mkdir(0, 0, notDir, "x", 0755, attr));
                assertErr(Errno.ENOTDIR, fs.lookup(0, 0, notDir, "x", attr));
                assertErr(Errno.ENOTDIR, fs.unlink(0, 0, notDir, "x"));
                assertErr(Errno.ENOTDIR, fs.rmdir(0, 0, notDir, "x"));
                assertErr(Errno.ENOTDIR, fs.rename(0, 0, ROOT_INO, "file", notDir, "x", 0));
                assertErr(Errno.ENOTDIR, fs.rename(0, 0, notDir, "x", ROOT_INO, "y", 0));
                assertErr(Errno.ENOTDIR, fs.link(0, 0, file, notDir, "x", attr));
                assertErr(Errno.ENOTDIR, fs.readdir(0, 0, notDir, new ArrayList<>()));
            }
            assertErr(Errno.ENOTDIR, fs.resolve("/file/x", attr));
            assertErr(Errno.ENOTDIR, fs.resolve("/file/x/y", attr));
            assertErr(Errno.ENOTDIR, fs.resolve("/sym/x", attr)); // no symlink following
            assertEquals(file, fs.resolve("/file", attr));
            assertEquals(List.of(), fs.check());
        }
    }

    @Test
    void operationsOnRemovedInodesAreEnoent()
    {
        try (FsService fs = open())
        {
            final Attr attr = new Attr();
            final long gone = fs.create(0, 0, ROOT_INO, "gone", 0644, attr);
            final long goneDir = fs.mkdir(0, 0, ROOT_INO, "goneDir", 0755, attr);
            assertEquals(0, fs.unlink(0, 0, ROOT_INO, "gone"));
            assertEquals(0, fs.rmdir(0, 0, ROOT_INO, "goneDir"));
            final byte[] data = "data".getBytes(StandardCharsets.UTF_8);
            assertErr(Errno.ENOENT, fs.getattr(gone, attr));
            assertErr(Errno.ENOENT, fs.setattr(0, 0, gone, SetAttrMask.MODE, 0600, 0, 0, 0, 0, 0, attr));
            assertErr(Errno.ENOENT, fs.write(0, 0, gone, 0, new UnsafeBuffer(data), 0, data.length));
            assertErr(Errno.ENOENT, fs.read(gone, 0, new UnsafeBuffer(new byte[8]), 0, 8));
            assertErr(Errno.ENOENT, fs.open(0, 0, gone, 4));
            assertErr(Errno.ENOENT, fs.link(0, 0, gone, ROOT_INO, "back", attr));
            assertErr(Errno.ENOENT, fs.access(0, 0, gone, 4));
            assertNull(fs.readlink(gone));
            assertErr(Errno.ENOENT, fs.create(0, 0, goneDir, "x", 0644, attr));
            assertErr(Errno.ENOENT, fs.mkdir(0, 0, goneDir, "x", 0755, attr));
            assertErr(Errno.ENOENT, fs.lookup(0, 0, goneDir, "x", attr));
            assertErr(Errno.ENOENT, fs.readdir(0, 0, goneDir, new ArrayList<>()));
            assertErr(Errno.ENOENT, fs.rename(0, 0, ROOT_INO, "gone", ROOT_INO, "again", 0));
            assertErr(Errno.ENOENT, fs.unlink(0, 0, ROOT_INO, "gone"));
            assertErr(Errno.ENOENT, fs.getattr(Long.MAX_VALUE, attr));
            assertErr(Errno.ENOENT, fs.getattr(-5, attr));
            final long[] statfs = new long[2];
            fs.statfs(statfs);
            assertEquals(1, statfs[0], "only the root is left");
            assertEquals(List.of(), fs.check());
        }
    }
}
