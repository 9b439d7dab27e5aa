package io.dominoes.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A tiny reader of the shared test captures, classic pcap (either byte order, micro or nano
 * seconds) and pcapng (Enhanced and Simple Packet Blocks), so wire tests need no native libpcap.
 * Only Ethernet (link type 1) captures are read; that is what /work/shared/pcaps holds.
 */
public final class PcapFiles
{
    private static final int LINKTYPE_ETHERNET = 1;

    private PcapFiles()
    {
    }

    /**
     * @return the directory with the shared captures ({@code shared/pcaps} beside the repository,
     * or {@code /work/shared/pcaps}); null if neither exists.
     */
    public static Path capturesDirectory()
    {
        final String root = System.getProperty("dominoes.repo.root", ".");
        final Path[] candidates =
        {
            Path.of(root, "shared", "pcaps"),
            Path.of(root).toAbsolutePath().getParent() == null ? Path.of("/nonexistent") :
                Path.of(root).toAbsolutePath().getParent().resolveSibling("shared").resolve("pcaps"),
            Path.of("/work/shared/pcaps"),
        };
        for (final Path candidate : candidates)
        {
            if (Files.isDirectory(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /**
     * @return every .pcap / .pcapng file in {@link #capturesDirectory()}, sorted; empty if none.
     */
    public static List<Path> captures() throws IOException
    {
        final Path dir = capturesDirectory();
        if (null == dir)
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files
                .filter((p) -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                .sorted()
                .toList();
        }
    }

    /**
     * @param file a pcap or pcapng capture of Ethernet frames.
     * @return the captured bytes of every frame, in file order.
     * @throws IOException if the file is not a capture this reader understands.
     */
    public static List<byte[]> readFrames(final Path file) throws IOException
    {
        final ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < 4)
        {
            throw new IOException("too short for a capture: " + file);
        }
        final int magic = in.order(ByteOrder.BIG_ENDIAN).getInt(0);
        return magic == 0x0A0D0D0A ? readPcapng(in, file) : readPcap(in, magic, file);
    }

    private static List<byte[]> readPcap(final ByteBuffer in, final int magic, final Path file) throws IOException
    {
        if (magic == 0xA1B2C3D4 || magic == 0xA1B23C4D)
        {
            in.order(ByteOrder.BIG_ENDIAN);
        }
        else if (magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1)
        {
            in.order(ByteOrder.LITTLE_ENDIAN);
        }
        else
        {
            throw new IOException("not a pcap file, magic=" + Integer.toHexString(magic) + ": " + file);
        }
        final int linkType = in.getInt(20);
        if (linkType != LINKTYPE_ETHERNET)
        {
            throw new IOException("link type " + linkType + " is not Ethernet: " + file);
        }
        final List<byte[]> frames = new ArrayList<>();
        int position = 24;
        while (position + 16 <= in.limit())
        {
            final int capturedLength = in.getInt(position + 8);
            position += 16;
            if (capturedLength < 0 || position + capturedLength > in.limit())
            {
                throw new IOException("record runs past the end at " + position + ": " + file);
            }
            final byte[] frame = new byte[capturedLength];
            in.get(position, frame);
            frames.add(frame);
            position += capturedLength;
        }
        return frames;
    }

    private static List<byte[]> readPcapng(final ByteBuffer in, final Path file) throws IOException
    {
        final List<byte[]> frames = new ArrayList<>();
        ByteOrder sectionOrder = ByteOrder.LITTLE_ENDIAN;
        int position = 0;
        while (position + 12 <= in.limit())
        {
            if (in.order(ByteOrder.BIG_ENDIAN).getInt(position) == 0x0A0D0D0A)
            {
                // Section Header Block: its byte-order magic decides the order of the whole section.
                final boolean bigEndian = in.getInt(position + 8) == 0x1A2B3C4D;
                sectionOrder = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            }
            in.order(sectionOrder);
            final int type = in.getInt(position);
            final int blockLength = in.getInt(position + 4);
            if (blockLength < 12 || position + blockLength > in.limit())
            {
                throw new IOException("pcapng block length " + blockLength + " at " + position + ": " + file);
            }
            if (type == 1 && (in.getShort(position + 8) & 0xFFFF) != LINKTYPE_ETHERNET)
            {
                throw new IOException("pcapng interface is not Ethernet: " + file);
            }
            if (type == 6)
            {
                final int capturedLength = in.getInt(position + 20);
                final byte[] frame = new byte[capturedLength];
                in.get(position + 28, frame);
                frames.add(frame);
            }
            else if (type == 3)
            {
                final int originalLength = in.getInt(position + 8);
                final byte[] frame = new byte[Math.min(originalLength, blockLength - 16)];
                in.get(position + 12, frame);
                frames.add(frame);
            }
            position += blockLength;
        }
        return frames;
    }
}
