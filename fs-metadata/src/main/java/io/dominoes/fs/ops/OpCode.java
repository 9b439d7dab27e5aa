package io.dominoes.fs.ops;

/**
 * Operation codes of {@link FsOpFlyweight} records. Mutations are replicated: every replica applies
 * them in journal order. {@link #WRITE} is replicated for its metadata (size, mtime, setuid clearing)
 * and partitioned for its bytes (only the block's owner stores and checksums them).
 */
public final class OpCode
{
    public static final int CREATE = 1;
    public static final int MKDIR = 2;
    public static final int MKNOD = 3;
    public static final int UNLINK = 4;
    public static final int RMDIR = 5;
    public static final int RENAME = 6;
    public static final int LINK = 7;
    public static final int SYMLINK = 8;
    public static final int SETATTR = 9;
    public static final int WRITE = 10;
    public static final int OPEN = 11;
    public static final int RELEASE = 12;
    /** Forget every open handle (after a restart no handle survives) and free unlinked inodes. */
    public static final int CLEAR_OPENS = 13;

    public static final int MAX = 13;

    /**
     * Read requests carried as op records (the pipelined and pre-filled paths: the request travels in the
     * channel instead of in a pooled {@code Request}). Outside 1..{@link #MAX}, so
     * {@link FsOpFlyweight#validate(int)} rejects them: they are never journaled, replayed or applied.
     */
    public static final int GETATTR = 32;
    /** Lookup of name1 in directory {@code ino} as (uid, gid); see {@link #GETATTR}. */
    public static final int LOOKUP = 33;

    /**
     * @param opCode to test.
     * @return true for the read op codes ({@link #GETATTR}, {@link #LOOKUP}).
     */
    public static boolean isRead(final int opCode)
    {
        return opCode == GETATTR || opCode == LOOKUP;
    }

    private OpCode()
    {
    }

    /**
     * @param opCode to name.
     * @return the op's name for logs.
     */
    public static String name(final int opCode)
    {
        switch (opCode)
        {
            case CREATE: return "CREATE";
            case MKDIR: return "MKDIR";
            case MKNOD: return "MKNOD";
            case UNLINK: return "UNLINK";
            case RMDIR: return "RMDIR";
            case RENAME: return "RENAME";
            case LINK: return "LINK";
            case SYMLINK: return "SYMLINK";
            case SETATTR: return "SETATTR";
            case WRITE: return "WRITE";
            case OPEN: return "OPEN";
            case RELEASE: return "RELEASE";
            case CLEAR_OPENS: return "CLEAR_OPENS";
            case GETATTR: return "GETATTR";
            case LOOKUP: return "LOOKUP";
            default: return "UNKNOWN(" + opCode + ")";
        }
    }
}
