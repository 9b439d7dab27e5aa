package io.dominoes.fs.state;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class DirectoryEntriesTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);

    private int put(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
        buffer.putBytes(100, bytes);
        return bytes.length;
    }

    private long get(final DirectoryEntries entries, final String name)
    {
        final int length = put(name);
        final long viaBytes = entries.get(buffer, 100, length);
        assertEquals(viaBytes, entries.get(name), () -> "byte and String lookups of '" + name + "' disagree");
        return viaBytes;
    }

    private static List<String> iterate(final DirectoryEntries entries)
    {
        final List<String> out = new ArrayList<>();
        for (int slot = 0; slot < entries.capacity(); slot++)
        {
            if (null != entries.nameAt(slot))
            {
                out.add(new String(entries.nameAt(slot), StandardCharsets.ISO_8859_1) + "=" + entries.inoAt(slot));
            }
        }
        return out;
    }

    @Test
    void matchesAHashMapUnderRandomPutsAndRemovesWithCollidingNames()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final DirectoryEntries entries = new DirectoryEntries();
        final DirectoryEntries twin = new DirectoryEntries();
        final Map<String, Long> model = new HashMap<>();
        // "Aa" and "BB" share a String hash, so names built from them collide in full and probe runs form.
        final String[] pieces = {"Aa", "BB", "x", "\u00ff", "p"};
        for (int step = 0; step < 20_000; step++)
        {
            final StringBuilder sb = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++)
            {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            final String name = sb.toString();
            final int length = put(name);
            if (random.nextInt(3) == 0)
            {
                final Long expected = model.remove(name);
                assertEquals(null == expected ? Inode.NO_ENTRY : expected, entries.remove(buffer, 100, length),
                    "seed " + seed);
                twin.remove(buffer, 100, length);
            }
            else
            {
                final long ino = 1 + random.nextInt(1_000_000);
                model.put(name, ino);
                entries.put(buffer, 100, length, ino);
                twin.put(buffer, 100, length, ino);
            }
            assertEquals(model.size(), entries.size(), "seed " + seed);
        }
        for (final Map.Entry<String, Long> e : model.entrySet())
        {
            assertEquals(e.getValue().longValue(), get(entries, e.getKey()), "seed " + seed);
        }
        assertEquals(Inode.NO_ENTRY, get(entries, "absent"));
        final List<String> listed = iterate(entries);
        assertEquals(model.size(), listed.size());
        for (final String s : listed)
        {
            final int eq = s.lastIndexOf('=');
            assertEquals(model.get(s.substring(0, eq)), Long.valueOf(s.substring(eq + 1)), "seed " + seed);
        }
        assertEquals(listed, iterate(twin), "the same puts and removes must give the same iteration order");
    }

    @Test
    void hashIsTheStringHashOfTheIsoName()
    {
        final DirectoryEntries entries = new DirectoryEntries();
        final String name = "caf\u00e9-\u00ff";
        final int length = put(name);
        entries.put(buffer, 100, length, 7);
        for (int slot = 0; slot < entries.capacity(); slot++)
        {
            if (null != entries.nameAt(slot))
            {
                assertEquals(name.hashCode(), entries.hashAt(slot));
            }
        }
    }

    @Test
    void restorePutReplacesAnExistingName()
    {
        final DirectoryEntries entries = new DirectoryEntries();
        entries.put("a".getBytes(StandardCharsets.ISO_8859_1), 3);
        entries.put("a".getBytes(StandardCharsets.ISO_8859_1), 4);
        assertEquals(1, entries.size());
        assertEquals(4, get(entries, "a"));
    }
}
