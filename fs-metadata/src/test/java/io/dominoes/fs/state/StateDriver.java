package io.dominoes.fs.state;

import io.dominoes.fs.ops.FsOpEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Drives an {@link FsState} through encoded op records, with the time set by hand.
 */
final class StateDriver
{
    final FsState state;
    final FsOpEncoder enc = new FsOpEncoder();
    long now = 1_000_000_000L;
    int uid = 0;
    int gid = 0;
    long seq;

    StateDriver(final FsState state)
    {
        this.state = state;
    }

    StateDriver()
    {
        this(new FsState(0, 1));
    }

    StateDriver as(final int uid, final int gid)
    {
        this.uid = uid;
        this.gid = gid;
        return this;
    }

    long apply(final int length)
    {
        enc.flyweight().seq(++seq);
        return state.apply(enc.flyweight(), length);
    }

    long create(final long parent, final String name, final int mode)
    {
        return apply(enc.create(now, uid, gid, parent, name, mode));
    }

    long mkdir(final long parent, final String name, final int mode)
    {
        return apply(enc.mkdir(now, uid, gid, parent, name, mode));
    }

    long symlink(final long parent, final String name, final String target)
    {
        return apply(enc.symlink(now, uid, gid, parent, name, target));
    }

    long unlink(final long parent, final String name)
    {
        return apply(enc.unlink(now, uid, gid, parent, name));
    }

    long rmdir(final long parent, final String name)
    {
        return apply(enc.rmdir(now, uid, gid, parent, name));
    }

    long rename(final long parent, final String name, final long newParent, final String newName)
    {
        return apply(enc.rename(now, uid, gid, parent, name, newParent, newName, 0));
    }

    long link(final long target, final long newParent, final String newName)
    {
        return apply(enc.link(now, uid, gid, target, newParent, newName));
    }

    long setattr(final long ino, final int mask, final int mode, final long newUid, final long newGid,
        final long size, final long atime, final long mtime)
    {
        return apply(enc.setattr(now, uid, gid, ino, mask, mode, newUid, newGid, size, atime, mtime));
    }

    long write(final long ino, final long offset, final byte[] data)
    {
        return apply(enc.write(now, uid, gid, ino, offset, new UnsafeBuffer(data), 0, data.length));
    }

    long write(final long ino, final long offset, final String data)
    {
        return write(ino, offset, data.getBytes(StandardCharsets.UTF_8));
    }

    long open(final long ino, final int mask)
    {
        return apply(enc.open(now, uid, gid, ino, mask));
    }

    long release(final long ino)
    {
        return apply(enc.release(now, ino));
    }

    Attr attr(final long ino)
    {
        final Attr a = new Attr();
        final int r = state.getattr(ino, a);
        if (r != 0)
        {
            throw new AssertionError("getattr " + ino + " -> " + r);
        }
        return a;
    }

    long lookup(final long parent, final String name)
    {
        return state.lookup(parent, name, uid, gid, new Attr());
    }

    String read(final long ino, final long offset, final int length)
    {
        final byte[] dst = new byte[length];
        final int n = state.readBlock(ino, offset, length, dst, 0);
        if (n < 0)
        {
            throw new AssertionError("readBlock -> " + n);
        }
        return new String(dst, 0, n, StandardCharsets.UTF_8);
    }
}
