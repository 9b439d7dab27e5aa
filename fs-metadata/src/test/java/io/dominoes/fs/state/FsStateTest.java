package io.dominoes.fs.state;

import io.dominoes.fs.Errno;
import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.ops.OpCode;
import io.dominoes.fs.ops.SetAttrMask;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.dominoes.fs.Errno.*;
import static io.dominoes.fs.FileMode.*;
import static io.dominoes.fs.FsLimits.ROOT_INO;
import static org.junit.jupiter.api.Assertions.*;

class FsStateTest
{
    final StateDriver d = new StateDriver();

    static void assertErr(final int errno, final long result)
    {
        assertEquals(-errno, result, () -> "expected " + Errno.describe(-errno) + " got " + Errno.describe(result));
    }

    void assertConsistent()
    {
        assertEquals(List.of(), d.state.check());
    }

    List<String> names(final long dir)
    {
        final List<String> names = new ArrayList<>();
        final int n = d.state.readdir(dir, d.uid, d.gid, (name, ino, mode) -> names.add(name));
        assertTrue(n >= 0, Errno.describe(n));
        Collections.sort(names);
        return names;
    }

    @Nested
    class Create
    {
        @Test
        void createsRegularFileWithCallerOwnershipAndOpTime()
        {
            d.as(1000, 100).now = 5_000;
            final long dirIno = new StateDriver(d.state).mkdir(ROOT_INO, "pub", 0777);
            final long ino = d.create(dirIno, "f", 0640);
            assertTrue(ino > ROOT_INO);
            final Attr a = d.attr(ino);
            assertEquals(S_IFREG | 0640, a.mode);
            assertEquals(1000, a.uid);
            assertEquals(100, a.gid);
            assertEquals(1, a.nlink);
            assertEquals(5_000, a.mtimeNs);
            assertEquals(5_000, a.ctimeNs);
            assertEquals(5_000, a.atimeNs);
            assertEquals(5_000, d.attr(dirIno).mtimeNs);
            assertEquals(ino, d.lookup(dirIno, "f"));
        }

        @Test
        void existingNameIsEexist()
        {
            d.create(ROOT_INO, "f", 0644);
            assertErr(EEXIST, d.create(ROOT_INO, "f", 0644));
            assertErr(EEXIST, d.mkdir(ROOT_INO, "f", 0755));
            assertErr(EEXIST, d.mkdir(ROOT_INO, ".", 0755));
        }

        @Test
        void missingParentIsEnoentAndFileParentIsEnotdir()
        {
            assertErr(ENOENT, d.create(999, "f", 0644));
            final long f = d.create(ROOT_INO, "f", 0644);
            assertErr(ENOTDIR, d.create(f, "g", 0644));
        }

        @Test
        void nameLimits()
        {
            assertEquals(-ENAMETOOLONG, d.create(ROOT_INO, "x".repeat(FsLimits.NAME_MAX + 1), 0644));
            assertTrue(d.create(ROOT_INO, "x".repeat(FsLimits.NAME_MAX), 0644) > 0);
            assertErr(ENOENT, d.create(ROOT_INO, "", 0644));
            assertErr(EINVAL, d.create(ROOT_INO, "a/b", 0644));
            assertErr(EINVAL, d.create(ROOT_INO, "a\0b", 0644));
        }

        @Test
        void mkdirCountsLinksAndSetgidInherits()
        {
            final long a = d.mkdir(ROOT_INO, "a", 0755);
            assertEquals(2, d.attr(a).nlink);
            assertEquals(3, d.attr(ROOT_INO).nlink);
            d.setattr(a, SetAttrMask.MODE | SetAttrMask.GID, 02777, 0, 50, 0, 0, 0);
            d.as(1000, 100);
            final long b = d.mkdir(a, "b", 0755);
            final long f = d.create(a, "f", 0644);
            assertEquals(50, d.attr(b).gid);
            assertEquals(50, d.attr(f).gid);
            assertEquals(S_IFDIR | 02755, d.attr(b).mode);
            assertEquals(3, d.attr(a).nlink);
            assertConsistent();
        }

