package io.dominoes.tasks.remote;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * One process's Aeron: an embedded media driver (shared-thread mode, backing off rather than spinning, small terms)
 * in its own directory, and a client connected to it.
 */
final class AeronNode implements AutoCloseable
{
    private final MediaDriver driver;
    private final Aeron aeron;

    /**
     * @param aeronDir directory for the driver, null for a fresh random one.
     */
    AeronNode(final String aeronDir)
    {
        final String dir = aeronDir != null ? aeronDir : CommonContext.generateRandomDirName();
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(1, 10, 1_000, 1_000_000))
            .publicationTermBufferLength(4 << 20)
            .ipcTermBufferLength(4 << 20)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .idleStrategy(new BackoffIdleStrategy(1, 10, 1_000, 1_000_000)));
    }

    Aeron aeron()
    {
        return aeron;
    }

    public void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }
}
