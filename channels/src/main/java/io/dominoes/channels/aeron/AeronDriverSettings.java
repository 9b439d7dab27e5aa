package io.dominoes.channels.aeron;

import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.File;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How the embedded media driver of an Aeron channel runs. The defaults suit a small shared machine:
 * one {@link ThreadingMode#SHARED} driver thread that backs off to parking when idle, so an idle
 * channel costs almost no CPU. For latency on dedicated cores pick {@link ThreadingMode#DEDICATED}
 * and a busy-spin strategy.
 */
public final class AeronDriverSettings
{
    /**
     * Backoff used by default: a few spins and yields, then park from 1 us growing to 1 ms.
     */
    public static final Supplier<IdleStrategy> DEFAULT_DRIVER_IDLE =
        () -> new BackoffIdleStrategy(10, 10, 1_000L, 1_000_000L);

    private ThreadingMode threadingMode = ThreadingMode.SHARED;
    private Supplier<IdleStrategy> driverIdleStrategySupplier = DEFAULT_DRIVER_IDLE;
    private Supplier<IdleStrategy> clientIdleStrategySupplier = () -> new SleepingMillisIdleStrategy(1);
    private File baseDirectory = new File(System.getProperty("java.io.tmpdir"));

    /**
     * @param mode driver threading mode, default {@link ThreadingMode#SHARED}.
     * @return this.
     */
    public AeronDriverSettings threadingMode(final ThreadingMode mode)
    {
        threadingMode = Objects.requireNonNull(mode, "threadingMode");
        return this;
    }

    /**
     * @return driver threading mode.
     */
    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * @param supplier of a fresh idle strategy for each driver agent.
     * @return this.
     */
    public AeronDriverSettings driverIdleStrategySupplier(final Supplier<IdleStrategy> supplier)
    {
        driverIdleStrategySupplier = Objects.requireNonNull(supplier, "driverIdleStrategySupplier");
        return this;
    }

    /**
     * @return supplier of driver idle strategies.
     */
    public Supplier<IdleStrategy> driverIdleStrategySupplier()
    {
        return driverIdleStrategySupplier;
    }

    /**
     * @param supplier of the idle strategy for the Aeron client conductor thread.
     * @return this.
     */
    public AeronDriverSettings clientIdleStrategySupplier(final Supplier<IdleStrategy> supplier)
    {
        clientIdleStrategySupplier = Objects.requireNonNull(supplier, "clientIdleStrategySupplier");
        return this;
    }

    /**
     * @return supplier of the client conductor idle strategy.
     */
    public Supplier<IdleStrategy> clientIdleStrategySupplier()
    {
        return clientIdleStrategySupplier;
    }

    /**
     * @param directory under which each driver gets its own unique directory (default: java.io.tmpdir;
     *                  /dev/shm is faster where it exists).
     * @return this.
     */
    public AeronDriverSettings baseDirectory(final File directory)
    {
        baseDirectory = Objects.requireNonNull(directory, "baseDirectory");
        return this;
    }

    /**
     * @return directory under which driver directories are created.
     */
    public File baseDirectory()
    {
        return baseDirectory;
    }
}
