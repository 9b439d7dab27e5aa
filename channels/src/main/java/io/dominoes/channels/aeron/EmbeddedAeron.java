package io.dominoes.channels.aeron;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.File;
import java.util.UUID;

/**
 * One embedded {@link MediaDriver} plus the {@link Aeron} client connected to it, owned by one channel.
 * The driver lives in a fresh directory under the temp dir, deleted on start and on shutdown, and
 * deleted again (belt and braces) by {@link #close()}, so a channel leaves no driver files behind.
 */
final class EmbeddedAeron implements AutoCloseable
{
    private final File directory;
    private final MediaDriver driver;
    private final Aeron aeron;

    EmbeddedAeron(final AeronDriverSettings settings)
    {
        directory = new File(settings.baseDirectory(), "dominoes-aeron-" + UUID.randomUUID());
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(directory.getAbsolutePath())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(settings.threadingMode())
            .sharedIdleStrategy(settings.driverIdleStrategySupplier().get())
            .conductorIdleStrategy(settings.driverIdleStrategySupplier().get())
            .senderIdleStrategy(settings.driverIdleStrategySupplier().get())
            .receiverIdleStrategy(settings.driverIdleStrategySupplier().get())
            .sharedNetworkIdleStrategy(settings.driverIdleStrategySupplier().get())
            .warnIfDirectoryExists(false)
            .printConfigurationOnStart(false);

        MediaDriver launched = null;
        Aeron client = null;
        try
        {
            launched = MediaDriver.launchEmbedded(driverContext);
            client = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(launched.aeronDirectoryName())
                .idleStrategy(settings.clientIdleStrategySupplier().get()));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(client, launched);
            IoUtil.delete(directory, true);
            throw ex;
        }
        driver = launched;
        aeron = client;
    }

    Aeron aeron()
    {
        return aeron;
    }

    /**
     * @return the driver's directory (exists while open, removed by {@link #close()}).
     */
    File directory()
    {
        return directory;
    }

    /**
     * Close the client, then the driver (which deletes its directory), then make sure the
     * directory is gone.
     */
    @Override
    public void close()
    {
        CloseHelper.closeAll(aeron, driver);
        IoUtil.delete(directory, true);
    }
}
