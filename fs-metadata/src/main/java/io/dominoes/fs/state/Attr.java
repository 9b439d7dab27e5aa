package io.dominoes.fs.state;

/**
 * Mutable attribute record filled by reads (getattr, lookup, create); reused by callers so a read
 * allocates nothing.
 */
public final class Attr
{
    public long ino;
    public int mode;
    public int nlink;
    public int uid;
    public int gid;
    public long size;
    public long atimeNs;
    public long mtimeNs;
    public long ctimeNs;

    /**
     * @param other to copy from.
     * @return this.
     */
    public Attr copyFrom(final Attr other)
    {
        ino = other.ino;
        mode = other.mode;
        nlink = other.nlink;
        uid = other.uid;
        gid = other.gid;
        size = other.size;
        atimeNs = other.atimeNs;
        mtimeNs = other.mtimeNs;
        ctimeNs = other.ctimeNs;
        return this;
    }

    /**
     * @return st_blocks in 512-byte units (reported as if the file were not sparse).
     */
    public long blocks512()
    {
        return (size + 511) / 512;
    }

    @Override
    public String toString()
    {
        return "Attr{ino=" + ino + " mode=0" + Integer.toOctalString(mode) + " nlink=" + nlink + " uid=" + uid +
            " gid=" + gid + " size=" + size + " atime=" + atimeNs + " mtime=" + mtimeNs + " ctime=" + ctimeNs + "}";
    }
}
