package io.dominoes.fs.journal;

/**
 * When the journal forces appended records to stable storage before a mutation is acknowledged.
 *
 * <ul>
 *   <li>{@link #NONE} (default): a record is acknowledged once it is written into the journal's
 *       memory-mapped file. That page belongs to the kernel's page cache, so every acknowledged
 *       mutation survives {@code kill -9}, a JVM crash or an OOM kill of the service. It does NOT
 *       survive power loss or a kernel crash: records the kernel has not yet written back (by default
 *       up to about 30 s, {@code vm.dirty_expire_centisecs}) are lost, and replay recovers a prefix.</li>
 *   <li>{@link #SYNC}: after each append the mapped region is msync'ed (MS_SYNC) before the
 *       acknowledgement, so acknowledged mutations also survive power loss, provided the device
 *       honours cache flushes. Costs one synchronous disk write per mutation.</li>
 * </ul>
 */
public enum SyncPolicy
{
    NONE,
    SYNC
}
