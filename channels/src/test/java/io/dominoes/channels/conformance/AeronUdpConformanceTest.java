package io.dominoes.channels.conformance;

import io.dominoes.channels.BroadcastChannel;
import io.dominoes.channels.aeron.AeronUdpChannel;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The conformance suite against {@link AeronUdpChannel} on loopback, all subscribers in this process
 * (each its own receiver on its own port; the cross-process case is AeronUdpChildProcessTest).
 *
 * <p>Term length 64 KiB makes the receiver window equal to the publication window (half a term), so
 * what a back-pressured publisher has accepted always fits the receivers' windows: the suite may then
 * drain one subscriber while another is idle. With a larger term the publication can hold more than
 * an idle receiver's window, and draining one subscriber alone stalls at that window, as min flow
 * control intends.
 */
class AeronUdpConformanceTest extends BroadcastChannelConformanceTest
{
    static final int TERM_LENGTH = 64 * 1024;

    private final List<File> driverDirectories = new ArrayList<>();

    protected BroadcastChannel newChannel(final int subscribers)
    {
        final AeronUdpChannel channel = AeronUdpChannel.publishing(
            new AeronUdpChannel.Context().subscriberCount(subscribers).termLength(TERM_LENGTH));
        driverDirectories.add(channel.driverDirectory());
        return channel;
    }

    protected int approximateCapacityBytes()
    {
        return TERM_LENGTH; // receiver window (half a term) plus publication window (half a term)
    }

    protected boolean subscribersProgressIndependently()
    {
        return false; // min flow control: the sender sends only what the slowest receiver admits
    }

    protected void assertResourcesReleased()
    {
        for (final File dir : driverDirectories)
        {
            assertFalse(dir.exists(), "driver directory left after close: " + dir);
            assertEquals(List.of(), ProcessResources.heldUnder(dir), "still held under " + dir);
        }
    }
}
