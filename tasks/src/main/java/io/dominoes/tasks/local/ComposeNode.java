package io.dominoes.tasks.local;

import io.dominoes.tasks.api.Args;
import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.TaskId;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A compose successor collecting its arguments (CX's setArg), then running once all have arrived.
 */
final class ComposeNode extends Node implements ResultSink, Args<Object>
{
    private static final Object NULL = new Object();
    private static final VarHandle PENDING;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static
    {
        try
        {
            PENDING = MethodHandles.lookup().findVarHandle(ComposeNode.class, "pending", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final Compose<?, ?> compose;
    final TaskId id;
    final ResultSink successor;
    final int slot;
    private final Object[] args;
    private volatile int pending;

    ComposeNode(
        final JobHandle<?> job,
        final Compose<?, ?> compose,
        final TaskId id,
        final int argCount,
        final ResultSink successor,
        final int slot)
    {
        super(job);
        this.compose = compose;
        this.id = id;
        this.successor = successor;
        this.slot = slot;
        this.args = new Object[argCount];
        PENDING.set(this, argCount);
    }

    public Node deliver(final int slot, final Object value, final Worker worker)
    {
        // CAS null -> value claims the slot: a second result for the same child id (a re-execution) loses and is
        // dropped, so every argument is used exactly once.
        if (!SLOT.compareAndSet(args, slot, null, value == null ? NULL : value))
        {
            worker.onDuplicate();
            return null;
        }
        // getAndAdd is a full-barrier RMW on pending. Each deliverer's slot CAS precedes its decrement, and the
        // decrements are totally ordered, so the thread that takes pending to zero sees every argument.
        if ((int)PENDING.getAndAdd(this, -1) == 1)
        {
            return this;
        }
        return null;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    Node run(final Worker worker)
    {
        if (job.isDone())
        {
            return null;
        }
        final WorkerTaskContext ctx = worker.context;
        ctx.begin(job, id);
        ((Compose)compose).compose(this, ctx);
        return ctx.finish(worker, successor, slot);
    }

    public int count()
    {
        return args.length;
    }

    public Object get(final int index)
    {
        // Plain read: run() happens after the final decrement that saw every slot write (see deliver).
        final Object value = args[index];
        return value == NULL ? null : value;
    }

    String path()
    {
        return String.valueOf(id);
    }
}
