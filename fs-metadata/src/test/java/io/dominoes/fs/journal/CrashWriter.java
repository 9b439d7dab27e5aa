package io.dominoes.fs.journal;

import io.dominoes.fs.Errno;
import io.dominoes.fs.service.FsService;

import java.nio.file.Path;
import java.util.Random;

/**
 * Child process of {@link CrashRecoveryTest}: recovers the file system in a directory, then performs
 * generated ops forever, printing {@code ACK n} after the n-th op is acknowledged. The parent kills
 * it with SIGKILL at a random point. Args: directory, seed, replicas, sync policy.
 */
public final class CrashWriter
{
    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final int replicas = Integer.parseInt(args[2]);
        final SyncPolicy policy = SyncPolicy.valueOf(args[3]);
        final FsService fs = FsService.open(new FsService.Context()
            .directory(dir).replicas(replicas).syncPolicy(policy).snapshotEveryOps(97));
        final CrashModel model = CrashModel.walk(fs);
        final Random rnd = new Random(seed);
        System.out.println("READY");
        System.out.flush();
        for (long n = 1; ; n++)
        {
            final CrashModel.Op op = CrashModel.next(model, rnd);
            final long result = op.apply(fs);
            if (result < 0)
            {
                System.out.println("ERR " + n + " " + op.describe() + " " + Errno.describe(result));
                System.out.flush();
                System.exit(3);
            }
            op.applyToModel(model);
            System.out.println("ACK " + n);
            System.out.flush();
        }
    }
}
