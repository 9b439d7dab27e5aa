package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.state.Attr;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.dominoes.fs.FsLimits.ROOT_INO;
import static org.junit.jupiter.api.Assertions.*;

/**
 * getattr/lookup/resolve give the same answers whether served on the calling thread from a caught-up
 * replica's copy or as events by the owner replica, and a mutation acknowledged on one thread is seen by
 * a read another thread starts afterwards (the argument of {@code FsService.lockCaughtUpReplica}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FsCallerThreadReadsTest
{
    private static final String DIR = "d\u00e9"; // non-ASCII: names are keyed by their UTF-8 bytes
    private static final long UNLINKED = -1;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({ "1,true,true", "2,true,true", "3,true,true", "1,false,true", "2,false,true", "2,true,false",
        "1,false,false" })
    void resolveAnswersAsComponentLookupsDo(final int replicas, final boolean callerReads, final boolean callerMutations)
    {
        try (FsService fs = open(replicas, callerReads, callerMutations))
        {
            final Attr attr = new Attr();
            final long d = fs.mkdir(0, 0, ROOT_INO, DIR, 0755, attr);
            assertTrue(d > 0, Errno.describe(d));
            final long f = fs.create(0, 0, d, "f", 0644, attr);
            assertTrue(f > 0, Errno.describe(f));
            assertEquals(d, fs.resolve("/" + DIR, attr));
            assertEquals(2, attr.nlink);
            assertEquals(d, fs.lookup(0, 0, ROOT_INO, DIR, attr));
            assertEquals(f, fs.resolve("//" + DIR + "/./f", attr));
            assertTrue(FileModeCheck.isRegular(attr.mode));
            assertEquals(ROOT_INO, fs.resolve("/", attr));
            assertEquals(-Errno.ENOENT, fs.resolve("/" + DIR + "/none", attr));
            assertEquals(-Errno.ENOTDIR, fs.resolve("/" + DIR + "/f/x", attr));
            assertEquals(-Errno.ENAMETOOLONG, fs.resolve("/" + "x".repeat(300), attr));
            assertEquals(-Errno.ENOENT, fs.getattr(f + 1000, attr));
        }
    }

    @ParameterizedTest
    @CsvSource({ "1,true,true", "2,true,true", "1,false,true", "2,false,true", "2,true,false", "1,false,false" })
    void aReadStartedAfterAnAcknowledgementOnAnotherThreadSeesIt(final int replicas, final boolean callerReads,
        final boolean callerMutations) throws Exception
    {
        try (FsService fs = open(replicas, callerReads, callerMutations))
        {
            final Attr attr = new Attr();
            final long d = fs.mkdir(0, 0, ROOT_INO, DIR, 0755, attr);
            // The queues order each acknowledgement before the other thread's read (put/take: happens-before).
            final BlockingQueue<long[]> acked = new ArrayBlockingQueue<>(1);
            final BlockingQueue<Boolean> checked = new ArrayBlockingQueue<>(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread reader = new Thread(() ->
            {
                final Attr a = new Attr();
                try
                {
                    for (long[] m; (m = acked.take())[0] >= 0; checked.put(Boolean.TRUE))
                    {
                        final String name = "f" + m[0];
                        if (m[1] == UNLINKED)
                        {
                            assertEquals(-Errno.ENOENT, fs.lookup(0, 0, d, name, a), name);
                            assertEquals(-Errno.ENOENT, fs.resolve("/" + DIR + "/" + name, a), name);
                        }
                        else
                        {
                            assertEquals(m[1], fs.lookup(0, 0, d, name, a), name);
                            assertEquals(m[1], fs.resolve("/" + DIR + "/" + name, a), name);
                            assertEquals(0, fs.getattr(m[1], a), name);
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                    checked.offer(Boolean.FALSE);
                }
            });
            reader.start();
            for (int i = 0; i < 200 && null == failure.get(); i++)
            {
                final long ino = fs.create(0, 0, d, "f" + i, 0644, attr);
                assertTrue(ino > 0, Errno.describe(ino));
                acked.put(new long[]{ i, ino });
                checked.take();
                assertEquals(0, fs.unlink(0, 0, d, "f" + i));
                acked.put(new long[]{ i, UNLINKED });
                checked.take();
            }
            acked.put(new long[]{ -1, 0 });
            reader.join();
            assertNull(failure.get(), () -> String.valueOf(failure.get()));
            assertEquals(List.of(), fs.check());
            if (callerMutations)
            {
                assertTrue(fs.mutationsAppliedOnCaller() > 0, "no mutation took the caller-thread path");
            }
            else
            {
                assertEquals(0, fs.mutationsAppliedOnCaller());
            }
        }
    }

    /**
     * Mutations applied on the caller's thread are also applied by every other replica (their copies answer
     * event reads, readdir, and pass the fsck and digest comparison), and survive a restart (they were journaled).
     */
    @ParameterizedTest
    @CsvSource({ "1", "2", "3" })
    void callerAppliedMutationsReachEveryReplicaAndTheJournal(final int replicas)
    {
        final Attr attr = new Attr();
        final long[] inos = new long[50];
        // Replicas parked until woken (as a FUSE mount runs them): every event read below must wake its owner.
        try (FsService fs = FsService.open(new FsService.Context().directory(dir).replicas(replicas)
            .callerThreadReads(false).parkUntilWoken(true)))
        {
            final long d = fs.mkdir(0, 0, ROOT_INO, DIR, 0755, attr);
            for (int i = 0; i < inos.length; i++)
            {
                inos[i] = fs.create(0, 0, d, "f" + i, 0644, attr);
                assertTrue(inos[i] > 0, Errno.describe(inos[i]));
                assertEquals(0, fs.rename(0, 0, d, "f" + i, d, "g" + i, 0));
            }
            assertEquals(0, fs.unlink(0, 0, d, "g0"));
            assertTrue(fs.mutationsAppliedOnCaller() > 0);
            // Every read here is an event served by the inode's owner replica (caller reads are off).
            for (int i = 1; i < inos.length; i++)
            {
                assertEquals(inos[i], fs.lookup(0, 0, d, "g" + i, attr), "g" + i);
                assertEquals(0, fs.getattr(inos[i], attr));
                assertEquals(-Errno.ENOENT, fs.lookup(0, 0, d, "f" + i, attr));
            }
            final List<Request.DirEntry> entries = new java.util.ArrayList<>();
            assertTrue(fs.readdir(0, 0, d, entries) >= 0);
            assertEquals(inos.length - 1, entries.stream().filter(e -> e.name.startsWith("g")).count());
            assertEquals(List.of(), fs.check());
        }
        try (FsService fs = open(replicas, true, true))
        {
            final long d = fs.resolve("/" + DIR, attr);
            assertTrue(d > 0, Errno.describe(d));
            assertEquals(-Errno.ENOENT, fs.lookup(0, 0, d, "g0", attr));
            for (int i = 1; i < inos.length; i++)
            {
                assertEquals(inos[i], fs.lookup(0, 0, d, "g" + i, attr), "g" + i);
            }
            assertEquals(List.of(), fs.check());
        }
    }

    private FsService open(final int replicas, final boolean callerReads, final boolean callerMutations)
    {
        return FsService.open(new FsService.Context().directory(dir).replicas(replicas)
            .callerThreadReads(callerReads).callerThreadMutations(callerMutations));
    }

    private static final class FileModeCheck
    {
        static boolean isRegular(final int mode)
        {
            return (mode & 0170000) == 0100000;
        }
    }
}
