package io.dominoes.tasks.remote;

import io.dominoes.tasks.api.TaskId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The server state machine driven by hand: time is an argument, the outbox records what would be sent.
 */
class TaskServerStateTest
{
    private static final long MS = 1_000_000L;

    private static final class Sent
    {
        final long workerId;
        final TaskId id;
        final boolean split;
        final int kind;
        final byte[][] args;

        Sent(final long workerId, final TaskId id, final boolean split, final int kind, final byte[][] args)
        {
            this.workerId = workerId;
            this.id = id;
            this.split = split;
            this.kind = kind;
            this.args = args;
        }
    }

    private final List<Sent> sent = new ArrayList<>();
    private final List<long[]> done = new ArrayList<>();
    private final List<byte[]> doneValues = new ArrayList<>();
    private final TaskServerState state = new TaskServerState(new ServerOutbox()
    {
        public boolean sendTask(final long workerId, final String channel, final TaskId id, final boolean split,
            final int kind, final byte[] body, final byte[][] args)
        {
            sent.add(new Sent(workerId, id, split, kind, args == null ? null : args.clone()));
            return true;
        }

        public void sendJobDone(final String clientChannel, final int jobId, final long[] stats, final byte[] value)
        {
            done.add(stats.clone());
            doneValues.add(value);
        }

        public void sendIncumbent(final String channel, final int jobId, final long value)
        {
        }

        public void sendJobFailed(final String clientChannel, final int jobId, final String path,
            final String description, final int attempts)
        {
            failed.add(path + "|" + description + "|" + attempts);
        }
    }, 1_000 * MS, 500 * MS);
    private final List<String> failed = new ArrayList<>();

    @Test
    void aTaskThatKeepsFailingFailsItsJobAfterThreeAttemptsNamingThePathAndTheServerStaysUsable()
    {
        state.onHeartbeat(1, 1, 0, "w1", 0);
        state.onSubmit(7L, "client", new byte[]{ 9 }, 0);
        final TaskId root = TaskId.root(0);
        state.onSpawned(1, 1, root, new byte[][]{ { 1 } }, new byte[]{ 3 }, MS);
        final TaskId child = root.child(0);
        for (int attempt = 1; attempt <= TaskServerState.DEFAULT_MAX_FAILURES; attempt++)
        {
            // Each failure frees the credit and re-issues the same path at once, until the bound.
            assertEquals(child, sent.get(sent.size() - 1).id, "attempt " + attempt);
            assertEquals(0, failed.size());
            state.onFailed(1, 1 + attempt, child, "java.lang.ArithmeticException: / by zero", (1 + attempt) * MS);
        }
        assertEquals(List.of(child + "|java.lang.ArithmeticException: / by zero|3"), failed);
        assertEquals(0, state.liveTasks(), "the failed job's tasks are gone");
        final int sentBefore = sent.size();
        assertEquals(TaskServerState.DEFAULT_MAX_FAILURES + 1, sentBefore, "root + 3 attempts, no 4th issue");

        // A late result for the failed job is dropped; the next job runs normally.
        state.onResult(1, 5, child, new byte[]{ 1 }, 6 * MS);
        state.onSubmit(8L, "client", new byte[]{ 9 }, 7 * MS);
        assertEquals(TaskId.root(1), sent.get(sent.size() - 1).id);
        state.onResult(1, 6, TaskId.root(1), new byte[]{ 42 }, 8 * MS);
        assertEquals(1, done.size());
    }

    @Test
    void aSubmissionSeenTwiceThroughTwoReplicaGatewaysStartsOneJob()
    {
        state.onHeartbeat(1, 4, 0, "w1", 0);
        assertEquals(0, state.onSubmit(99L, "client", new byte[]{ 9 }, 0));
        assertEquals(-1, state.onSubmit(99L, "client", new byte[]{ 9 }, 0));
        assertEquals(1, sent.size());
        assertEquals(1, state.liveTasks());
    }

    @Test
    void anEmitterChangeReissuesHeldTasksAndResendsTheLastJobResult()
    {
        state.onHeartbeat(1, 1, 0, "w1", 0);
        state.onSubmit(1L, "client", new byte[]{ 9 }, 0);
        state.onResult(1, 1, TaskId.root(0), new byte[]{ 5 }, MS);
        assertEquals(1, done.size());
        state.onSubmit(2L, "client", new byte[]{ 9 }, 2 * MS);
        assertEquals(TaskId.root(1), sent.get(1).id);
        // The old emitter may have lost both the job result and the task it "sent": the new emitter sends again,
        // although the worker's only credit is still taken by the task held.
        state.onEmitterChanged(3 * MS);
        assertEquals(2, done.size(), "job 0's result sent again");
        assertEquals(TaskId.root(1), sent.get(2).id, "held task issued again");
        state.onResult(1, 2, TaskId.root(1), new byte[]{ 6 }, 4 * MS);
        state.onResult(1, 3, TaskId.root(1), new byte[]{ 6 }, 4 * MS);
        assertEquals(3, done.size(), "job 1 done once");
        assertEquals(done.get(2)[TaskServerState.STAT_CREATED], done.get(2)[TaskServerState.STAT_ACCEPTED]);
    }