        @Test
        void noWritePermissionOnParentIsEacces()
        {
            final long dir = d.mkdir(ROOT_INO, "ro", 0755);
            d.as(1000, 1000);
            assertErr(EACCES, d.create(dir, "f", 0644));
            assertErr(EACCES, d.mkdir(dir, "d", 0755));
            assertErr(EACCES, d.symlink(dir, "l", "x"));
        }
    }

    @Nested
    class UnlinkAndRmdir
    {
        @Test
        void unlinkDropsLinkCountAndFreesInode()
        {
            final long f = d.create(ROOT_INO, "f", 0644);
            d.now = 7_000;
            assertEquals(0, d.unlink(ROOT_INO, "f"));
            assertErr(ENOENT, d.lookup(ROOT_INO, "f"));
            assertErr(ENOENT, d.state.getattr(f, new Attr()));
            assertEquals(7_000, d.attr(ROOT_INO).mtimeNs);
            assertEquals(7_000, d.attr(ROOT_INO).ctimeNs);
            assertErr(ENOENT, d.unlink(ROOT_INO, "f"));
            assertConsistent();
        }

        @Test
        void unlinkDirectoryIsEisdirAndRmdirFileIsEnotdir()
        {
            d.mkdir(ROOT_INO, "d", 0755);
            d.create(ROOT_INO, "f", 0644);
            assertErr(EISDIR, d.unlink(ROOT_INO, "d"));
            assertErr(ENOTDIR, d.rmdir(ROOT_INO, "f"));
            assertErr(EINVAL, d.rmdir(ROOT_INO, "."));
            assertErr(ENOTEMPTY, d.rmdir(ROOT_INO, ".."));
        }

        @Test
        void rmdirNonEmptyIsEnotempty()
        {
            final long dir = d.mkdir(ROOT_INO, "d", 0755);
            d.create(dir, "f", 0644);
            assertErr(ENOTEMPTY, d.rmdir(ROOT_INO, "d"));
            assertEquals(0, d.unlink(dir, "f"));
            assertEquals(0, d.rmdir(ROOT_INO, "d"));
            assertEquals(2, d.attr(ROOT_INO).nlink);
            assertConsistent();
        }

        @Test
        void openButUnlinkedFileStaysReadableUntilRelease()
        {
            final long f = d.create(ROOT_INO, "f", 0644);
            d.write(f, 0, "hello");
            d.open(f, R_OK | W_OK);
            assertEquals(0, d.unlink(ROOT_INO, "f"));
            assertEquals(0, d.attr(f).nlink);
            assertEquals(6, d.write(f, 5, " world"));
            assertEquals("hello world", d.read(f, 0, 100));
            assertConsistent();
            assertEquals(0, d.release(f));
            assertErr(ENOENT, d.state.getattr(f, new Attr()));
            assertErr(EBADF, d.release(f));
        }

        @Test
        void stickyDirectoryAllowsOnlyOwnersToRemove()
        {
            final long tmp = d.mkdir(ROOT_INO, "tmp", 01777);
            d.as(1000, 1000).create(tmp, "mine", 0644);
            d.as(2000, 2000);
            assertErr(EPERM, d.unlink(tmp, "mine"));
            assertErr(EPERM, d.rename(tmp, "mine", tmp, "stolen"));
            d.create(tmp, "theirs", 0644);
            assertEquals(0, d.unlink(tmp, "theirs"));
            d.as(0, 0);
            assertEquals(0, d.unlink(tmp, "mine"));
        }
    }

