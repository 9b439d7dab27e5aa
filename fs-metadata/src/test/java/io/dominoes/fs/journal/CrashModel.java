package io.dominoes.fs.journal;

import io.dominoes.fs.FileMode;
import io.dominoes.fs.FsLimits;
import io.dominoes.fs.ops.SetAttrMask;
import io.dominoes.fs.service.FsService;
import io.dominoes.fs.service.Request;
import io.dominoes.fs.state.Attr;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * A model of the file tree for the crash test: built from a walk of the service (so the writer and
 * the verifier start from the same model), a deterministic op generator over it (seeded; every op is
 * exactly one journal record and valid in the model), and a canonical form to compare.
 */
final class CrashModel
{
    static final class Node
    {
        byte[] content = new byte[0];
        String target;
    }

    final TreeSet<String> dirs = new TreeSet<>();
    final TreeMap<String, Node> files = new TreeMap<>();

    static CrashModel walk(final FsService fs)
    {
        final CrashModel m = new CrashModel();
        m.dirs.add("/");
        final Map<Long, Node> byIno = new HashMap<>();
        walk(fs, FsLimits.ROOT_INO, "/", m, byIno);
        return m;
    }

    private static void walk(final FsService fs, final long dir, final String path, final CrashModel m,
        final Map<Long, Node> byIno)
    {
        final List<Request.DirEntry> entries = new ArrayList<>();
        fs.readdir(0, 0, dir, entries);
        entries.sort((a, b) -> a.name.compareTo(b.name));
        for (final Request.DirEntry e : entries)
        {
            if (e.name.equals(".") || e.name.equals(".."))
            {
                continue;
            }
            final String child = path + e.name + (FileMode.isDirectory(e.mode) ? "/" : "");
            if (FileMode.isDirectory(e.mode))
            {
                m.dirs.add(child);
                walk(fs, e.ino, child, m, byIno);
            }
            else
            {
                Node node = byIno.get(e.ino);
                if (null == node)
                {
                    node = new Node();
                    if (FileMode.isSymlink(e.mode))
                    {
                        node.target = fs.readlink(e.ino);
                    }
                    else
                    {
                        final Attr attr = new Attr();
                        fs.getattr(e.ino, attr);
                        node.content = new byte[(int)attr.size];
                        final long n = fs.read(e.ino, 0, new UnsafeBuffer(node.content), 0, node.content.length);
                        if (n != attr.size)
                        {
                            throw new IllegalStateException("read " + child + " -> " + n + " of " + attr.size);
                        }
                    }
                    byIno.put(e.ino, node);
                }
                m.files.put(child, node);
            }
        }
    }

    /**
     * @return path -> description, with hard links visible as equal node ids.
     */
    Map<String, String> canonical()
    {
        final Map<String, String> out = new TreeMap<>();
        final Map<Node, Integer> ids = new HashMap<>();
        final Map<Node, Integer> links = new HashMap<>();
        for (final Node n : files.values())
        {
            links.merge(n, 1, Integer::sum);
        }
        for (final String d : dirs)
        {
            out.put(d, "D");
        }
        for (final Map.Entry<String, Node> e : files.entrySet())
        {
            final Node n = e.getValue();
            final int id = ids.computeIfAbsent(n, k -> ids.size());
            if (null != n.target)
            {
                out.put(e.getKey(), "L:" + n.target);
            }
            else
            {
                final CRC32C crc = new CRC32C();
                crc.update(n.content);
                out.put(e.getKey(), "F#" + (links.get(n) > 1 ? id : -1) + ":" + n.content.length + ":" +
                    Long.toHexString(crc.getValue()));
            }
        }
        return out;
    }

    /**
     * One generated op: applied to the service (returns its result) and to the model.
     */
    interface Op
    {
        long apply(FsService fs);

        void applyToModel(CrashModel m);

        String describe();
    }

