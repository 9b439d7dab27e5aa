package io.dominoes.fs.state;

import io.dominoes.fs.Errno;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.dominoes.fs.FileMode.*;
import static io.dominoes.fs.FsLimits.ROOT_INO;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Freed inodes and removed names are recycled (no allocation per create/unlink cycle in steady state); a
 * recycled object must come back exactly as a new one, whatever it was before.
 */
class RecyclingTest
{
    @Test
    void aRecycledNameArrayHoldsTheNewNameAndOnlyArraysOfItsLength()
    {
        final NamePool pool = new NamePool();
        final UnsafeBuffer buffer = new UnsafeBuffer("abcdefgh".getBytes(StandardCharsets.US_ASCII));
        final byte[] first = pool.copyOf(buffer, 0, 3);
        pool.recycle(first);
        assertEquals(1, pool.held());
        final byte[] other = pool.copyOf(buffer, 0, 4);
        assertNotSame(first, other, "a 4-byte name does not take a 3-byte array");
        final byte[] again = pool.copyOf(buffer, 5, 3);
        assertSame(first, again);
        assertArrayEquals("fgh".getBytes(StandardCharsets.US_ASCII), again);
        assertEquals(0, pool.held());
        for (int i = 0; i < NamePool.PER_LENGTH + 10; i++)
        {
            pool.recycle(new byte[2]);
        }
        assertEquals(NamePool.PER_LENGTH, pool.held(), "bounded per length");
    }

    @Test
    void aRecycledInodeComesBackAsANewOneWhateverItWas()
    {
        final StateDriver d = new StateDriver();
        final long pub = d.mkdir(ROOT_INO, "pub", 0777); // as root
        d.as(1000, 100);
        // A symlink, a setgid directory with an entry, and a file with data, all freed.
        final long link = d.symlink(pub, "l", "/some/where/far");
        final long dir = d.mkdir(pub, "d", 02775);
        assertTrue(d.create(dir, "x", 0600) > 0);
        final long file = d.create(pub, "f", 0666);
        final long written = d.write(file, 0, "some data");
        assertTrue(written >= 0, Errno.describe(written));
        assertEquals(9, d.attr(file).size);
        assertEquals(0, d.unlink(pub, "l"));
        assertEquals(0, d.unlink(dir, "x"));
        assertEquals(0, d.rmdir(pub, "d"));
        assertEquals(0, d.unlink(pub, "f"));
        for (final long gone : new long[] { link, dir, file })
        {
            assertEquals(-Errno.ENOENT, d.state.getattr(gone, new Attr()));
        }
        assertEquals(4, d.state.recycledInodes(), "symlink, directory, its entry, file");

        d.as(2000, 200).now = 77;
        for (int i = 0; i < 4; i++)
        {
            final long ino = d.create(pub, "n" + i, 0640);
            final Attr a = d.attr(ino);
            assertEquals(S_IFREG | 0640, a.mode, "n" + i);
            assertEquals(0, a.size, "n" + i);
            assertEquals(1, a.nlink, "n" + i);
            assertEquals(2000, a.uid);
            assertEquals(200, a.gid);
            assertEquals(77, a.atimeNs);
            assertNull(d.state.readlink(ino), "no link target carried over");
            assertEquals(-Errno.ENOTDIR, d.state.readdir(ino, 2000, 200, (name, child, mode) -> { }));
            final byte[] data = new byte[16];
            assertEquals(0, d.state.readBlock(ino, 0, 16, data, 0), "no blocks carried over");
        }
        assertEquals(0, d.state.recycledInodes(), "the creates took the freed inodes");
        assertEquals(0, d.unlink(pub, "n0"));
        final long newDir = d.mkdir(pub, "e", 0755);
        assertEquals(0, d.state.recycledInodes(), "the directory is the freed file's inode");
        assertEquals(List.of(), entries(d, newDir), "a recycled directory starts empty");
        assertEquals(S_IFDIR | 0755, d.attr(newDir).mode);
        assertEquals(List.of(), d.state.check());
    }

    @Test
    void aCreateUnlinkCycleReusesInodesAndNames()
    {
        final StateDriver d = new StateDriver();
        for (int i = 0; i < 1_000; i++)
        {
            d.create(ROOT_INO, "f" + (i % 10), 0644);
            assertEquals(0, d.rename(ROOT_INO, "f" + (i % 10), ROOT_INO, "g" + (i % 10)));
            assertEquals(0, d.unlink(ROOT_INO, "g" + (i % 10)));
        }
        assertEquals(1, d.state.recycledInodes(), "one inode object serves the whole cycle");
        assertTrue(d.state.recycledNames() >= 1);
        assertEquals(List.of(), d.state.check());
    }

    private static List<String> entries(final StateDriver d, final long dir)
    {
        final java.util.ArrayList<String> names = new java.util.ArrayList<>();
        d.state.readdir(dir, 0, 0, (name, ino, mode) ->
        {
            if (!name.equals(".") && !name.equals(".."))
            {
                names.add(name);
            }
        });
        return names;
    }
}
