package io.dominoes.fs.service;

import io.dominoes.fs.journal.Journal;
import io.dominoes.fs.journal.JournalRecordHandler;
import io.dominoes.fs.ops.FsOpFlyweight;
import io.dominoes.fs.state.FsSnapshot;
import org.agrona.DirectBuffer;

import java.nio.file.Path;

/**
 * Recovery: read the journal records after the snapshot, check each one, and hand the good ones, in
 * order, to the replicas.
 *
 * <p>A record is good if its CRC32C matches ({@link Journal}), it passes
 * {@link FsOpFlyweight#validate(int)}, and its sequence number is the
 * previous one plus one (records the snapshot already holds are passed over). The first record that is
 * not good ends the replay:
 * <ul>
 *   <li>if nothing after it is a good-looking record (structurally valid, sequence beyond the last
 *       replayed), it is a <b>damaged tail</b> (a torn write, a truncated or overwritten end): the file
 *       system is recovered up to the last whole record and the {@link Report} says what was dropped,
 *       where, and why;</li>
 *   <li>otherwise the damage is <b>in the middle</b>: skipping it would silently lose an acknowledged
 *       mutation and apply later ones to the wrong state, so recovery stops with a
 *       {@link JournalCorruptException} naming the index and the reason.</li>
 * </ul>
 */
public final class JournalReplay
{
    /**
     * Receives each good record, in journal order.
     */
    @FunctionalInterface
    interface RecordSink
    {
        void onRecord(DirectBuffer buffer, int offset, int length);
    }

    /**
     * What recovery did.
     */
    public static final class Report
    {
        /** Last sequence number contained in the snapshot recovery started from (0 if none). */
        public long snapshotSeq;
        /** Records replayed after the snapshot. */
        public long replayed;
        /** Last sequence number recovered. */
        public long lastSeq;
        /** Journal index of the last record recovered (the snapshot's if none replayed). */
        public long lastIndex;
        /** True if a damaged journal tail was dropped. */
        public boolean damaged;
        /** Journal index of the first damaged document. */
        public long damageIndex = -1;
        /** Why it was judged damaged. */
        public String damage;
        /** Documents dropped from the damaged one to the end (the damaged one included). */
        public long droppedDocuments;
        /** Where the damaged journal was moved (kept, never replayed again). */
        public Path quarantinedAs;

        @Override
        public String toString()
        {
            final StringBuilder sb = new StringBuilder("recovered seq ").append(lastSeq).append(" (snapshot seq ")
                .append(snapshotSeq).append(" + ").append(replayed).append(" replayed)");
            if (damaged)
            {
                sb.append("; DAMAGED JOURNAL TAIL at index 0x").append(Long.toHexString(damageIndex)).append(": ")
                    .append(damage).append("; dropped ").append(droppedDocuments)
                    .append(" document(s) from there to the end");
                if (null != quarantinedAs)
                {
                    sb.append("; damaged journal moved to ").append(quarantinedAs);
                }
            }
            return sb.toString();
        }
    }

    /**
     * A journal damaged before its end: recovery refuses to skip the damage.
     */
    public static final class JournalCorruptException extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        /** Journal index of the damaged document. */
        public final long index;

        JournalCorruptException(final String message, final long index)
        {
            super(message);
            this.index = index;
        }
    }

    private JournalReplay()
    {
    }

    static Report replay(
        final Journal journal, final FsSnapshot.Header header, final boolean haveSnapshot, final RecordSink sink)
    {
        final Report report = new Report();
        report.snapshotSeq = header.lastSeq;
        report.lastSeq = header.lastSeq;
        report.lastIndex = haveSnapshot ? header.journalIndex : -1;
        final Scan scan = new Scan(report, sink);
        Journal.Reader reader = journal.newReader();
        try
        {
            if (haveSnapshot && header.lastSeq > 0 && !reader.moveAfter(header.journalIndex))
            {
                // The snapshot's index is not in this journal (a new journal after a quarantine): scan it all,
                // passing over records the snapshot already holds.
                reader.close();
                reader = journal.newReader();
            }
            while (reader.poll(scan, 64) > 0)
            {
                // drain
            }
        }
        finally
        {
            reader.close();
        }
        if (scan.damageIndex >= 0)
        {
            if (scan.wholeRecordsAfterDamage > 0)
            {
                throw new JournalCorruptException("journal document at index 0x" + Long.toHexString(scan.damageIndex) +
                    " is damaged (" + scan.damage + ") but " + scan.wholeRecordsAfterDamage +
                    " whole record(s) follow it, the first at index 0x" + Long.toHexString(scan.firstWholeAfterDamage) +
                    ": damage in the middle of the journal, not a torn tail; refusing to skip acknowledged " +
                    "mutations (last good seq " + report.lastSeq + ")", scan.damageIndex);
            }
            report.damaged = true;
            report.damageIndex = scan.damageIndex;
            report.damage = scan.damage;
            report.droppedDocuments = scan.documentsFromDamage;
        }
        return report;
    }

    private static final class Scan implements JournalRecordHandler
    {
        private final Report report;
        private final RecordSink sink;
        private final FsOpFlyweight op = new FsOpFlyweight();
        long damageIndex = -1;
        String damage;
        long documentsFromDamage;
        long wholeRecordsAfterDamage;
        long firstWholeAfterDamage = -1;

        Scan(final Report report, final RecordSink sink)
        {
            this.report = report;
            this.sink = sink;
        }

        @Override
        public void onRecord(final DirectBuffer buffer, final int offset, final int length, final long index)
        {
            op.wrap(buffer, offset, length);
            final int valid = op.validate(length);
            if (damageIndex >= 0)
            {
                documentsFromDamage++;
                if (valid == FsOpFlyweight.VALID && op.seq() > report.lastSeq)
                {
                    if (0 == wholeRecordsAfterDamage++)
                    {
                        firstWholeAfterDamage = index;
                    }
                }
                return;
            }
            if (valid != FsOpFlyweight.VALID)
            {
                damaged(index, "record of " + length + " bytes fails validation (code " + valid + ")");
                return;
            }
            final long seq = op.seq();
            if (seq <= report.lastSeq && report.replayed == 0)
            {
                return; // held by the snapshot (full scan of a journal that starts before it)
            }
            if (seq != report.lastSeq + 1)
            {
                damaged(index, "sequence " + seq + " where " + (report.lastSeq + 1) + " was expected");
                return;
            }
            sink.onRecord(buffer, offset, length);
            report.replayed++;
            report.lastSeq = seq;
            report.lastIndex = index;
        }

        @Override
        public void onDamaged(final long index, final String reason)
        {
            if (damageIndex >= 0)
            {
                documentsFromDamage++;
                return;
            }
            damaged(index, reason);
        }

        private void damaged(final long index, final String why)
        {
            damageIndex = index;
            damage = why;
            documentsFromDamage = 1;
        }
    }
}
