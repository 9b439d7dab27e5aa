package io.dominoes.fs;

/**
 * Fixed limits of the file system, shared by the op codec, the state machine and the front ends.
 */
public final class FsLimits
{
    /** NAME_MAX: longest directory entry name in bytes. */
    public static final int NAME_MAX = 255;

    /** PATH_MAX: longest symlink target in bytes. */
    public static final int PATH_MAX = 4096;

    /** File data is partitioned in blocks of this many bytes: (inode, offset / BLOCK_SIZE). */
    public static final int BLOCK_SIZE = 64 * 1024;

    /** Largest file size accepted: 2^50 bytes (sparse), well beyond 2 GiB and far from overflow. */
    public static final long MAX_FILE_SIZE = 1L << 50;

    /** Inode number of the root directory (FUSE_ROOT_ID). */
    public static final long ROOT_INO = 1;

    private FsLimits()
    {
    }
}
