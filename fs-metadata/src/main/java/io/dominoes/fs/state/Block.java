package io.dominoes.fs.state;

/**
 * One data block owned by this replica: the bytes written so far ({@code length}, at most
 * {@link io.dominoes.fs.FsLimits#BLOCK_SIZE}; bytes beyond it up to the file size read as zero) and
 * the CRC32C of those bytes, computed by the owner on every change and verified on every read.
 */
final class Block
{
    byte[] data;
    int length;
    int crc;

    Block(final int capacity)
    {
        data = new byte[capacity];
    }
}
