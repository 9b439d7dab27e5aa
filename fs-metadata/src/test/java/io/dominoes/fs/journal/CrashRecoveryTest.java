package io.dominoes.fs.journal;

import io.dominoes.fs.service.FsService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kill -9 a writer process at random points; after each restart every acknowledged op must be
 * there: the recovered tree equals the model after m ops for some m at or beyond the last ACK read
 * (ops acknowledged but not yet read by us, and the one in flight, may also be there). Content is
 * compared byte for byte (reads verify each block's CRC32C) and fsck must pass on every replica.
 */
class CrashRecoveryTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyAcknowledgedOpSurvivesSigkill() throws Exception
    {
        final long masterSeed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest seed " + masterSeed + " (rerun with -Dcrash.seed=" + masterSeed + ")");
        final Random random = new Random(masterSeed);
        final int rounds = 4;
        long totalAcks = 0;
        for (int round = 0; round < rounds; round++)
        {
            final long seed = random.nextLong();
            final int replicas = 1 + random.nextInt(3);
            final SyncPolicy policy = round == rounds - 1 ? SyncPolicy.SYNC : SyncPolicy.NONE;
            final int killAfter = 100 + random.nextInt(700);

            final CrashModel start;
            try (FsService fs = FsService.open(new FsService.Context().directory(dir).replicas(2).snapshotOnClose(false)))
            {
                start = CrashModel.walk(fs);
            }

            final Process child = startWriter(seed, replicas, policy);
            long acked = 0;
            final List<String> tail = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = out.readLine()))
                {
                    if (line.startsWith("ACK "))
                    {
                        acked = Long.parseLong(line.substring(4));
                        if (acked >= killAfter)
                        {
                            break;
                        }
                    }
                    else
                    {
                        tail.add(line);
                        if (line.startsWith("ERR"))
                        {
                            fail("writer failed: " + line + " (seed " + masterSeed + ")");
                        }
                    }
                }
                child.destroyForcibly(); // SIGKILL on Unix
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertTrue(acked >= killAfter, "writer stopped early after " + acked + " acks: " + tail + " seed " + masterSeed);
            totalAcks += acked;

            try (FsService fs = FsService.open(new FsService.Context().directory(dir).replicas(1 + random.nextInt(3))))
            {
                assertEquals(List.of(), fs.check(), "fsck after kill in round " + round + " seed " + masterSeed);
                final Map<String, String> recovered = CrashModel.walk(fs).canonical();
                final CrashModel model = start.copy();
                final Random ops = new Random(seed);
                long matched = -1;
                for (long m = 1; m <= acked + 20_000; m++)
                {
                    final CrashModel.Op op = CrashModel.next(model, ops);
                    op.applyToModel(model);
                    if (m >= acked && model.canonical().equals(recovered))
                    {
                        matched = m;
                        break;
                    }
                }
                assertTrue(matched >= acked, "recovered state matches no op count >= " + acked +
                    " acknowledged ops in round " + round + " (seed " + masterSeed + ")");
                System.out.println("round " + round + ": " + replicas + " replicas, " + policy + ", killed after " +
                    acked + " acks, recovered " + matched + " ops");
            }
        }
        System.out.println("CrashRecoveryTest: " + totalAcks + " acknowledged ops over " + rounds + " kills");
    }

    private Process startWriter(final long seed, final int replicas, final SyncPolicy policy) throws Exception
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("-Dchronicle"))
            {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashWriter.class.getName());
        cmd.add(dir.toString());
        cmd.add(Long.toString(seed));
        cmd.add(Integer.toString(replicas));
        cmd.add(policy.name());
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
