package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.ops.OpCode;
import io.dominoes.fs.state.Attr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.dominoes.fs.FsLimits.ROOT_INO;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FsPipelineTest
{
    @TempDir
    Path dir;

    FsService open(final int replicas, final int capacity)
    {
        return FsService.open(new FsService.Context().directory(dir).replicas(replicas).digestEvery(8)
            .channelCapacity(capacity));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void pipelinedOpsCompleteOnceInSubmissionOrderSemantics(final int replicas)
    {
        try (FsService fs = open(replicas, 1 << 21))
        {
            final Map<Long, Long> results = new HashMap<>();
            final Map<Long, Integer> ops = new HashMap<>();
            final FsPipeline.Completion completion = (tag, opCode, result, attr) ->
            {
                assertNull(results.put(tag, result), "tag " + tag + " completed twice");
                ops.put(tag, opCode);
                if (opCode == OpCode.LOOKUP && result > 0)
                {
                    assertEquals(result, attr.ino);
                }
            };
            try (FsPipeline p = fs.newPipeline(8))
            {
                long tag = 0;
                for (int i = 0; i < 50; i++)
                {
                    // create then lookup without waiting: channel order makes the lookup see the create.
                    while (!p.create(0, 0, ROOT_INO, "f" + i, 0644, tag))
                    {
                        p.awaitSome(completion);
                    }
                    tag++;
                    while (!p.lookup(0, 0, ROOT_INO, "f" + i, tag))
                    {
                        p.awaitSome(completion);
                    }
                    tag++;
                    assertTrue(p.outstanding() <= p.window());
                }
                while (!p.lookup(0, 0, ROOT_INO, "missing", tag))
                {
                    p.awaitSome(completion);
                }
                tag++;
                while (!p.lookup(0, 0, ROOT_INO, "x".repeat(5000), tag))
                {
                    p.awaitSome(completion);
                }
                tag++;
                p.drain(completion);
                assertEquals(0, p.outstanding());
                assertEquals(tag, results.size());
                for (long t = 0; t < 100; t += 2)
                {
                    assertEquals(OpCode.CREATE, ops.get(t));
                    assertTrue(results.get(t) > 0, "create " + t + ": " + results.get(t));
                    assertEquals(results.get(t), results.get(t + 1), "lookup after create finds it");
                }
                assertEquals(-Errno.ENOENT, results.get(100L));
                assertEquals(-Errno.ENAMETOOLONG, results.get(101L));
            }
            // The pipeline returned its requests: the blocking API still works and sees everything.
            final Attr attr = new Attr();
            assertTrue(fs.lookup(0, 0, ROOT_INO, "f49", attr) > 0);
            assertEquals(List.of(), fs.check());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void pipelinedReadsKeepTheirPlaceBetweenMutationsWhileTheDirectInputWraps(final int replicas)
    {
        // A small direct input wraps every ~150 cycles; each lookup must see the mutations submitted before it
        // and none submitted after it (a lookup served after the rename behind it returns ENOENT).
        final int cycles = 3_000;
        try (FsService fs = FsService.open(new FsService.Context().directory(dir).replicas(replicas)
            .directCapacity(1 << 16)))
        {
            final long[] results = new long[cycles * 6];
            final FsPipeline.Completion completion = (tag, opCode, result, attr) -> results[(int)tag] = result;
            try (FsPipeline p = fs.newPipeline(32))
            {
                for (int i = 0; i < cycles; i++)
                {
                    final String a = "a" + (i % 7);
                    final String b = "b" + (i % 7);
                    final int t = i * 6;
                    while (!p.create(0, 0, ROOT_INO, a, 0644, t))
                    {
                        p.awaitSome(completion);
                    }
                    while (!p.lookup(0, 0, ROOT_INO, a, t + 1))
                    {
                        p.awaitSome(completion);
                    }
                    while (!p.rename(0, 0, ROOT_INO, a, ROOT_INO, b, 0, t + 2))
                    {
                        p.awaitSome(completion);
                    }
                    while (!p.lookup(0, 0, ROOT_INO, a, t + 3))
                    {
                        p.awaitSome(completion);
                    }
                    while (!p.lookup(0, 0, ROOT_INO, b, t + 4))
                    {
                        p.awaitSome(completion);
                    }
                    while (!p.unlink(0, 0, ROOT_INO, b, t + 5))
                    {
                        p.awaitSome(completion);
                    }
                }
                p.drain(completion);
            }
            for (int i = 0; i < cycles; i++)
            {
                final int t = i * 6;
                assertTrue(results[t] > 0, "create " + i + ": " + results[t]);
                assertEquals(results[t], results[t + 1], "cycle " + i + ": lookup after the create finds it");
                assertEquals(0, results[t + 2], "cycle " + i + ": rename");
                assertEquals(-Errno.ENOENT, results[t + 3], "cycle " + i + ": old name gone after the rename");
                assertEquals(results[t], results[t + 4], "cycle " + i + ": lookup of the new name before the unlink");
                assertEquals(0, results[t + 5], "cycle " + i + ": unlink");
            }
            assertEquals(List.of(), fs.check());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aPrefilledStreamIsAnsweredExactlyOncePerOp(final int replicas)
    {
        try (FsService fs = open(replicas, 1 << 22))
        {
            final Attr attr = new Attr();
            final long[] inos = new long[20];
            for (int i = 0; i < inos.length; i++)
            {
                inos[i] = fs.create(0, 0, ROOT_INO, "p" + i, 0644, attr);
            }
            final FsOpStream stream = new FsOpStream(16);
            for (int round = 0; round < 200; round++)
            {
                stream.getattr(inos[round % inos.length], FsOpStream.EXPECT_OK);
                stream.lookup(ROOT_INO, "p" + (round % inos.length), FsOpStream.EXPECT_OK);
                stream.create(ROOT_INO, "c" + round, 0644, FsOpStream.EXPECT_OK);
                stream.lookup(ROOT_INO, "c" + round, FsOpStream.EXPECT_OK);
                stream.rename(ROOT_INO, "c" + round, ROOT_INO, "r" + round, FsOpStream.EXPECT_OK);
                stream.unlink(ROOT_INO, "r" + round, FsOpStream.EXPECT_OK);
                stream.lookup(ROOT_INO, "r" + round, FsOpStream.EXPECT_ERROR);
            }
            final int[] phases = new int[2];
            final FsService.StreamResult result = fs.runStream(stream, () -> phases[0]++, () -> phases[1]++, 60_000);
            assertTrue(result.ok(), result.toString());
            assertEquals(stream.count(), result.answered());
            assertArrayEquals(new int[] {1, 1}, phases);
            assertEquals(-Errno.ENOENT, fs.lookup(0, 0, ROOT_INO, "r7", attr));
            assertEquals(List.of(), fs.check());
        }
    }

    @Test
    void anUnexpectedResultIsReportedNotHidden()
    {
        try (FsService fs = open(2, 1 << 21))
        {
            final FsOpStream stream = new FsOpStream(4);
            stream.lookup(ROOT_INO, "absent", FsOpStream.EXPECT_OK);
            stream.getattr(ROOT_INO, FsOpStream.EXPECT_OK);
            final FsService.StreamResult result = fs.runStream(stream, () -> { }, () -> { }, 60_000);
            assertFalse(result.ok());
            assertEquals(2, result.answered());
            assertEquals(1, result.unexpected());
            assertTrue(result.firstUnexpected().contains("LOOKUP"), result.firstUnexpected());
        }
    }

    @Test
    void aStreamWhoseReadsDoNotFitTheDirectInputFailsBeforeRunningAnything()
    {
        try (FsService fs = open(1, 1 << 20))
        {
            final FsOpStream stream = new FsOpStream(20_001);
            stream.create(ROOT_INO, "before", 0644, FsOpStream.EXPECT_OK);
            for (int i = 0; i < 20_000; i++)
            {
                stream.getattr(ROOT_INO, FsOpStream.EXPECT_OK);
            }
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> fs.runStream(stream, () -> { }, () -> { }, 10_000));
            assertTrue(ex.getMessage().contains("does not fit the direct input"), ex.getMessage());
            assertTrue(ex.getMessage().contains("directCapacity"), ex.getMessage());
            assertEquals(-Errno.ENOENT, fs.lookup(0, 0, ROOT_INO, "before", new Attr()), "nothing of it ran");
        }
    }

    @Test
    void aStreamWhoseMutationsDoNotFitTheChannelFailsBeforeRunningAnything()
    {
        try (FsService fs = open(1, 1 << 20))
        {
            final FsOpStream stream = new FsOpStream(20_000);
            for (int i = 0; i < 10_000; i++)
            {
                stream.create(ROOT_INO, "f" + i, 0644, FsOpStream.EXPECT_OK);
                stream.unlink(ROOT_INO, "f" + i, FsOpStream.EXPECT_OK);
            }
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> fs.runStream(stream, () -> { }, () -> { }, 10_000));
            assertTrue(ex.getMessage().contains("does not fit the channel"), ex.getMessage());
            assertEquals(-Errno.ENOENT, fs.lookup(0, 0, ROOT_INO, "f0", new Attr()), "nothing of it ran");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aStreamSizedByItsFootprintServesEveryReadAtItsPlace(final int replicas)
    {
        // Each name is created, looked up, renamed, looked up under both names, unlinked: a read served one
        // mutation early or late returns the other result class, so the check fails.
        final FsOpStream stream = new FsOpStream(60_000);
        for (int i = 0; i < 8_000; i++)
        {
            final String a = "a" + (i % 50);
            final String b = "b" + (i % 50);
            stream.create(ROOT_INO, a, 0644, FsOpStream.EXPECT_OK);
            stream.lookup(ROOT_INO, a, FsOpStream.EXPECT_OK);
            stream.lookup(ROOT_INO, b, FsOpStream.EXPECT_ERROR);
            stream.rename(ROOT_INO, a, ROOT_INO, b, FsOpStream.EXPECT_OK);
            stream.lookup(ROOT_INO, a, FsOpStream.EXPECT_ERROR);
            stream.lookup(ROOT_INO, b, FsOpStream.EXPECT_OK);
            stream.unlink(ROOT_INO, b, FsOpStream.EXPECT_OK);
        }
        final StreamFootprint footprint = StreamFootprint.of(stream, replicas);
        assertEquals(4 * 8_000, footprint.reads());
        assertEquals(3 * 8_000, footprint.mutations());
        try (FsService fs = FsService.open(new FsService.Context().directory(dir).replicas(replicas)
            .channelCapacity(StreamFootprint.capacityFor(footprint.channelBytes(), 1 << 21))
            .directCapacity(StreamFootprint.capacityFor(footprint.maxDirectBytes(), 1 << 20))))
        {
            final FsService.StreamResult result = fs.runStream(stream, () -> { }, () -> { }, 60_000);
            assertTrue(result.ok(), result.toString());
            assertEquals(stream.count(), result.answered());
            assertTrue(fs.check().isEmpty());
        }
    }
}
