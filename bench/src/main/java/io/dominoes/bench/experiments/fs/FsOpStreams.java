package io.dominoes.bench.experiments.fs;

import io.dominoes.fs.FsLimits;
import io.dominoes.fs.service.FsOpStream;

import java.util.SplittableRandom;

/**
 * The benchmark's two mixes as pre-encoded op lists ({@link FsOpStream}), generated before any clock
 * starts. Ops are spread over {@link #CLIENTS} pseudo-clients in turn (op {@code i} belongs to client
 * {@code i mod CLIENTS}); each client's mutations are its own create/stat/rename/unlink cycle on its own
 * names, so a system may run different clients' ops in any interleaving that keeps each client's order,
 * and every op's expected result class is fixed in advance (all {@code >= 0}).
 *
 * <ul>
 *   <li>read-heavy: 45% getattr of a random pre-created file, 45% lookup of one by name, 10% cycle steps.</li>
 *   <li>write-heavy: cycle steps only (create, lookup, rename, unlink: 3 of 4 are mutations).</li>
 * </ul>
 * Every client's cycle is completed at the end (the list leaves the namespace as it found it), so the
 * same list can be run again on the same file system.
 */
final class FsOpStreams
{
    /** Pseudo-clients: divisible by 1, 2, 3, 4 and 6 so locked threads get equal shares. */
    static final int CLIENTS = 12;

    private FsOpStreams()
    {
    }

    /**
     * @param readHeavy which mix.
     * @param ops       about this many ops (a few more to complete the cycles).
     * @param inos      pre-created files {@code p<i>} in the root directory.
     * @return the list.
     */
    static FsOpStream generate(final boolean readHeavy, final int ops, final long[] inos)
    {
        final FsOpStream stream = new FsOpStream(ops + 4 * CLIENTS);
        final SplittableRandom random = new SplittableRandom(readHeavy ? 42 : 43);
        final String[] names = new String[inos.length];
        for (int i = 0; i < inos.length; i++)
        {
            names[i] = "p" + i;
        }
        final int[] phase = new int[CLIENTS];
        final String[] mine = new String[CLIENTS];
        final String[] renamed = new String[CLIENTS];
        for (int c = 0; c < CLIENTS; c++)
        {
            mine[c] = "s" + c;
            renamed[c] = "s" + c + "-renamed";
        }
        for (int i = 0; i < ops; i++)
        {
            final int c = stream.count() % CLIENTS;
            if (readHeavy)
            {
                final int r = random.nextInt(100);
                if (r < 45)
                {
                    stream.getattr(inos[random.nextInt(inos.length)], FsOpStream.EXPECT_OK);
                    continue;
                }
                if (r < 90)
                {
                    stream.lookup(FsLimits.ROOT_INO, names[random.nextInt(names.length)], FsOpStream.EXPECT_OK);
                    continue;
                }
            }
            step(stream, phase, c, mine[c], renamed[c]);
        }
        // Complete every client's cycle, keeping the round-robin assignment of ops to clients.
        while (!allAtStart(phase))
        {
            final int c = stream.count() % CLIENTS;
            if (phase[c] == 0)
            {
                stream.getattr(FsLimits.ROOT_INO, FsOpStream.EXPECT_OK);
            }
            else
            {
                step(stream, phase, c, mine[c], renamed[c]);
            }
        }
        return stream;
    }

    private static boolean allAtStart(final int[] phase)
    {
        for (final int p : phase)
        {
            if (p != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void step(final FsOpStream stream, final int[] phase, final int c, final String mine,
        final String renamed)
    {
        switch (phase[c])
        {
            case 0 -> stream.create(FsLimits.ROOT_INO, mine, 0644, FsOpStream.EXPECT_OK);
            case 1 -> stream.lookup(FsLimits.ROOT_INO, mine, FsOpStream.EXPECT_OK);
            case 2 -> stream.rename(FsLimits.ROOT_INO, mine, FsLimits.ROOT_INO, renamed, FsOpStream.EXPECT_OK);
            default -> stream.unlink(FsLimits.ROOT_INO, renamed, FsOpStream.EXPECT_OK);
        }
        phase[c] = (phase[c] + 1) & 3;
    }

    /** @return the client that op {@code i} belongs to. */
    static int client(final int i)
    {
        return i % CLIENTS;
    }
}
