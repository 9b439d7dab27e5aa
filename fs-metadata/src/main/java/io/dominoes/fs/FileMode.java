package io.dominoes.fs;

/**
 * {@code st_mode} bits as in Linux {@code <sys/stat.h>}.
 */
public final class FileMode
{
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;
    public static final int PERMISSION_BITS = 07777;
    public static final int S_IXGRP = 00010;

    /** Access request bits as for {@code access(2)}. */
    public static final int R_OK = 4;
    public static final int W_OK = 2;
    public static final int X_OK = 1;

    private FileMode()
    {
    }

    /**
     * @param mode st_mode.
     * @return true for a directory.
     */
    public static boolean isDirectory(final int mode)
    {
        return (mode & S_IFMT) == S_IFDIR;
    }

    /**
     * @param mode st_mode.
     * @return true for a regular file.
     */
    public static boolean isRegular(final int mode)
    {
        return (mode & S_IFMT) == S_IFREG;
    }

    /**
     * @param mode st_mode.
     * @return true for a symbolic link.
     */
    public static boolean isSymlink(final int mode)
    {
        return (mode & S_IFMT) == S_IFLNK;
    }
}
