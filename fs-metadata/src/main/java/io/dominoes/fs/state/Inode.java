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

    long ino;
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

    /**
     * Make a freed inode (no longer in any map or directory) a fresh one numbered {@code ino}: every field as a
     * new {@code Inode(ino)} has it. Its old directory table, blocks and link target are left to the collector.
     *
     * @return this.
     */
    Inode reuseAs(final long ino)
    {
        this.ino = ino;
        mode = 0;
        uid = 0;
        gid = 0;
        size = 0;
        nlink = 0;
        atimeNs = 0;
        mtimeNs = 0;
        ctimeNs = 0;
        openCount = 0;
        parent = 0;
        entries = null;
        symlinkTarget = null;
        blocks = null;
        return this;
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