    @Nested
    class Rename
    {
        @Test
        void renamesAndUnlinksInOneBusyDirectoryKeepEveryOtherName()
        {
            // A full, colliding table: removing one entry shifts others' slots, which a rename over an existing
            // name in the same directory must not trip over. Checked against a model after every op.
            final java.util.Map<String, Long> model = new java.util.HashMap<>();
            final java.util.SplittableRandom random = new java.util.SplittableRandom(11);
            final int universe = 760; // hundreds of names: probe runs long enough that removals shift entries
            for (int i = 0; i < 700; i++)
            {
                model.put("n" + i, d.create(ROOT_INO, "n" + i, 0644));
            }
            for (int step = 0; step < 20_000; step++)
            {
                final String a = "n" + random.nextInt(universe);
                final String b = "n" + random.nextInt(universe);
                final int what = random.nextInt(3);
                if (what == 0)
                {
                    final long expected = model.containsKey(a) ? 0 : -ENOENT;
                    assertEquals(expected, d.rename(ROOT_INO, a, ROOT_INO, b), "rename " + a + " -> " + b);
                    if (expected == 0 && !a.equals(b))
                    {
                        model.put(b, model.remove(a));
                    }
                }
                else if (what == 1)
                {
                    assertEquals(model.containsKey(a) ? 0 : -ENOENT, d.unlink(ROOT_INO, a), "unlink " + a);
                    model.remove(a);
                }
                else if (!model.containsKey(a))
                {
                    model.put(a, d.create(ROOT_INO, a, 0644));
                }
                if (step % 500 == 0)
                {
                    for (int i = 0; i < universe; i++)
                    {
                        final Long ino = model.get("n" + i);
                        final long found = d.lookup(ROOT_INO, "n" + i);
                        assertEquals(null == ino ? -ENOENT : ino, found, "step " + step + ": n" + i);
                    }
                }
            }
            assertEquals(model.size(), names(ROOT_INO).size() - 2); // without "." and ".."
            assertConsistent();
        }

        @Test
        void renameWithinDirectoryKeepsInodeAndUpdatesCtime()
        {
            final long f = d.create(ROOT_INO, "a", 0644);
            d.now = 9_000;
            assertEquals(0, d.rename(ROOT_INO, "a", ROOT_INO, "b"));
            assertErr(ENOENT, d.lookup(ROOT_INO, "a"));
            assertEquals(f, d.lookup(ROOT_INO, "b"));
            assertEquals(9_000, d.attr(f).ctimeNs);
            assertConsistent();
        }

        @Test
        void renameOverExistingFileReplacesAndFreesIt()
        {
            final long a = d.create(ROOT_INO, "a", 0644);
            final long b = d.create(ROOT_INO, "b", 0644);
            assertEquals(0, d.rename(ROOT_INO, "a", ROOT_INO, "b"));
            assertEquals(a, d.lookup(ROOT_INO, "b"));
            assertErr(ENOENT, d.state.getattr(b, new Attr()));
            assertEquals(List.of(".", "..", "b"), names(ROOT_INO));
            assertConsistent();
        }

        @Test
        void renameOverHardLinkOfSameFileDoesNothing()
        {
            final long a = d.create(ROOT_INO, "a", 0644);
            d.link(a, ROOT_INO, "b");
            assertEquals(0, d.rename(ROOT_INO, "a", ROOT_INO, "b"));
            assertEquals(a, d.lookup(ROOT_INO, "a"));
            assertEquals(a, d.lookup(ROOT_INO, "b"));
            assertEquals(2, d.attr(a).nlink);
        }

        @Test
        void directoryAcrossParentsMovesDotDotAndLinkCounts()
        {
            final long x = d.mkdir(ROOT_INO, "x", 0755);
            final long y = d.mkdir(ROOT_INO, "y", 0755);
            final long sub = d.mkdir(x, "sub", 0755);
            assertEquals(3, d.attr(x).nlink);
            assertEquals(0, d.rename(x, "sub", y, "moved"));
            assertEquals(2, d.attr(x).nlink);
            assertEquals(3, d.attr(y).nlink);
            assertEquals(y, d.lookup(sub, ".."));
            assertConsistent();
        }

