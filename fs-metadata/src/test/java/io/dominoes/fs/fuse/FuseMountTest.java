package io.dominoes.fs.fuse;

import io.dominoes.fs.service.FsService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Mounts the replicated file system with FUSE and runs real tools in it (mkdir -p, cp -r, tar, mv,
 * rm -rf, ln, ln -s, chmod, touch -d, find, dd, truncate, git); the same script runs in a temp
 * directory and {@code diff -r} must find no difference. Needs root and /dev/fuse; skips otherwise.
 */
class FuseMountTest
{
    @TempDir
    Path tmp;

    static boolean canMount()
    {
        final boolean root = "root".equals(System.getProperty("user.name"));
        final boolean fuse = new File("/dev/fuse").exists() && new File("/usr/bin/fusermount").exists();
        if (!root || !fuse)
        {
            System.out.println("FuseMountTest skipped: needs root (" + root + ") and /dev/fuse + fusermount (" +
                fuse + "); run scripts/install-deps.sh as root");
        }
        return root && fuse;
    }

    static int run(final Path cwd, final String... cmd) throws Exception
    {
        final Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        final String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        if (p.exitValue() != 0)
        {
            System.out.println(String.join(" ", cmd) + " -> " + p.exitValue() + ":\n" + output);
        }
        return p.exitValue();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void realToolsBehaveAsOnALocalDirectory() throws Exception
    {
        Assumptions.assumeTrue(canMount(), "needs root and FUSE");
        final Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        final Path ref = Files.createDirectories(tmp.resolve("ref"));
        final Path journal = tmp.resolve("journal");
        final Path script = Path.of(FuseMountTest.class.getResource("/fuse-tools.sh").toURI());
        final Path src = Path.of(System.getProperty("dominoes.repo.root", "."), "fs-metadata", "src");
        // As `dominoes fs mount` runs it: replicas parked until woken.
        final FsService fs = FsService.open(new FsService.Context().directory(journal).replicas(2)
            .parkUntilWoken(true));
        final FsFuse fuse = new FsFuse(fs);
        try
        {
            fuse.mountAt(mnt, false);
            assertEquals(0, run(tmp, "bash", script.toString(), ref.toString(), src.toString()));
            assertEquals(0, run(tmp, "bash", script.toString(), mnt.toString(), src.toString()));
            assertEquals(0, run(tmp, "diff", "-r", "--no-dereference", "-x", ".git", ref.toString(), mnt.toString()));
            assertEquals(0, run(mnt.resolve("repo"), "git", "fsck", "--no-progress"));
            assertEquals(Files.readString(ref.resolve("stat.txt")), Files.readString(mnt.resolve("stat.txt")));

            // Open-but-unlinked files stay readable and writable until closed.
            final Path f = mnt.resolve("unlinked.txt");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE))
            {
                ch.write(ByteBuffer.wrap("before".getBytes()));
                Files.delete(f);
                assertFalse(Files.exists(f));
                ch.write(ByteBuffer.wrap("+after".getBytes()));
                final ByteBuffer back = ByteBuffer.allocate(64);
                ch.read(back, 0);
                assertEquals("before+after", new String(back.array(), 0, back.position()));
            }

            // Sparse file beyond 2 GiB.
            assertEquals(3L * 1024 * 1024 * 1024 + 3, Files.size(mnt.resolve("sparse.bin")));
            try (FileChannel ch = FileChannel.open(mnt.resolve("sparse.bin")))
            {
                final ByteBuffer b = ByteBuffer.allocate(3);
                ch.read(b, 3L * 1024 * 1024 * 1024);
                assertEquals("end", new String(b.array()));
            }
            assertEquals(0, fuse.failedRequests());
        }
        finally
        {
            fuse.umount();
            fs.close();
        }
        try (FsService again = FsService.open(new FsService.Context().directory(journal).replicas(3)))
        {
            assertEquals(List.of(), again.check());
            assertTrue(again.resolve("/repo/.git/HEAD", null) > 0);
        }
    }
}
