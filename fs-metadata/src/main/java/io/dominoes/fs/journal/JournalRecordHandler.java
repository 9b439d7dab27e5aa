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
     * A document that is not a whole record this service wrote: a length no record has, or a CRC32C
     * that does not match (a torn or overwritten write). Default: ignored; recovery overrides it.
     *
     * @param index  its journal index.
     * @param reason what is wrong, for the report.
     */
    default void onDamaged(final long index, final String reason)
    {
    }
}