        @Test
        void directoryOverEmptyDirectoryReplacesButNotOverNonEmpty()
        {
            final long a = d.mkdir(ROOT_INO, "a", 0755);
            final long b = d.mkdir(ROOT_INO, "b", 0755);
            final long c = d.mkdir(ROOT_INO, "c", 0755);
            d.create(c, "f", 0644);
            assertErr(ENOTEMPTY, d.rename(ROOT_INO, "a", ROOT_INO, "c"));
            assertEquals(0, d.rename(ROOT_INO, "a", ROOT_INO, "b"));
            assertEquals(a, d.lookup(ROOT_INO, "b"));
            assertErr(ENOENT, d.state.getattr(b, new Attr()));
            assertEquals(4, d.attr(ROOT_INO).nlink);
            assertConsistent();
        }

        @Test
        void typeMismatchErrors()
        {
            d.mkdir(ROOT_INO, "d", 0755);
            d.create(ROOT_INO, "f", 0644);
            assertErr(ENOTDIR, d.rename(ROOT_INO, "d", ROOT_INO, "f"));
            assertErr(EISDIR, d.rename(ROOT_INO, "f", ROOT_INO, "d"));
            assertErr(ENOENT, d.rename(ROOT_INO, "missing", ROOT_INO, "z"));
            assertErr(EINVAL, d.rename(ROOT_INO, "f", ROOT_INO, ".."));
            assertConsistent();
        }

        @Test
        void intoOwnSubtreeIsEinval()
        {
            final long a = d.mkdir(ROOT_INO, "a", 0755);
            final long b = d.mkdir(a, "b", 0755);
            final long c = d.mkdir(b, "c", 0755);
            assertErr(EINVAL, d.rename(ROOT_INO, "a", c, "a"));
            assertErr(EINVAL, d.rename(ROOT_INO, "a", a, "self"));
            assertConsistent();
        }

        @Test
        void noreplaceFlagGivesEexist()
        {
            d.create(ROOT_INO, "a", 0644);
            d.create(ROOT_INO, "b", 0644);
            assertErr(EEXIST, d.apply(d.enc.rename(d.now, 0, 0, ROOT_INO, "a", ROOT_INO, "b",
                FsState.RENAME_NOREPLACE)));
            assertErr(EINVAL, d.apply(d.enc.rename(d.now, 0, 0, ROOT_INO, "a", ROOT_INO, "b", 2)));
        }
    }

    @Nested
    class LinksAndSymlinks
    {
        @Test
        void hardLinkCountsAndSurvivesUnlinkOfOriginal()
        {
            final long f = d.create(ROOT_INO, "f", 0644);
            final long dir = d.mkdir(ROOT_INO, "d", 0755);
            d.now = 3_000;
            assertEquals(f, d.link(f, dir, "g"));
            assertEquals(2, d.attr(f).nlink);
            assertEquals(3_000, d.attr(f).ctimeNs);
            assertEquals(0, d.unlink(ROOT_INO, "f"));
            assertEquals(1, d.attr(f).nlink);
            assertEquals(f, d.lookup(dir, "g"));
            assertConsistent();
        }

        @Test
        void linkErrors()
        {
            final long dir = d.mkdir(ROOT_INO, "d", 0755);
            final long f = d.create(ROOT_INO, "f", 0644);
            assertErr(EPERM, d.link(dir, ROOT_INO, "dl"));
            assertErr(EEXIST, d.link(f, ROOT_INO, "d"));
            assertErr(ENOENT, d.link(12345, ROOT_INO, "x"));
        }

        @Test
        void symlinkStoresTargetBytes()
        {
            final long l = d.symlink(ROOT_INO, "l", "../some/where");
            assertEquals(S_IFLNK | 0777, d.attr(l).mode);
            assertEquals(13, d.attr(l).size);
            assertEquals("../some/where", new String(d.state.readlink(l)));
            assertNull(d.state.readlink(ROOT_INO));
            assertErr(ENOENT, d.symlink(ROOT_INO, "empty", ""));
        }
    }

