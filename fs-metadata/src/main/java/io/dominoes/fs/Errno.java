package io.dominoes.fs;

/**
 * POSIX error numbers (Linux values) returned negated by every file-system operation: a result
 * {@code >= 0} is success, {@code -ENOENT} etc. is a failure. Values match {@code errno.h} on Linux
 * so the FUSE front end passes them through unchanged.
 */
public final class Errno
{
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EMLINK = 31;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;

    private Errno()
    {
    }

    /**
     * @param result of an operation.
     * @return a short name such as {@code -ENOENT} for logs and test messages.
     */
    public static String describe(final long result)
    {
        if (result >= 0)
        {
            return "OK(" + result + ")";
        }
        final int e = (int)-result;
        switch (e)
        {
            case EPERM: return "-EPERM";
            case ENOENT: return "-ENOENT";
            case EIO: return "-EIO";
            case EBADF: return "-EBADF";
            case EACCES: return "-EACCES";
            case EEXIST: return "-EEXIST";
            case EXDEV: return "-EXDEV";
            case ENOTDIR: return "-ENOTDIR";
            case EISDIR: return "-EISDIR";
            case EINVAL: return "-EINVAL";
            case EFBIG: return "-EFBIG";
            case ENOSPC: return "-ENOSPC";
            case EMLINK: return "-EMLINK";
            case ENAMETOOLONG: return "-ENAMETOOLONG";
            case ENOSYS: return "-ENOSYS";
            case ENOTEMPTY: return "-ENOTEMPTY";
            case ELOOP: return "-ELOOP";
            default: return "-E(" + e + ")";
        }
    }
}
