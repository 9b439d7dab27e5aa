package io.dominoes.fs.state;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2LongHashMap;

/**
 * One inode of a replica's private copy. Directory entries map the name (raw bytes as ISO-8859-1, a
 * lossless byte-to-char mapping) to the child inode number. Blocks hold only the blocks this replica
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
    Object2LongHashMap<String> entries;
    byte[] symlinkTarget;
    Long2ObjectHashMap<Block> blocks;

    Inode(final long ino)
    {
        this.ino = ino;
    }

    Object2LongHashMap<String> entries()
    {
        if (null == entries)
        {
            entries = new Object2LongHashMap<>(NO_ENTRY);
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
