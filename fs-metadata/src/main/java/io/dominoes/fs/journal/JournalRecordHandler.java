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
}