    @Nested
    class SetAttr
    {
        @Test
        void chmodByOwnerOnlyAndSetgidDroppedForForeignGroup()
        {
            d.mkdir(ROOT_INO, "pub", 0777);
            final long pub = d.lookup(ROOT_INO, "pub");
            final long f = d.as(1000, 100).create(pub, "f", 0644);
            d.setattr(f, SetAttrMask.GID, 0, 0, 100, 0, 0, 0);
            assertEquals(0, d.setattr(f, SetAttrMask.MODE, 02755, 0, 0, 0, 0, 0));
            assertEquals(S_IFREG | 02755, d.attr(f).mode);
            d.as(0, 0).setattr(f, SetAttrMask.GID, 0, 0, 7, 0, 0, 0);
            d.as(1000, 100);
            assertEquals(0, d.setattr(f, SetAttrMask.MODE, 02755, 0, 0, 0, 0, 0));
            assertEquals(S_IFREG | 0755, d.attr(f).mode, "S_ISGID dropped: file group is not caller's");
            d.as(2000, 100);
            assertErr(EPERM, d.setattr(f, SetAttrMask.MODE, 0777, 0, 0, 0, 0, 0));
        }

        @Test
        void chownRulesAndSetuidClearing()
        {
            final long f = d.create(ROOT_INO, "f", 06755);
            d.now = 4_000;
            assertEquals(0, d.setattr(f, SetAttrMask.UID | SetAttrMask.GID, 0, 1000, 100, 0, 0, 0));
            final Attr a = d.attr(f);
            assertEquals(1000, a.uid);
            assertEquals(100, a.gid);
            assertEquals(S_IFREG | 0755, a.mode, "chown clears S_ISUID and S_ISGID (group exec set)");
            assertEquals(4_000, a.ctimeNs);
            d.as(1000, 100);
            assertErr(EPERM, d.setattr(f, SetAttrMask.UID, 0, 2000, 0, 0, 0, 0));
            assertErr(EPERM, d.setattr(f, SetAttrMask.GID, 0, 0, 300, 0, 0, 0));
            assertEquals(0, d.setattr(f, SetAttrMask.GID, 0, 0, 100, 0, 0, 0));
        }

        @Test
        void utimensExplicitNeedsOwnerNowNeedsWrite()
        {
            final long f = d.create(ROOT_INO, "f", 0646);
            d.now = 8_000;
            assertEquals(0, d.setattr(f, SetAttrMask.ATIME | SetAttrMask.MTIME, 0, 0, 0, 0, 111, 222));
            assertEquals(111, d.attr(f).atimeNs);
            assertEquals(222, d.attr(f).mtimeNs);
            assertEquals(8_000, d.attr(f).ctimeNs);
            d.as(1000, 1000).now = 9_000;
            assertErr(EPERM, d.setattr(f, SetAttrMask.MTIME, 0, 0, 0, 0, 0, 333));
            assertEquals(0, d.setattr(f, SetAttrMask.ATIME_NOW | SetAttrMask.MTIME_NOW, 0, 0, 0, 0, 0, 0));
            assertEquals(9_000, d.attr(f).mtimeNs);
            final long g = d.as(0, 0).create(ROOT_INO, "g", 0644);
            d.as(1000, 1000);
            assertErr(EACCES, d.setattr(g, SetAttrMask.MTIME_NOW, 0, 0, 0, 0, 0, 0));
        }

        @Test
        void truncateShrinksZeroesAndExtendsWithHoles()
        {
            final long f = d.create(ROOT_INO, "f", 0644);
            d.write(f, 0, "abcdefgh");
            d.now = 6_000;
            assertEquals(0, d.setattr(f, SetAttrMask.SIZE, 0, 0, 0, 3, 0, 0));
            assertEquals(3, d.attr(f).size);
            assertEquals(6_000, d.attr(f).mtimeNs);
            assertEquals(0, d.setattr(f, SetAttrMask.SIZE, 0, 0, 0, 6, 0, 0));
            assertEquals("abc\0\0\0", d.read(f, 0, 100));
            assertErr(EINVAL, d.setattr(f, SetAttrMask.SIZE, 0, 0, 0, -1, 0, 0));
            assertErr(EFBIG, d.setattr(f, SetAttrMask.SIZE, 0, 0, 0, FsLimits.MAX_FILE_SIZE + 1, 0, 0));
            final long dir = d.mkdir(ROOT_INO, "d", 0755);
            assertErr(EISDIR, d.setattr(dir, SetAttrMask.SIZE, 0, 0, 0, 0, 0, 0));
            d.as(1000, 1000);
            assertErr(EACCES, d.setattr(f, SetAttrMask.SIZE, 0, 0, 0, 0, 0, 0));
            assertConsistent();
        }

