package io.dominoes.net.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an ICMPv4 message (RFC 792), with the echo request/reply fields.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           Identifier          |        Sequence Number        |  (echo; "rest of header")
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Data ...
 *  +-+-+-+-+-
 * </pre>
 * The length to wrap is the IPv4 payload length: RFC 792 "The checksum is the 16-bit ones's
 * complement of the one's complement sum of the ICMP message starting with the ICMP Type."
 */
public final class IcmpV4Packet
{
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;

    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * @param buffer holding the message.
     * @param offset of the type byte.
     * @param length of the whole ICMP message (IPv4 payload length).
     * @return this.
     */
    public IcmpV4Packet wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * @return {@link WireError#OK} if the 8-byte header fits, else TRUNCATED.
     */
    public int checkLength()
    {
        return length < HEADER_LENGTH ? WireError.TRUNCATED : WireError.OK;
    }

    /**
     * @return {@link WireError#OK}, TRUNCATED or BAD_CHECKSUM. Unknown types are well formed.
     */
    public int parse()
    {
        final int result = checkLength();
        if (result != WireError.OK)
        {
            return result;
        }
        return isChecksumValid() ? WireError.OK : WireError.BAD_CHECKSUM;
    }

    public boolean isChecksumValid()
    {
        return Checksums.onesComplementSum(buffer, offset, length, 0) == 0xFFFF;
    }

    public int length()
    {
        return length;
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public int code()
    {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Echo request/reply only.
     */
    public int identifier()
    {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Echo request/reply only.
     */
    public int sequenceNumber()
    {
        return buffer.getShort(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int dataOffset()
    {
        return offset + HEADER_LENGTH;
    }

    public int dataLength()
    {
        return length - HEADER_LENGTH;
    }

    /**
     * Write an echo header in front of {@code dataLength} bytes already at {@code offset + 8} and
     * checksum the whole message.
     *
     * @return {@link #HEADER_LENGTH} + dataLength, the message length.
     */
    public static int emitEcho(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final int identifier,
        final int sequenceNumber,
        final int dataLength)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putByte(offset + CODE_OFFSET, (byte)0);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0);
        buffer.putShort(offset + IDENTIFIER_OFFSET, (short)identifier, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + SEQUENCE_OFFSET, (short)sequenceNumber, ByteOrder.BIG_ENDIAN);
        final int length = HEADER_LENGTH + dataLength;
        final int checksum = Checksums.finish(Checksums.onesComplementSum(buffer, offset, length, 0));
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return length;
    }

    /**
     * Turn a verified echo request into an echo reply in place: RFC 792 "To form an echo reply
     * message, the source and destination addresses are simply reversed, the type code changed to 0,
     * and the checksum recomputed." The checksum is updated with RFC 1624 eqn. 3 over the changed
     * type/code word, so the data is not summed again.
     *
     * @param buffer holding a request whose checksum verified.
     * @param offset of the type byte.
     */
    public static void echoRequestToReplyInPlace(final MutableDirectBuffer buffer, final int offset)
    {
        final int oldWord = buffer.getShort(offset + TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int newWord = (TYPE_ECHO_REPLY << 8) | (oldWord & 0xFF);
        final int oldChecksum = buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(offset + TYPE_OFFSET, (short)newWord, ByteOrder.BIG_ENDIAN);
        buffer.putShort(
            offset + CHECKSUM_OFFSET, (short)Checksums.incrementalUpdate(oldChecksum, oldWord, newWord), ByteOrder.BIG_ENDIAN);
    }
}
