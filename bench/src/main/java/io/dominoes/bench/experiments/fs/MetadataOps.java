package io.dominoes.bench.experiments.fs;

import io.dominoes.fs.state.Attr;

/**
 * The metadata calls a benchmark client makes, implemented by the replicated service and by the locked
 * single copy, so both run the identical workload. Results as in FsService: {@code >= 0} or -errno.
 */
interface MetadataOps extends AutoCloseable
{
    long getattr(long ino, Attr out);

    long lookup(long parent, String name, Attr out);

    long create(long parent, String name, Attr out);

    long rename(long parent, String name, long newParent, String newName);

    long unlink(long parent, String name);

    @Override
    void close();
}
