package io.dominoes.bench.cli;

import io.dominoes.fs.fuse.FsFuse;
import io.dominoes.fs.journal.SyncPolicy;
import io.dominoes.fs.service.FsService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./dominoes fs ...}: the replicated file-system metadata service.
 */
@Command(name = "fs", description = "Replicated file-system metadata service.",
    subcommands = { FsCommand.Mount.class, FsCommand.Check.class })
public final class FsCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (mount, check)");
    }

    /**
     * Mount with FUSE until Ctrl-C or {@code fusermount -u}; the journal is closed cleanly either way.
     */
    @Command(name = "mount", mixinStandardHelpOptions = true,
        description = "Mount the file system with FUSE (needs root or fuse group, libfuse2).")
    static final class Mount implements Runnable
    {
        @Parameters(index = "0", description = "mount point directory")
        Path mountPoint;

        @Option(names = "--replicas", defaultValue = "2", description = "replica threads (default ${DEFAULT-VALUE})")
        int replicas;

        @Option(names = "--journal", required = true, description = "directory of the journal and snapshot")
        Path journal;

        @Option(names = "--sync", defaultValue = "NONE",
            description = "journal sync policy: NONE (survives kill -9, not power loss) or SYNC (msync per op)")
        SyncPolicy sync;

        @Override
        public void run()
        {
            final FsService fs = FsService.open(new FsService.Context()
                .directory(journal).replicas(replicas).syncPolicy(sync).parkUntilWoken(true));
            final FsFuse fuse = new FsFuse(fs);
            final CountDownLatch stop = new CountDownLatch(1);
            try
            {
                fuse.mountAt(mountPoint, false);
                // libfuse installs its own SIGINT/SIGTERM handlers, which only flag its session loop
                // and never reach a worker thread blocked in the JVM; take the signals back so Ctrl-C
                // unmounts and closes the journal.
                // fuse_main sets them from its own thread after the mount appears, so re-take them
                // on every poll until they stay ours.
                final sun.misc.SignalHandler handler = signal -> stop.countDown();
                takeSignals(handler);
                System.out.println("dominoes fs: mounted " + mountPoint + " (" + replicas + " replicas, journal " +
                    journal + ", sync " + sync + "); Ctrl-C or fusermount -u to unmount");
                // Wait for a signal, or for an external "fusermount -u" to remove the mount.
                while (!stop.await(200, TimeUnit.MILLISECONDS) && isMounted(mountPoint))
                {
                    takeSignals(handler);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            finally
            {
                if (isMounted(mountPoint))
                {
                    fuse.umount();
                }
                fs.close();
                System.out.println("dominoes fs: unmounted, journal closed, snapshot written");
            }
        }

        static void takeSignals(final sun.misc.SignalHandler handler)
        {
            for (final String name : new String[]{ "INT", "TERM" })
            {
                final sun.misc.Signal signal = new sun.misc.Signal(name);
                final sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, handler);
                if (previous != handler && previous != sun.misc.SignalHandler.SIG_IGN)
                {
                    System.out.println("dominoes fs: took SIG" + name + " back from libfuse");
                }
                else if (previous == sun.misc.SignalHandler.SIG_IGN)
                {
                    // Ignored by our parent (a background job of a non-interactive shell): keep it so.
                    sun.misc.Signal.handle(signal, previous);
                }
            }
        }

        static boolean isMounted(final Path mountPoint)
        {
            try
            {
                final String target = " " + mountPoint.toAbsolutePath().normalize() + " ";
                for (final String line : java.nio.file.Files.readAllLines(Path.of("/proc/mounts")))
                {
                    if (line.contains(target))
                    {
                        return true;
                    }
                }
                return false;
            }
            catch (final java.io.IOException ex)
            {
                return false;
            }
        }
    }

    /**
     * fsck a journal offline: recover it, check every replica, compare their digests.
     */
    @Command(name = "check", mixinStandardHelpOptions = true, description = "Recover a journal and fsck it.")
    static final class Check implements java.util.concurrent.Callable<Integer>
    {
        @Option(names = "--journal", required = true, description = "directory of the journal and snapshot")
        Path journal;

        @Option(names = "--replicas", defaultValue = "2", description = "replica threads (default ${DEFAULT-VALUE})")
        int replicas;

        @Override
        public Integer call()
        {
            try (FsService fs = FsService.open(new FsService.Context().directory(journal).replicas(replicas)))
            {
                final List<String> problems = fs.check();
                problems.forEach(System.out::println);
                System.out.println(problems.isEmpty() ? "fsck: clean" : "fsck: " + problems.size() + " problems");
                return problems.isEmpty() ? 0 : 1;
            }
        }
    }
}