        @Test
        void failedSetattrChangesNothing()
        {
            final long f = d.create(ROOT_INO, "f", 0644);
            final Attr before = d.attr(f);
            d.as(1000, 1000).now = 99_000;
            assertErr(EPERM, d.setattr(f, SetAttrMask.MODE | SetAttrMask.SIZE, 0777, 0, 0, 0, 0, 0));
            final Attr after = d.attr(f);
            assertEquals(before.toString(), after.toString());
        }
    }

    @Nested
    class Data
    {
        @Test
        void writeUpdatesSizeMtimeAndClearsSetuidForNonRoot()
        {
            final long f = d.create(ROOT_INO, "f", 06775);
            d.setattr(f, SetAttrMask.UID | SetAttrMask.GID, 0, 1000, 1000, 0, 0, 0);
            d.setattr(f, SetAttrMask.MODE, 06775, 0, 0, 0, 0, 0);
            d.as(1000, 1000).now = 12_000;
            assertEquals(5, d.write(f, 10, "hello"));
            final Attr a = d.attr(f);
            assertEquals(15, a.size);
            assertEquals(12_000, a.mtimeNs);
            assertEquals(12_000, a.ctimeNs);
            assertEquals(S_IFREG | 0775, a.mode);
            assertEquals("\0\0\0\0\0\0\0\0\0\0hello", d.read(f, 0, 64));
        }

        @Test
        void writeAcrossBlockBoundaryIsRejectedAndDirIsEisdir()
        {
            final long f = d.create(ROOT_INO, "f", 0644);
            assertErr(EINVAL, d.write(f, FsLimits.BLOCK_SIZE - 2, "abcd"));
            assertEquals(0, d.attr(f).size);
            assertErr(EISDIR, d.write(ROOT_INO, 0, "x"));
            assertErr(EFBIG, d.write(f, FsLimits.MAX_FILE_SIZE, "x"));
        }

        @Test
        void sparseFileBeyondTwoGigabytes()
        {
            final long f = d.create(ROOT_INO, "big", 0644);
            final long off = 5L << 30;
            assertEquals(4, d.write(f, off, "tail"));
            assertEquals(off + 4, d.attr(f).size);
            assertEquals("tail", d.read(f, off, 4));
            assertEquals("\0\0\0\0", d.read(f, 1L << 31, 4));
            assertConsistent();
        }

        @Test
        void corruptBlockReadsAsEio()
        {
            final long f = d.create(ROOT_INO, "f", 0644);
            d.write(f, 0, "payload");
            d.state.inodes().get(f).blocks.get(0).data[1] ^= 1;
            assertErr(EIO, d.state.readBlock(f, 0, 7, new byte[7], 0));
            assertFalse(d.state.check().isEmpty());
        }

