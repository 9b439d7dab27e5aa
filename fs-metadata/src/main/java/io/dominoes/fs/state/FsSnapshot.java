package io.dominoes.fs.state;

import org.agrona.collections.Long2ObjectHashMap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A snapshot: the replicated metadata (from any one replica: they are identical) plus every
 * replica's owned blocks, tagged with the last sequence number and journal index it contains.
 * Written to a temporary file, fsync'ed and renamed into place, so a crash leaves either the old or
 * the new snapshot; a CRC32C trailer rejects a damaged file. Loading re-partitions the blocks for the
 * replica count in use, which may differ from the one that wrote it.
 *
 * <p>Writers must call this only while the replicas are quiescent (no op being applied) and must
 * not race the replicas' checksum scratch: this reads fields only.
 */
public final class FsSnapshot
{
    private static final int MAGIC = 0x46534e31; // "FSN1"

    /** What {@link #read} returns besides the states. */
    public static final class Header
    {
        public long lastSeq;
        public long journalIndex;
    }

    private FsSnapshot()
    {
    }

    /**
     * @param file         destination; replaced atomically.
     * @param replicas     every replica's state (metadata from [0], blocks from all).
     * @param journalIndex index of the last journal record the states contain.
     * @throws IOException on a write failure.
     */
    public static void write(final Path file, final FsState[] replicas, final long journalIndex) throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        final FsState meta = replicas[0];
        final CRC32C crc = new CRC32C();
        try (OutputStream fos = Files.newOutputStream(tmp);
            CheckedOutputStream cos = new CheckedOutputStream(new BufferedOutputStream(fos, 1 << 16), crc);
            DataOutputStream out = new DataOutputStream(cos))
        {
            out.writeInt(MAGIC);
            out.writeLong(meta.lastSeq());
            out.writeLong(journalIndex);
            out.writeLong(meta.nextIno());
            out.writeInt(meta.inodes().size());
            final Long2ObjectHashMap<Inode>.ValueIterator it = meta.inodes().values().iterator();
            while (it.hasNext())
            {
                final Inode n = it.next();
                out.writeLong(n.ino);
                out.writeInt(n.mode);
                out.writeInt(n.uid);
                out.writeInt(n.gid);
                out.writeLong(n.size);
                out.writeInt(n.nlink);
                out.writeLong(n.atimeNs);
                out.writeLong(n.mtimeNs);
                out.writeLong(n.ctimeNs);
                out.writeInt(n.openCount);
                out.writeLong(n.parent);
                final int entries = null == n.entries ? -1 : n.entries.size();
                out.writeInt(entries);
                if (entries > 0)
                {
                    final DirectoryEntries dir = n.entries;
                    for (int slot = 0, count = dir.capacity(); slot < count; slot++)
                    {
                        final byte[] name = dir.nameAt(slot);
                        if (null != name)
                        {
                            out.writeShort(name.length);
                            out.write(name);
                            out.writeLong(dir.inoAt(slot));
                        }
                    }
                }
                out.writeInt(null == n.symlinkTarget ? -1 : n.symlinkTarget.length);
                if (null != n.symlinkTarget)
                {
                    out.write(n.symlinkTarget);
                }
            }
            for (final FsState replica : replicas)
            {
                final Long2ObjectHashMap<Inode>.ValueIterator r = replica.inodes().values().iterator();
                while (r.hasNext())
                {
                    final Inode n = r.next();
                    if (null == n.blocks)
                    {
                        continue;
                    }
                    final Long2ObjectHashMap<Block>.EntryIterator b = n.blocks.entrySet().iterator();
                    while (b.hasNext())
                    {
                        b.next();
                        final Block block = b.getValue();
                        out.writeByte(1);
                        out.writeLong(n.ino);
                        out.writeLong(b.getLongKey());
                        out.writeInt(block.length);
                        out.writeInt(block.crc);
                        out.write(block.data, 0, block.length);
                    }
                }
            }
            out.writeByte(0);
            out.flush();
            final long value = crc.getValue();
            out.writeLong(value);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE))
        {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ))
        {
            dir.force(true);
        }
        catch (final IOException ignore)
        {
            // Some file systems refuse fsync on a directory; the rename is still atomic.
        }
    }

    /**
     * @param file         snapshot file.
     * @param replicaIndex which replica to build.
     * @param replicaCount replicas in use now (blocks are re-partitioned).
     * @param header       receives the sequence number and journal index.
     * @return the replica's state.
     * @throws IOException on read failure or a damaged file (bad magic or CRC).
     */
    public static FsState read(final Path file, final int replicaIndex, final int replicaCount, final Header header)
        throws IOException
    {
        final FsState state = new FsState(replicaIndex, replicaCount);
        final CRC32C crc = new CRC32C();
        try (InputStream fis = Files.newInputStream(file);
            CheckedInputStream cis = new CheckedInputStream(new BufferedInputStream(fis, 1 << 16), crc);
            DataInputStream in = new DataInputStream(cis))
        {
            if (in.readInt() != MAGIC)
            {
                throw new IOException("not a snapshot: " + file);
            }
            header.lastSeq = in.readLong();
            header.journalIndex = in.readLong();
            state.lastSeq(header.lastSeq);
            state.nextIno(in.readLong());
            final int count = in.readInt();
            final Long2ObjectHashMap<Inode> inodes = state.inodes();
            inodes.clear();
            for (int i = 0; i < count; i++)
            {
                final Inode n = new Inode(in.readLong());
                n.mode = in.readInt();
                n.uid = in.readInt();
                n.gid = in.readInt();
                n.size = in.readLong();
                n.nlink = in.readInt();
                n.atimeNs = in.readLong();
                n.mtimeNs = in.readLong();
                n.ctimeNs = in.readLong();
                n.openCount = in.readInt();
                n.parent = in.readLong();
                final int entries = in.readInt();
                if (entries >= 0)
                {
                    final DirectoryEntries map = n.entries();
                    for (int e = 0; e < entries; e++)
                    {
                        final byte[] name = new byte[in.readUnsignedShort()];
                        in.readFully(name);
                        map.put(name, in.readLong());
                    }
                }
                final int target = in.readInt();
                if (target >= 0)
                {
                    n.symlinkTarget = new byte[target];
                    in.readFully(n.symlinkTarget);
                }
                inodes.put(n.ino, n);
            }
            while (in.readByte() == 1)
            {
                final long ino = in.readLong();
                final long index = in.readLong();
                final int length = in.readInt();
                final int blockCrc = in.readInt();
                if (length < 0 || length > io.dominoes.fs.FsLimits.BLOCK_SIZE)
                {
                    throw new IOException("snapshot block length " + length + " out of range");
                }
                final byte[] data = new byte[Math.max(length, 1)];
                in.readFully(data, 0, length);
                final Inode n = inodes.get(ino);
                if (null != n && state.ownsBlock(ino, index))
                {
                    final Block block = new Block(0);
                    block.data = data;
                    block.length = length;
                    block.crc = blockCrc;
                    n.blocks().put(index, block);
                }
            }
            final long expected = crc.getValue();
            final long stored = in.readLong();
            if (stored != expected)
            {
                throw new IOException("snapshot CRC mismatch in " + file);
            }
        }
        return state;
    }
}