    static Op next(final CrashModel m, final Random rnd)
    {
        final List<String> dirList = new ArrayList<>(m.dirs);
        final List<String> fileList = new ArrayList<>();
        for (final Map.Entry<String, Node> e : m.files.entrySet())
        {
            if (null == e.getValue().target)
            {
                fileList.add(e.getKey());
            }
        }
        final List<String> anyList = new ArrayList<>(m.files.keySet());
        final int kind = rnd.nextInt(100);
        final String dir = dirList.get(rnd.nextInt(dirList.size()));
        final String fresh = dir + "n" + rnd.nextInt(1_000_000);
        if (m.files.containsKey(fresh) || m.dirs.contains(fresh + "/"))
        {
            return next(m, rnd);
        }
        if (kind < 8 && dirList.size() < 40)
        {
            return new Op()
            {
                public long apply(final FsService fs)
                {
                    return fs.mkdir(0, 0, parent(fs, fresh), leaf(fresh), 0755, null);
                }

                public void applyToModel(final CrashModel mm)
                {
                    mm.dirs.add(fresh + "/");
                }

                public String describe()
                {
                    return "mkdir " + fresh;
                }
            };
        }
        if (kind < 25 || fileList.isEmpty())
        {
            return new Op()
            {
                public long apply(final FsService fs)
                {
                    return fs.create(0, 0, parent(fs, fresh), leaf(fresh), 0644, null);
                }

                public void applyToModel(final CrashModel mm)
                {
                    mm.files.put(fresh, new Node());
                }

                public String describe()
                {
                    return "create " + fresh;
                }
            };
        }
        final String file = fileList.get(rnd.nextInt(fileList.size()));
        if (kind < 65)
        {
            // One write within one block: exactly one journal record.
            final long maxOffset = Math.min(m.files.get(file).content.length + 70_000L, 400_000L);
            final long offset = (long)(rnd.nextDouble() * maxOffset);
            final int room = FsLimits.BLOCK_SIZE - (int)(offset % FsLimits.BLOCK_SIZE);
            final byte[] data = new byte[1 + rnd.nextInt(Math.min(room, 20_000))];
            rnd.nextBytes(data);
            return new Op()
            {
                public long apply(final FsService fs)
                {
                    final long r = fs.write(0, 0, fs.resolve(file, null), offset, new UnsafeBuffer(data), 0,
                        data.length);
                    return r == data.length ? 0 : (r < 0 ? r : -1000);
                }

                public void applyToModel(final CrashModel mm)
                {
                    final Node n = mm.files.get(file);
                    final int end = (int)(offset + data.length);
                    if (end > n.content.length)
                    {
                        n.content = Arrays.copyOf(n.content, end);
                    }
                    System.arraycopy(data, 0, n.content, (int)offset, data.length);
                }

                public String describe()
                {
                    return "write " + file + " @" + offset + " +" + data.length;
                }
            };
        }
        if (kind < 72)
        {
            final long size = rnd.nextInt(Math.max(1, m.files.get(file).content.length + 1000));
            return new Op()
            {
                public long apply(final FsService fs)
                {
                    return fs.setattr(0, 0, fs.resolve(file, null), SetAttrMask.SIZE, 0, 0, 0, size, 0, 0, null);
                }

                public void applyToModel(final CrashModel mm)
                {
                    final Node n = mm.files.get(file);
                    n.content = Arrays.copyOf(n.content, (int)size);
                }

                public String describe()
                {
                    return "truncate " + file + " " + size;
                }
            };
        }
        final String any = anyList.get(rnd.nextInt(anyList.size()));
        if (kind < 82)
        {
            // Rename, half the time over an existing non-directory entry.
            final String to = rnd.nextBoolean() && anyList.size() > 1 ? anyList.get(rnd.nextInt(anyList.size())) : fresh;
            return new Op()
            {
                public long apply(final FsService fs)
                {
                    return fs.rename(0, 0, parent(fs, any), leaf(any), parent(fs, to), leaf(to), 0);
                }

                public void applyToModel(final CrashModel mm)
                {
                    final Node n = mm.files.get(any);
                    final Node existing = mm.files.get(to);
                    if (existing == n)
                    {
                        return; // same file: rename does nothing
                    }
                    mm.files.remove(any);
                    mm.files.put(to, n);
                }

                public String describe()
                {
                    return "rename " + any + " -> " + to;
                }
            };
        }
        if (kind < 90)
        {
            return new Op()
            {
                public long apply(final FsService fs)
                {
                    return fs.unlink(0, 0, parent(fs, any), leaf(any));
                }

                public void applyToModel(final CrashModel mm)
                {
                    mm.files.remove(any);
                }

                public String describe()
                {
                    return "unlink " + any;
                }
            };
        }
        if (kind < 95)
        {
            return new Op()
            {
                public long apply(final FsService fs)
                {
                    final long r = fs.link(0, 0, fs.resolve(file, null), parent(fs, fresh), leaf(fresh), null);
                    return r < 0 ? r : 0;
                }

                public void applyToModel(final CrashModel mm)
                {
                    mm.files.put(fresh, mm.files.get(file));
                }

                public String describe()
                {
                    return "link " + file + " " + fresh;
                }
            };
        }
        final String target = "../t" + rnd.nextInt(1000);
        return new Op()
        {
            public long apply(final FsService fs)
            {
                final long r = fs.symlink(0, 0, parent(fs, fresh), leaf(fresh), target, null);
                return r < 0 ? r : 0;
            }

            public void applyToModel(final CrashModel mm)
            {
                final Node n = new Node();
                n.target = target;
                mm.files.put(fresh, n);
            }

            public String describe()
            {
                return "symlink " + fresh + " -> " + target;
            }
        };
    }

    static long parent(final FsService fs, final String path)
    {
        final int slash = path.lastIndexOf('/');
        return fs.resolve(path.substring(0, slash + 1), null);
    }

    static String leaf(final String path)
    {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    CrashModel copy()
    {
        final CrashModel c = new CrashModel();
        c.dirs.addAll(dirs);
        final Map<Node, Node> map = new HashMap<>();
        for (final Map.Entry<String, Node> e : files.entrySet())
        {
            c.files.put(e.getKey(), map.computeIfAbsent(e.getValue(), n ->
            {
                final Node x = new Node();
                x.content = n.content.clone();
                x.target = n.target;
                return x;
            }));
        }
        return c;
    }
}
