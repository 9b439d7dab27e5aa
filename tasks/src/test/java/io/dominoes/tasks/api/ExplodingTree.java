package io.dominoes.tasks.api;

/**
 * Test task: a binary tree of {@code depth} levels whose leaves return 1, except leaf {@code bad} (numbered left to
 * right), which throws. Leaf i's path is the root then the bits of i, most significant first.
 */
public final class ExplodingTree implements Task<Long>
{
    private static final long serialVersionUID = 1L;
    private final int depth;
    private final int index;
    private final int bad;

    public ExplodingTree(final int depth, final int index, final int bad)
    {
        this.depth = depth;
        this.index = index;
        this.bad = bad;
    }

    public void execute(final TaskContext<Long> ctx)
    {
        if (depth == 0)
        {
            if (index == bad)
            {
                throw new ArithmeticException("leaf " + index + " explodes");
            }
            ctx.complete(1L);
            return;
        }
        ctx.spawn(new ExplodingTree(depth - 1, 2 * index, bad));
        ctx.spawn(new ExplodingTree(depth - 1, 2 * index + 1, bad));
        ctx.compose((Compose<Long, Long>)(args, c) -> c.complete(args.get(0) + args.get(1)));
    }

    /**
     * @param jobId job.
     * @param depth tree depth.
     * @param leaf  leaf number.
     * @return the leaf's task id.
     */
    public static TaskId pathOf(final int jobId, final int depth, final int leaf)
    {
        TaskId id = TaskId.root(jobId);
        for (int level = depth - 1; level >= 0; level--)
        {
            id = id.child((leaf >> level) & 1);
        }
        return id;
    }
}
