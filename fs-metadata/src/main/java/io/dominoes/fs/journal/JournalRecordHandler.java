package io.dominoes.fs.journal;

import org.agrona.DirectBuffer;

/**
 * Receives journal records in order.
 */
@FunctionalInterface
public interface JournalRecordHandler
{
    /**
     * @param buffer holding the record; valid only during the call.
     * @param offset of the record.
     * @param length of the record.
     * @param index  journal index of the record (monotonic, used to resume after a snapshot).
     */
    void onRecord(DirectBuffer buffer, int offset, int length, long index);

    /**
     * A document longer than any record this service writes (damage or a foreign writer). Default:
     * ignored; recovery overrides it to treat the document as damage.
     *
     * @param length of the document.
     * @param index  its journal index.
     */
    default void onOversize(final long length, final long index)
    {
    }
}
