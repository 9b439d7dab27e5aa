package io.dominoes.net.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every TCP segment in the shared captures (DESIGN.md 8: parsers tested on traffic nobody here wrote) passes
 * checkLength and option parsing, and checksum verification agrees with an independent reference.
 * Reads classic pcap with Ethernet link type, 802.1Q/802.1ad tags skipped; pcapng files are skipped. IPv4
 * offsets are computed here because the IPv4 flyweight lives on another branch.
 */
class TcpSegmentPcapTest
{
    private static final int LINKTYPE_ETHERNET = 1;

    @Test
    void everyTcpSegmentInTheSharedCapturesParses() throws IOException
    {
        final Path dir = Paths.get(System.getProperty("dominoes.pcaps.dir", "/work/shared/pcaps"));
        if (!Files.isDirectory(dir))
        {
            System.out.println("SKIPPED everyTcpSegmentInTheSharedCapturesParses: no capture directory " + dir);
        }
        Assumptions.assumeTrue(Files.isDirectory(dir), "no capture directory " + dir);
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir))
        {
            files = list.filter(p -> p.toString().endsWith(".pcap")).sorted().collect(Collectors.toList());
        }
        int total = 0;
        for (final Path file : files)
        {
            total += checkFile(file);
        }
        assertTrue(total > 500, "TCP segments checked: " + total);
    }

    private int checkFile(final Path file) throws IOException
    {
        final ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file));
        final int magic = data.getInt(0);
        if (magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1)
        {
            data.order(ByteOrder.LITTLE_ENDIAN);
        }
        else if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D)
        {
            System.out.println(file.getFileName() + ": not classic pcap, skipped");
            return 0;
        }
        final int linkType = data.getInt(20);
        assertEquals(LINKTYPE_ETHERNET, linkType, file + " link type");
        final TcpSegment segment = new TcpSegment();
        final TcpOptionValues options = new TcpOptionValues();
        final UnsafeBuffer buffer = new UnsafeBuffer(data.array());
        int position = 24;
        int segments = 0;
        int goodChecksums = 0;
        int record = 0;
        while (position + 16 <= data.capacity())
        {
            final int capturedLength = data.getInt(position + 8);
            final int frame = position + 16;
            position = frame + capturedLength;
            record++;
            int at = frame + 12;
            int etherType = buffer.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            while (etherType == 0x8100 || etherType == 0x88A8)
            {
                at += 4;
                etherType = buffer.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            }
            if (etherType != 0x0800)
            {
                continue;
            }
            final int ip = at + 2;
            final int ihl = (buffer.getByte(ip) & 0x0F) * 4;
            final int totalLength = buffer.getShort(ip + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int fragment = buffer.getShort(ip + 6, ByteOrder.BIG_ENDIAN) & 0x3FFF;
            final int protocol = buffer.getByte(ip + 9) & 0xFF;
            if (protocol != TcpSegment.PROTOCOL_NUMBER || fragment != 0)
            {
                continue; // not TCP, or an IPv4 fragment (reassembly is the IPv4 layer's job)
            }
            final int tcpLength = Math.min(totalLength, frame + capturedLength - ip) - ihl;
            final String where = file.getFileName() + " record " + record;
            segment.wrap(buffer, ip + ihl, tcpLength);
            assertEquals(TcpSegment.OK, segment.checkLength(), where + " " + segment);
            assertEquals(TcpOptions.OK, segment.parseOptions(options), where + " " + segment);
            segments++;
            if (totalLength - ihl == tcpLength)
            {
                final byte[] copy = new byte[tcpLength];
                buffer.getBytes(ip + ihl, copy);
                final int src = buffer.getInt(ip + 12, ByteOrder.BIG_ENDIAN);
                final int dst = buffer.getInt(ip + 16, ByteOrder.BIG_ENDIAN);
                final boolean expected = TcpSegmentTest.referenceChecksum(copy, src, dst) == segment.checksum();
                assertEquals(expected, segment.verifyChecksum(src, dst), where);
                goodChecksums += expected ? 1 : 0;
            }
        }
        System.out.println(file.getFileName() + ": " + segments + " TCP segments, " + goodChecksums + " good checksums");
        return segments;
    }
}