    @Test
    void spawnedChildrenAndComposeCompleteTheJobOnceAndDuplicatesAreDropped()
    {
        state.onHeartbeat(1, 1, 0, "w1", 0);
        state.onSubmit("client", new byte[]{ 9 }, 0);
        assertEquals(1, sent.size());
        final TaskId root = sent.get(0).id;
        assertEquals(TaskId.root(0), root);
        assertTrue(sent.get(0).split);

        state.onSpawned(1, 1, root, new byte[][]{ { 1 }, { 2 } }, new byte[]{ 3 }, 1 * MS);
        assertEquals(root.child(0), sent.get(1).id);
        // The same completion again (a re-execution elsewhere) is a duplicate.
        state.onSpawned(1, 1, root, new byte[][]{ { 1 }, { 2 } }, new byte[]{ 3 }, 1 * MS);

        state.onResult(1, 2, root.child(0), new byte[]{ 10 }, 2 * MS);
        state.onResult(1, 2, root.child(0), new byte[]{ 11 }, 2 * MS);
        assertEquals(root.child(1), sent.get(2).id);
        state.onResult(1, 3, root.child(1), new byte[]{ 20 }, 3 * MS);

        final Sent compose = sent.get(3);
        assertEquals(root.child(2), compose.id);
        assertEquals(Wire.KIND_COMPOSE, compose.kind);
        assertArrayEquals(new byte[]{ 10 }, compose.args[0], "first result used, duplicate dropped");
        assertArrayEquals(new byte[]{ 20 }, compose.args[1]);

        state.onResult(1, 4, root.child(2), new byte[]{ 30 }, 4 * MS);
        assertEquals(1, done.size());
        assertArrayEquals(new byte[]{ 30 }, doneValues.get(0));
        final long[] stats = done.get(0);
        assertEquals(4, stats[TaskServerState.STAT_CREATED]);
        assertEquals(4, stats[TaskServerState.STAT_ACCEPTED]);
        assertEquals(2, stats[TaskServerState.STAT_DUPLICATES]);
        assertEquals(0, stats[TaskServerState.STAT_REISSUES]);
        assertEquals(0, state.liveTasks());
    }

    @Test
    void tasksOfASilentWorkerAreReissuedToAnotherAndItsLateResultIsDropped()
    {
        state.onHeartbeat(1, 1, 0, "w1", 0);
        state.onSubmit("client", new byte[]{ 9 }, 0);
        assertEquals(1, sent.get(0).workerId);
        state.onHeartbeat(2, 1, 0, "w2", 100 * MS);
        // w2 is idle but the task is younger than the reissue time: nothing yet.
        assertEquals(1, sent.size());
        state.onHeartbeat(2, 1, 0, "w2", 1_050 * MS);
        state.onTick(1_100 * MS);
        assertEquals(2, sent.size());
        assertEquals(2, sent.get(1).workerId);
        assertEquals(TaskId.root(0), sent.get(1).id);

        state.onResult(2, 1, TaskId.root(0), new byte[]{ 5 }, 1_200 * MS);
        state.onResult(1, 1, TaskId.root(0), new byte[]{ 6 }, 1_300 * MS);
        assertEquals(1, done.size());
        assertArrayEquals(new byte[]{ 5 }, doneValues.get(0));
        assertEquals(1, done.get(0)[TaskServerState.STAT_REISSUES]);
        assertEquals(1, done.get(0)[TaskServerState.STAT_ACCEPTED]);
        assertEquals(1, state.workersLost());
    }

    @Test
    void idleWorkerGetsADuplicateOfALongOutstandingTaskOfASlowWorker()
    {
        state.onHeartbeat(1, 1, 0, "w1", 0);
        state.onSubmit("client", new byte[]{ 9 }, 0);
        state.onHeartbeat(2, 1, 0, "w2", 600 * MS);
        state.onHeartbeat(1, 1, 0, "w1", 600 * MS);
        assertEquals(2, sent.size(), "eager scheduling: duplicate to the idle worker");
        assertEquals(2, sent.get(1).workerId);
        assertEquals(0, state.workersLost());
    }

    @Test
    void creditsLimitOutstandingTasksPerWorker()
    {
        state.onHeartbeat(1, 2, 0, "w1", 0);
        for (int i = 0; i < 5; i++)
        {
            state.onSubmit("client", new byte[]{ 9 }, 0);
        }
        assertEquals(2, sent.size());
        state.onHeartbeat(1, 2, 1, "w1", 1 * MS);
        assertEquals(3, sent.size());
    }
}
