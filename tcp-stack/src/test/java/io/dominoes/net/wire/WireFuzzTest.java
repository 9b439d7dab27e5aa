package io.dominoes.net.wire;

import io.dominoes.net.PcapFiles;
import io.dominoes.net.TestSeeds;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutates real frames (and the fixtures) with a printed seed and parses them: no mutation may make
 * a parser throw. Mutations aim at the length, type and option fields parsers branch on.
 */
class WireFuzzTest
{
    private static final int MUTATIONS_PER_FRAME = 24;

    @Test
    @Timeout(60)
    void shouldNeverThrowOnMutatedRealFrames() throws Exception
    {
        final List<byte[]> seeds = new ArrayList<>();
        seeds.add(WireFixtures.hex(WireFixtures.ICMP_ECHO_REQUEST_FRAME));
        seeds.add(WireFixtures.hex(WireFixtures.ARP_REQUEST_FRAME));
        seeds.add(WireFixtures.hex(WireFixtures.VLAN_TCP_FRAME));
        for (final Path capture : PcapFiles.captures())
        {
            final List<byte[]> frames = PcapFiles.readFrames(capture);
            for (int i = 0; i < frames.size(); i += Math.max(1, frames.size() / 100))
            {
                seeds.add(frames.get(i));
            }
        }

        final long seed = TestSeeds.seed("WireFuzzTest");
        final Random random = new Random(seed);
        final FrameWalker walker = new FrameWalker();
        final byte[] scratch = new byte[2048];
        final UnsafeBuffer buffer = new UnsafeBuffer(scratch);
        int mutations = 0;
        for (final byte[] original : seeds)
        {
            // The unmutated frame first: the accept paths are then reached whatever the seed does to the
            // mutations (one ICMP and one ARP fixture alone could, by chance, all be mutated into rejects).
            System.arraycopy(original, 0, scratch, 0, Math.min(original.length, scratch.length));
            walker.walk(buffer, 0, Math.min(original.length, scratch.length));
            mutations++;
            for (int m = 0; m < MUTATIONS_PER_FRAME; m++)
            {
                final int length = mutate(random, original, scratch);
                try
                {
                    walker.walk(buffer, 0, length);
                }
                catch (final RuntimeException ex)
                {
                    throw new AssertionError("seed=" + seed + " mutation " + mutations + " threw", ex);
                }
                mutations++;
            }
        }
        assertEquals(mutations, walker.frames);
        // The fuzzer must reach both the accept and the reject paths, or it tests nothing.
        assertTrue(walker.ipv4Ok > 0 && walker.icmpOk > 0 && walker.arpOk > 0, "seed=" + seed);
        assertTrue(walker.errorsByCode[-WireError.TRUNCATED] > 0, "seed=" + seed);
        assertTrue(walker.errorsByCode[-WireError.BAD_CHECKSUM] > 0, "seed=" + seed);
        assertTrue(walker.errorsByCode[-WireError.BAD_HEADER_LENGTH] > 0, "seed=" + seed);
    }

    private static int mutate(final Random random, final byte[] original, final byte[] out)
    {
        int length = Math.min(original.length, out.length);
        System.arraycopy(original, 0, out, 0, length);
        final int kind = random.nextInt(6);
        switch (kind)
        {
            case 0: // truncate anywhere
                length = random.nextInt(length + 1);
                break;
            case 1: // flip bits anywhere
                for (int i = random.nextInt(4) + 1; i > 0 && length > 0; i--)
                {
                    out[random.nextInt(length)] ^= (byte)(1 << random.nextInt(8));
                }
                break;
            case 2: // random bytes in the first 64 (all the headers we parse)
                for (int i = random.nextInt(4) + 1; i > 0 && length > 0; i--)
                {
                    out[random.nextInt(Math.min(64, length))] = (byte)random.nextInt(256);
                }
                break;
            case 3: // IHL / version byte of an untagged IPv4 packet
                if (length > 14)
                {
                    out[14] = (byte)random.nextInt(256);
                }
                break;
            case 4: // extreme IPv4 total length or ARP lengths
                if (length > 17)
                {
                    out[16] = (byte)(random.nextBoolean() ? 0xFF : 0);
                    out[17] = (byte)random.nextInt(256);
                }
                if (length > 19)
                {
                    out[18] = (byte)random.nextInt(256);
                    out[19] = (byte)random.nextInt(256);
                }
                break;
            default: // EtherType becomes VLAN, QinQ, ARP or IPv4
                if (length > 13)
                {
                    final int[] types = { 0x8100, 0x88A8, 0x0806, 0x0800, 0x0026 };
                    final int type = types[random.nextInt(types.length)];
                    out[12] = (byte)(type >>> 8);
                    out[13] = (byte)type;
                }
                break;
        }
        return length;
    }
}
