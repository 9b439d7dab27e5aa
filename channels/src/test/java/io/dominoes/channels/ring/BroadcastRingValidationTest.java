package io.dominoes.channels.ring;

import io.dominoes.channels.BufferClaim;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configuration and API misuse fail fast with a message naming the value and the limit.
 */
class BroadcastRingValidationTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, -1024, 512, 1023})
    void capacityBelowTheMinimumIsRejectedNamingValueAndLimit(final int capacity)
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> BroadcastRing.builder().capacity(capacity).build());
        assertMentions(ex, String.valueOf(capacity), String.valueOf(RingDescriptor.MIN_CAPACITY));
    }

    @ParameterizedTest
    @ValueSource(ints = {1025, 3000, 65535, (1 << 20) + 8})
    void capacityThatIsNotAPowerOfTwoIsRejectedNamingTheValue(final int capacity)
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> BroadcastRing.builder().capacity(capacity).build());
        assertMentions(ex, String.valueOf(capacity), "power of two");
    }

    @Test
    void capacityAboveTheMaximumIsRejected()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> BroadcastRing.builder().capacity(Integer.MAX_VALUE).build());
        assertMentions(ex, String.valueOf(Integer.MAX_VALUE), String.valueOf(RingDescriptor.MAX_CAPACITY));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, RingDescriptor.MAX_SUBSCRIBERS + 1})
    void subscriberCountOutOfRangeIsRejectedNamingValueAndLimit(final int subscribers)
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> BroadcastRing.builder().subscribers(subscribers).build());
        assertMentions(ex, String.valueOf(subscribers), String.valueOf(RingDescriptor.MAX_SUBSCRIBERS));
    }

    @Test
    void maxMessageLengthIsAnEighthOfTheRingLessTheHeader()
    {
        try (BroadcastRing ring = BroadcastRing.builder().capacity(1024).build())
        {
            assertEquals(1024 / 8 - RecordDescriptor.HEADER_LENGTH, ring.maxMessageLength());
        }
    }

    @Test
    void pollLimitMustBePositive()
    {
        try (BroadcastRing ring = BroadcastRing.builder().build())
        {
            final IllegalArgumentException ex = assertThrows(
                IllegalArgumentException.class, () -> ring.subscriber(0).poll((t, b, o, l) -> {}, 0));
            assertMentions(ex, "0", "greater than 0");
        }
    }

    @Test
    void singlePublisherRefusesASecondClaimWhileOneIsOpen()
    {
        try (BroadcastRing ring = BroadcastRing.builder().build())
        {
            final BufferClaim claim = new BufferClaim();
            assertTrue(ring.publisher().tryClaim(1, 8, claim) > 0);
            final IllegalStateException ex = assertThrows(
                IllegalStateException.class, () -> ring.publisher().offer(2, new UnsafeBuffer(new byte[8]), 0, 8));
            assertMentions(ex, "claim is still open", "commit or abort");
            claim.commit();
            assertTrue(ring.publisher().offer(2, new UnsafeBuffer(new byte[8]), 0, 8) > 0);
            assertEquals(2, ring.subscriber(0).poll((t, b, o, l) -> {}, 10));
        }
    }

    @Test
    void commitWithoutAnOpenClaimIsRejected()
    {
        final BufferClaim claim = new BufferClaim();
        assertThrows(IllegalStateException.class, claim::commit);
        assertThrows(IllegalStateException.class, claim::abort);
    }

    @Test
    void attachingToAFileThatIsNotARingFailsNamingTheFile() throws IOException
    {
        final Path file = dir.resolve("not-a-ring.dat");
        Files.write(file, new byte[4096]);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> BroadcastRing.attach(file));
        assertMentions(ex, file.toString(), "not an initialised ring");
    }

    @Test
    void attachingToATruncatedFileFails() throws IOException
    {
        final Path file = dir.resolve("ring.dat");
        try (BroadcastRing ring = BroadcastRing.builder().capacity(4096).subscribers(2)
            .mappedFile(file).deleteFileOnClose(false).build())
        {
            assertEquals(4096, ring.capacity());
        }
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] longer = new byte[bytes.length + 1024];
        System.arraycopy(bytes, 0, longer, 1024, bytes.length); // metadata still at the end, length wrong
        Files.write(file, longer);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> BroadcastRing.attach(file));
        assertMentions(ex, String.valueOf(longer.length), String.valueOf(bytes.length));
    }

    @Test
    void attachedRingSharesRecordsAndCursorsAndDoesNotDeleteTheFile()
    {
        final Path file = dir.resolve("shared.dat");
        try (BroadcastRing creator = BroadcastRing.builder().capacity(4096).subscribers(2).mappedFile(file).build())
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
            payload.putLong(0, 0xCAFEL);
            assertTrue(creator.publisher().offer(77, payload, 0, 16) > 0);
            try (BroadcastRing attached = BroadcastRing.attach(file))
            {
                assertEquals(4096, attached.capacity());
                assertEquals(2, attached.subscriberCount());
                final long[] seen = new long[2];
                assertEquals(1, attached.subscriber(1).poll((type, buffer, offset, length) ->
                {
                    seen[0] = type;
                    seen[1] = buffer.getLong(offset);
                }, 10));
                assertEquals(77, seen[0]);
                assertEquals(0xCAFEL, seen[1]);
            }
            assertTrue(Files.exists(file), "an attached ring must not delete the creator's file");
            // The cursor lives in the file: a later attach as subscriber 1 resumes after the message,
            // while subscriber 0 (never polled) still has it.
            try (BroadcastRing again = BroadcastRing.attach(file))
            {
                assertEquals(0, again.subscriber(1).poll((t, b, o, l) -> {}, 10));
                assertEquals(1, again.subscriber(0).poll((t, b, o, l) -> {}, 10));
            }
        }
        assertTrue(Files.notExists(file), "the creator deletes its file on close by default");
    }

    private static void assertMentions(final RuntimeException ex, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(String.valueOf(ex.getMessage()).contains(part),
                "message should mention '" + part + "': " + ex.getMessage());
        }
    }
}