        @Test
        void replicasStoreOnlyOwnedBlocksButShareMetadata()
        {
            final int n = 3;
            final StateDriver[] r = new StateDriver[n];
            for (int i = 0; i < n; i++)
            {
                r[i] = new StateDriver(new FsState(i, n));
            }
            final long[] ino = new long[n];
            for (int b = 0; b < 12; b++)
            {
                for (int i = 0; i < n; i++)
                {
                    ino[i] = b == 0 ? r[i].create(ROOT_INO, "f", 0644) : ino[i];
                    r[i].write(ino[i], (long)b * FsLimits.BLOCK_SIZE, "block" + b);
                }
            }
            for (int i = 1; i < n; i++)
            {
                assertEquals(r[0].state.metadataDigest(), r[i].state.metadataDigest());
            }
            int stored = 0;
            for (int b = 0; b < 12; b++)
            {
                final int owner = BlockPartitioner.owner(ino[0], b, n);
                assertEquals("block" + b, r[owner].read(ino[0], (long)b * FsLimits.BLOCK_SIZE, ("block" + b).length()));
                for (int i = 0; i < n; i++)
                {
                    final Block blk = r[i].state.inodes().get(ino[0]).blocks == null ? null :
                        r[i].state.inodes().get(ino[0]).blocks.get(b);
                    if (null != blk)
                    {
                        stored++;
                        assertEquals(owner, i);
                    }
                }
            }
            assertEquals(12, stored);
            for (final StateDriver s : r)
            {
                assertEquals(List.of(), s.state.check());
            }
        }
    }

    @Nested
    class Reads
    {
        @Test
        void lookupDotDotAndPermissions()
        {
            final long a = d.mkdir(ROOT_INO, "a", 0700);
            final long b = d.mkdir(a, "b", 0755);
            assertEquals(a, d.lookup(b, ".."));
            assertEquals(b, d.lookup(b, "."));
            assertEquals(ROOT_INO, d.lookup(ROOT_INO, ".."));
            d.as(1000, 1000);
            assertErr(EACCES, d.lookup(a, "b"));
            assertErr(EACCES, d.state.readdir(a, 1000, 1000, (n, i, m) -> { }));
            assertErr(ENOTDIR, d.as(0, 0).lookup(d.create(ROOT_INO, "f", 0644), "x"));
        }

        @Test
        void readdirListsEntries()
        {
            d.create(ROOT_INO, "f", 0644);
            d.mkdir(ROOT_INO, "d", 0755);
            d.symlink(ROOT_INO, "l", "f");
            assertEquals(List.of(".", "..", "d", "f", "l"), names(ROOT_INO));
        }
    }

    @Nested
    class BadRecords
    {
        @Test
        void impossibleLengthsAreRejectedWithoutChange()
        {
            d.create(ROOT_INO, "f", 0644);
            final long digest = d.state.metadataDigest();
            final int length = d.enc.create(d.now, 0, 0, ROOT_INO, "g", 0644);
            final FsOpFlyweight op = d.enc.flyweight();
            op.putRawLengths(-5, 0, 0);
            assertErr(EINVAL, d.state.apply(op, length));
            op.putRawLengths(1 << 20, 0, 0);
            assertErr(EINVAL, d.state.apply(op, length));
            op.putRawLengths(1, 0, 0);
            assertErr(EINVAL, d.state.apply(op, length - 1));
            assertErr(EINVAL, d.state.apply(op, 10));
            op.putRawLengths(1, 0, 0);
            op.opCode(77);
            assertErr(EINVAL, d.state.apply(op, length));
            assertEquals(digest, d.state.metadataDigest());
            assertErr(ENOENT, d.lookup(ROOT_INO, "g"));
        }

        @Test
        void validateReportsReason()
        {
            final int length = d.enc.unlink(0, 0, 0, ROOT_INO, "x");
            final FsOpFlyweight op = d.enc.flyweight();
            assertEquals(FsOpFlyweight.VALID, op.validate(length));
            assertEquals(FsOpFlyweight.LENGTH_MISMATCH, op.validate(length + 1));
            assertEquals(FsOpFlyweight.TOO_SHORT, op.validate(FsOpFlyweight.HEADER_LENGTH - 1));
            op.putRawLengths(1, 0, FsLimits.BLOCK_SIZE + 1);
            assertEquals(FsOpFlyweight.BAD_DATA_LENGTH, op.validate(length));
            op.putRawLengths(1, 0, 0);
            op.opCode(0);
            assertEquals(FsOpFlyweight.BAD_OPCODE, op.validate(length));
            op.opCode(OpCode.UNLINK);
            assertEquals(FsOpFlyweight.VALID, op.validate(length));
        }
    }
}
