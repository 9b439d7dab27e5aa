package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.FsLimits;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.dominoes.fs.FsLimits.ROOT_INO;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FsServiceTest
{
    @TempDir
    Path dir;

    FsService open(final int replicas)
    {
        return FsService.open(new FsService.Context().directory(dir).replicas(replicas));
    }

    static String readAll(final FsService fs, final long ino, final int length)
    {
        final byte[] b = new byte[length];
        final long n = fs.read(ino, 0, new UnsafeBuffer(b), 0, length);
        assertTrue(n >= 0, Errno.describe(n));
        return new String(b, 0, (int)n, StandardCharsets.UTF_8);
    }

    @Test
    void mutationsAreVisibleOnEveryReplicaAndRepliesCarryAttributes()
    {
        try (FsService fs = open(3))
        {
            final Attr attr = new Attr();
            final long dirIno = fs.mkdir(0, 0, ROOT_INO, "d", 0755, attr);
            assertTrue(dirIno > 0);
            assertEquals(2, attr.nlink);
            for (int i = 0; i < 20; i++)
            {
                assertTrue(fs.create(0, 0, dirIno, "f" + i, 0644, attr) > 0);
            }
            assertEquals(-Errno.EEXIST, fs.create(0, 0, dirIno, "f3", 0644, attr));
            final List<Request.DirEntry> entries = new ArrayList<>();
            assertEquals(22, fs.readdir(0, 0, dirIno, entries));
            // Every inode's getattr goes to a different replica by inode: all of them must know it.
            for (final Request.DirEntry e : entries)
            {
                assertEquals(0, fs.getattr(e.ino, attr));
            }
            assertEquals(List.of(), fs.check());
        }
    }

    @Test
    void dataSpansBlocksOwnedByDifferentReplicas()
    {
        try (FsService fs = open(3))
        {
            final Attr attr = new Attr();
            final long ino = fs.create(0, 0, ROOT_INO, "big", 0644, attr);
            final byte[] data = new byte[FsLimits.BLOCK_SIZE * 3 + 123];
            new Random(42).nextBytes(data);
            assertEquals(data.length, fs.write(0, 0, ino, 1000, new UnsafeBuffer(data), 0, data.length));
            final byte[] back = new byte[data.length + 5000];
            assertEquals(data.length + 1000, fs.read(ino, 0, new UnsafeBuffer(back), 0, back.length));
            for (int i = 0; i < 1000; i++)
            {
                assertEquals(0, back[i]);
            }
            for (int i = 0; i < data.length; i++)
            {
                assertEquals(data[i], back[i + 1000], "byte " + i);
            }
            final long sparse = 3L << 30;
            assertEquals(3, fs.write(0, 0, ino, sparse, new UnsafeBuffer("end".getBytes()), 0, 3));
            assertEquals(0, fs.getattr(ino, attr));
            assertEquals(sparse + 3, attr.size);
            assertEquals(List.of(), fs.check());
        }
    }

    @Test
    void recoversFromJournalAndSnapshotWithDifferentReplicaCount()
    {
        final long ino;
        try (FsService fs = FsService.open(new FsService.Context().directory(dir).replicas(2).snapshotEveryOps(25)))
        {
            final Attr attr = new Attr();
            final long d = fs.mkdir(0, 0, ROOT_INO, "d", 0755, attr);
            ino = fs.create(0, 0, d, "file", 0600, attr);
            for (int i = 0; i < 40; i++)
            {
                final byte[] b = ("line " + i + "\n").getBytes();
                fs.write(0, 0, ino, (long)i * FsLimits.BLOCK_SIZE / 4, new UnsafeBuffer(b), 0, b.length);
            }
            fs.symlink(0, 0, d, "link", "file", attr);
            fs.rename(0, 0, d, "file", ROOT_INO, "moved", 0);
        }
        try (FsService fs = open(3))
        {
            final Attr attr = new Attr();
            assertEquals(ino, fs.resolve("/moved", attr));
            assertEquals(0600, attr.mode & 07777);
            final byte[] b = new byte[6];
            assertEquals(6, fs.read(ino, 39L * FsLimits.BLOCK_SIZE / 4, new UnsafeBuffer(b), 0, 6));
            assertEquals("line 3", new String(b));
            assertEquals("file", fs.readlink(fs.resolve("/d/link", null)));
            assertEquals(List.of(), fs.check());
        }
    }

    @Test
    void openUnlinkedFileIsFreedAfterRestart()
    {
        final long ino;
        try (FsService fs = FsService.open(new FsService.Context().directory(dir).replicas(2).snapshotOnClose(false)))
        {
            ino = fs.create(0, 0, ROOT_INO, "tmp", 0644, null);
            assertEquals(0, fs.open(0, 0, ino, 6));
            assertEquals(0, fs.unlink(0, 0, ROOT_INO, "tmp"));
            assertEquals(2, fs.write(0, 0, ino, 0, new UnsafeBuffer("hi".getBytes()), 0, 2));
            assertEquals("hi", readAll(fs, ino, 10));
            assertEquals(List.of(), fs.check());
        }
        try (FsService fs = open(2))
        {
            assertEquals(-Errno.ENOENT, fs.getattr(ino, new Attr()));
            assertEquals(List.of(), fs.check());
        }
    }

    @Test
    void concurrentClientsKeepReplicasIdentical() throws Exception
    {
        try (FsService fs = open(2))
        {
            final Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++)
            {
                final int id = t;
                threads[t] = new Thread(() ->
                {
                    final long d = fs.mkdir(0, 0, ROOT_INO, "t" + id, 0755, null);
                    for (int i = 0; i < 100; i++)
                    {
                        fs.create(0, 0, d, "f" + i, 0644, null);
                        fs.rename(0, 0, d, "f" + i, ROOT_INO, "g" + id + "_" + i, 0);
                        fs.setattr(0, 0, fs.resolve("/g" + id + "_" + i, null), SetAttrMask.MODE, 0600, 0, 0, 0, 0, 0,
                            null);
                    }
                });
                threads[t].start();
            }
            for (final Thread t : threads)
            {
                t.join();
            }
            final List<Request.DirEntry> entries = new ArrayList<>();
            assertEquals(2 + 4 + 400, fs.readdir(0, 0, ROOT_INO, entries));
            assertEquals(List.of(), fs.check());
        }
    }

    @Test
    void tooLongNamesAreRejectedBeforeTheJournal()
    {
        try (FsService fs = open(1))
        {
            assertEquals(-Errno.ENAMETOOLONG, fs.create(0, 0, ROOT_INO, "x".repeat(5000), 0644, null));
            assertEquals(-Errno.ENAMETOOLONG, fs.create(0, 0, ROOT_INO, "x".repeat(300), 0644, null));
            assertEquals(-Errno.EINVAL, fs.write(0, 0, ROOT_INO, -1, new UnsafeBuffer(new byte[1]), 0, 1));
            assertEquals(List.of(), fs.check());
        }
    }
}
