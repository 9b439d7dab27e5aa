package io.dominoes.bench.experiments.fs;

import io.dominoes.fs.service.FsService;
import io.dominoes.fs.state.Attr;

import java.nio.file.Path;

/**
 * The replicated service (FsService on the replica runtime) behind {@link MetadataOps}.
 */
final class ReplicatedFs implements MetadataOps
{
    private final FsService fs;

    ReplicatedFs(final Path dir, final int replicas, final String idle)
    {
        final FsService.Context ctx = new FsService.Context().directory(dir).replicas(replicas).snapshotEveryOps(0)
            .snapshotOnClose(false);
        if (null != idle)
        {
            ctx.idleStrategy(io.dominoes.core.idle.IdleStrategies.byName(idle));
        }
        fs = FsService.open(ctx);
    }

    public long getattr(final long ino, final Attr out)
    {
        return fs.getattr(ino, out);
    }

    public long lookup(final long parent, final String name, final Attr out)
    {
        return fs.lookup(0, 0, parent, name, out);
    }

    public long create(final long parent, final String name, final Attr out)
    {
        return fs.create(0, 0, parent, name, 0644, out);
    }

    public long rename(final long parent, final String name, final long newParent, final String newName)
    {
        return fs.rename(0, 0, parent, name, newParent, newName, 0);
    }

    public long unlink(final long parent, final String name)
    {
        return fs.unlink(0, 0, parent, name);
    }

    public void close()
    {
        fs.close();
    }
}
