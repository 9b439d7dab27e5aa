package io.dominoes.fs.state;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * One inode of a replica's private copy. Directory entries map the name (raw bytes, {@link DirectoryEntries})
 * to the child inode number. Blocks hold only the blocks this replica
 * owns.
 */
final class Inode
{
    static final long NO_ENTRY = 0;

    final long ino;
    int mode;
    int uid;
    int gid;
    long size;
    int nlink;
    long atimeNs;
    long mtimeNs;
    long ctimeNs;
    int openCount;
    long parent;
    DirectoryEntries entries;
    byte[] symlinkTarget;
    Long2ObjectHashMap<Block> blocks;

    Inode(final long ino)
    {
        this.ino = ino;
    }

    DirectoryEntries entries()
    {
        if (null == entries)
        {
            entries = new DirectoryEntries();
        }
        return entries;
    }

    Long2ObjectHashMap<Block> blocks()
    {
        if (null == blocks)
        {
            blocks = new Long2ObjectHashMap<>();
        }
        return blocks;
    }

    void fill(final Attr attr)
    {
        attr.ino = ino;
        attr.mode = mode;
        attr.nlink = nlink;
        attr.uid = uid;
        attr.gid = gid;
        attr.size = size;
        attr.atimeNs = atimeNs;
        attr.mtimeNs = mtimeNs;
        attr.ctimeNs = ctimeNs;
    }
}
