package io.dominoes.fs.ops;

/**
 * Which fields a {@link OpCode#SETATTR} changes (the {@code flags} field of the record).
 */
public final class SetAttrMask
{
    public static final int MODE = 1;
    public static final int UID = 2;
    public static final int GID = 4;
    public static final int SIZE = 8;
    public static final int ATIME = 16;
    public static final int MTIME = 32;
    /** Set atime to the operation's time (utimensat UTIME_NOW). */
    public static final int ATIME_NOW = 64;
    /** Set mtime to the operation's time (utimensat UTIME_NOW). */
    public static final int MTIME_NOW = 128;

    public static final int ALL = 255;

    private SetAttrMask()
    {
    }
}
