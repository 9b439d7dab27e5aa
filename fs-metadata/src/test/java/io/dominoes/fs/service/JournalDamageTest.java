package io.dominoes.fs.service;

import io.dominoes.fs.Errno;
import io.dominoes.fs.state.Attr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.dominoes.fs.FsLimits.ROOT_INO;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Recovery from a damaged journal: the test damages the journal's tail file itself (overwrites the last
 * record, truncates inside it, writes garbage after it, overwrites a record in the middle) and reopens.
 * A damaged tail is dropped and reported, everything before it recovered; damage in the middle stops
 * recovery with the index, never skipped silently.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalDamageTest
{
    private static final int FILES = 30;

    @TempDir
    Path dir;

    private FsService open()
    {
        return FsService.open(new FsService.Context().directory(dir).replicas(2).snapshotEveryOps(0)
            .snapshotOnClose(false).digestEvery(4));
    }

    /** Creates f0..f29 with the marker names at positions 5 (middle) and 29 (last op). */
    private void populate()
    {
        try (FsService fs = open())
        {
            final Attr attr = new Attr();
            for (int i = 0; i < FILES; i++)
            {
                assertTrue(fs.create(0, 0, ROOT_INO, name(i), 0644, attr) > 0);
            }
        }
    }

    private static String name(final int i)
    {
        return i == 5 ? "MIDDLE-MARKER-ENTRY" : i == FILES - 1 ? "TAIL-MARKER-ENTRY" : "f" + i;
    }

    private Path tailFile() throws IOException
    {
        try (Stream<Path> files = Files.list(dir.resolve("journal")))
        {
            final List<Path> cq4 = files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
            assertFalse(cq4.isEmpty(), "no journal file");
            return cq4.get(cq4.size() - 1);
        }
    }

    private static long offsetOf(final Path file, final String marker) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        long found = -1;
        for (int i = 0; i + m.length <= bytes.length; i++)
        {
            int j = 0;
            while (j < m.length && bytes[i + j] == m[j])
            {
                j++;
            }
            if (j == m.length)
            {
                assertEquals(-1, found, "marker " + marker + " found twice");
                found = i;
            }
        }
        assertTrue(found >= 0, "marker " + marker + " not in " + file);
        return found;
    }

    private static void overwrite(final Path file, final long at, final byte[] bytes) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(at);
            raf.write(bytes);
        }
    }

    private void assertRecoveredUpToTail(final FsService fs)
    {
        final Attr attr = new Attr();
        for (int i = 0; i < FILES - 1; i++)
        {
            assertTrue(fs.lookup(0, 0, ROOT_INO, name(i), attr) > 0, name(i) + " lost");
        }
        assertEquals(-Errno.ENOENT, fs.lookup(0, 0, ROOT_INO, name(FILES - 1), attr));
        assertEquals(List.of(), fs.check());
    }

    /** After a tail was dropped, the file system works and a second restart finds a clean journal. */
    private void assertUsableAndCleanAfterwards() throws IOException
    {
        final Attr attr = new Attr();
        try (FsService fs = open())
        {
            assertFalse(fs.recoveryReport().damaged, fs.recoveryReport().toString());
            assertRecoveredUpToTail(fs);
            assertTrue(fs.create(0, 0, ROOT_INO, "after", 0644, attr) > 0);
        }
        try (FsService fs = open())
        {
            assertFalse(fs.recoveryReport().damaged, fs.recoveryReport().toString());
            assertTrue(fs.lookup(0, 0, ROOT_INO, "after", attr) > 0);
        }
        try (Stream<Path> entries = Files.list(dir))
        {
            assertTrue(entries.anyMatch(p -> p.getFileName().toString().startsWith("journal.damaged")),
                "damaged journal kept aside");
        }
    }

    @Test
    void overwrittenLastRecordIsDroppedAndReported() throws IOException
    {
        populate();
        final Path file = tailFile();
        overwrite(file, offsetOf(file, "TAIL-MARKER"), "XXXX".getBytes(StandardCharsets.US_ASCII));
        try (FsService fs = open())
        {
            final JournalReplay.Report report = fs.recoveryReport();
            assertTrue(report.damaged, report.toString());
            assertTrue(report.damage.contains("CRC32C"), report.toString());
            assertEquals(1, report.droppedDocuments, report.toString());
            assertTrue(report.toString().contains("DAMAGED JOURNAL TAIL"), report.toString());
            assertRecoveredUpToTail(fs);
        }
        assertUsableAndCleanAfterwards();
    }

    @Test
    void journalTruncatedInsideTheLastRecordRecoversUpToTheLastWholeOne() throws IOException
    {
        populate();
        final Path file = tailFile();
        final long cut = offsetOf(file, "TAIL-MARKER") + 4;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(cut);
        }
        try (FsService fs = open())
        {
            final JournalReplay.Report report = fs.recoveryReport();
            assertTrue(report.damaged, report.toString());
            assertRecoveredUpToTail(fs);
        }
        assertUsableAndCleanAfterwards();
    }

    @Test
    void garbageAfterTheLastRecordIsNotReplayed() throws IOException
    {
        garbageAfterLastRecord(16);
    }

    @Test
    void garbageWhereTheNextDocumentWouldStartIsNotReplayed() throws IOException
    {
        // The last record ends with its name, then its 4-byte CRC; the next document header is 4-aligned.
        garbageAfterLastRecord(4);
    }

    private void garbageAfterLastRecord(final int gap) throws IOException
    {
        populate();
        final Path file = tailFile();
        final long end = offsetOf(file, "TAIL-MARKER") + "TAIL-MARKER-ENTRY".length();
        final byte[] garbage = new byte[512];
        new Random(7).nextBytes(garbage);
        overwrite(file, (end + gap + 3) & ~3L, garbage);
        try (FsService fs = open())
        {
            final Attr attr = new Attr();
            for (int i = 0; i < FILES; i++)
            {
                assertTrue(fs.lookup(0, 0, ROOT_INO, name(i), attr) > 0, name(i) + " lost");
            }
            assertEquals(FILES + 1, countInodes(fs), "garbage must not create anything");
            assertEquals(List.of(), fs.check());
            System.out.println("garbage tail: " + fs.recoveryReport());
        }
    }

    @Test
    void damageInTheMiddleStopsRecoveryNamingTheIndex() throws IOException
    {
        populate();
        final Path file = tailFile();
        overwrite(file, offsetOf(file, "MIDDLE-MARKER"), "XXXX".getBytes(StandardCharsets.US_ASCII));
        final JournalReplay.JournalCorruptException ex =
            assertThrows(JournalReplay.JournalCorruptException.class, this::open);
        assertTrue(ex.getMessage().contains("in the middle"), ex.getMessage());
        assertTrue(ex.getMessage().contains(Long.toHexString(ex.index)), ex.getMessage());
        assertTrue(ex.getMessage().contains("CRC32C"), ex.getMessage());
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(
            t -> t.getName().startsWith("fs-replica-") && t.isAlive()), "replica threads left running");
    }

    private static long countInodes(final FsService fs)
    {
        final long[] out = new long[2];
        fs.statfs(out);
        return out[0];
    }
}
