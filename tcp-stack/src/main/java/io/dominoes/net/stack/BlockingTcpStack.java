package io.dominoes.net.stack;

import io.dominoes.os.tap.TapDevice;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A blocking facade for tools and tests: one thread runs the {@link NetworkStack}'s event loop on the
 * real clock, and other threads connect, accept, read, write and close through blocking calls.
 * <p>
 * Threading: the stack is single threaded, so every touch of it (the loop's poll and each application
 * call) happens while holding one lock. The lock's unlock/lock pairs give the happens-before edges
 * that publish socket state between the loop thread and application threads, so no field needs to be
 * volatile. The loop signals a condition after every poll; blocked callers re-check their predicate
 * then. The loop waits for frames outside the lock, at most 1 ms at a time, so an application write
 * goes out within about a millisecond even if no frame arrives.
 */
public final class BlockingTcpStack implements AutoCloseable
{
    /**
     * Blocks until the device may have a frame or the timeout passes (poll(2) on a TAP).
     */
    @FunctionalInterface
    public interface Waiter
    {
        void await(long timeoutNs);
    }

    /**
     * Extra work for the loop thread, run under the loop's lock after each {@link NetworkStack#poll} (for example
     * draining the output of replicated connections onto the interface). Called on the loop thread only.
     */
    public interface LoopHook
    {
        /**
         * @return work done; 0 when idle.
         */
        int poll(long nowNs);

        /**
         * @return when {@link #poll} next has work: at or before {@code nowNs} means keep polling (the loop then
         * parks briefly instead of waiting on the device), Long.MAX_VALUE means only a frame makes work.
         */
        long pollAtNs(long nowNs);
    }

    private static final LoopHook NO_HOOK = new LoopHook()
    {
        public int poll(final long nowNs)
        {
            return 0;
        }

        public long pollAtNs(final long nowNs)
        {
            return Long.MAX_VALUE;
        }
    };

    private static final long MAX_WAIT_NS = 1_000_000L;

    private final NetworkStack stack;
    private final Waiter waiter;
    private final LoopHook hook;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private volatile boolean running = true; // written by close(), read by the loop: volatile is enough
    private RuntimeException failure;

    /**
     * Starts the loop thread.
     *
     * @param stack  to run; closed by {@link #close()}.
     * @param waiter how the loop idles.
     * @param name   of the loop thread.
     */
    public BlockingTcpStack(final NetworkStack stack, final Waiter waiter, final String name)
    {
        this(stack, waiter, name, NO_HOOK);
    }

    /**
     * Starts the loop thread with extra per-iteration work.
     *
     * @param stack  to run; closed by {@link #close()}.
     * @param waiter how the loop idles.
     * @param name   of the loop thread.
     * @param hook   polled after the stack on every iteration, under the lock.
     */
    public BlockingTcpStack(final NetworkStack stack, final Waiter waiter, final String name, final LoopHook hook)
    {
        this.stack = stack;
        this.waiter = waiter;
        this.hook = hook;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * @return a waiter polling the TAP's descriptor.
     */
    public static Waiter tapWaiter(final TapDevice tap)
    {
        return (timeoutNs) -> tap.awaitReadable((int)Math.max(0, (timeoutNs + 999_999) / 1_000_000));
    }

    private void loop()
    {
        try
        {
            while (running)
            {
                final long nowNs = System.nanoTime();
                final int work;
                final long nextNs;
                lock.lock();
                try
                {
                    work = stack.poll(nowNs) + hook.poll(nowNs);
                    nextNs = Math.min(stack.pollAtNs(nowNs), hook.pollAtNs(nowNs));
                    changed.signalAll();
                }
                finally
                {
                    lock.unlock();
                }
                if (0 == work)
                {
                    final long waitNs = Math.min(MAX_WAIT_NS, nextNs - nowNs);
                    if (waitNs > 0)
                    {
                        waiter.await(waitNs);
                    }
                    else
                    {
                        LockSupport.parkNanos(20_000L); // due now but nothing sent (e.g. device busy): back off
                    }
                }
            }
        }
        catch (final RuntimeException ex)
        {
            lock.lock();
            try
            {
                failure = ex;
                running = false;
                changed.signalAll();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * Run {@code action} on the stack under the lock (for statistics or non-blocking calls).
     */
    public <T> T call(final Supplier<T> action)
    {
        lock.lock();
        try
        {
            checkRunning();
            return action.get();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Wait under the lock until {@code ready} returns non-null or the deadline passes.
     *
     * @return the value, or null on timeout.
     */
    <T> T await(final Supplier<T> ready, final long timeoutNs) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        lock.lock();
        try
        {
            while (true)
            {
                checkRunning();
                final T value = ready.get();
                if (null != value)
                {
                    return value;
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    return null;
                }
                changed.awaitNanos(Math.min(left, 10_000_000L));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
        finally
        {
            lock.unlock();
        }
    }

    private void checkRunning()
    {
        if (null != failure)
        {
            throw new IllegalStateException("event loop failed", failure);
        }
        if (!running)
        {
            throw new IllegalStateException("stack closed");
        }
    }

    /**
     * @return a listener on {@code port}.
     */
    public Listener listen(final int port, final int backlog)
    {
        return new Listener(call(() -> stack.tcp().listen(port, backlog)));
    }

    /**
     * Connect and wait for ESTABLISHED.
     *
     * @throws IOException if refused, reset or timed out.
     */
    public Connection connect(final int address, final int port, final long timeoutMs) throws IOException
    {
        final TcpConnection connection = call(() -> stack.tcp().connect(address, port, System.nanoTime()));
        final Boolean established = await(() ->
        {
            switch (connection.state())
            {
                case SYN_SENT:
                case SYN_RECEIVED:
                    return null;
                case CLOSED:
                    return Boolean.FALSE;
                default:
                    return Boolean.TRUE;
            }
        }, TimeUnit.MILLISECONDS.toNanos(timeoutMs));
        if (!Boolean.TRUE.equals(established))
        {
            final int error = call(connection::error);
            call(() ->
            {
                connection.abort();
                return null;
            });
            throw new IOException("connect to " + io.dominoes.net.wire.Ipv4Address.toString(address) + ":" + port +
                (null == established ? " timed out after " + timeoutMs + " ms" : " failed, error=" + error));
        }
        return new Connection(connection);
    }

    public NetworkStack stack()
    {
        return stack;
    }

    /**
     * Stop the loop and close the device. Connections are not closed gracefully: close them first.
     */
    public void close()
    {
        running = false;
        // Join even if the caller was interrupted (a SIGTERM handler), so the device is closed only after
        // the loop thread has stopped touching it.
        final boolean interrupted = Thread.interrupted();
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try
        {
            changed.signalAll();
            stack.close();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * A listening port with a blocking accept.
     */
    public final class Listener
    {
        private final TcpListener listener;

        Listener(final TcpListener listener)
        {
            this.listener = listener;
        }

        /**
         * @return the next connection, or null after {@code timeoutMs}.
         */
        public Connection accept(final long timeoutMs) throws IOException
        {
            final TcpConnection connection =
                await(() -> stack.tcp().accept(listener), TimeUnit.MILLISECONDS.toNanos(timeoutMs));
            return null == connection ? null : new Connection(connection);
        }

        public void close()
        {
            call(() ->
            {
                stack.tcp().close(listener);
                return null;
            });
        }
    }

    /**
     * One connection with blocking read and write.
     */
    public final class Connection
    {
        private final TcpConnection connection;
        private final org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(new byte[0]);
        private boolean closed;

        Connection(final TcpConnection connection)
        {
            this.connection = connection;
        }

        /**
         * Block until some bytes arrive.
         *
         * @return bytes read (at least 1), or -1 at end of stream.
         * @throws IOException when the connection was reset or timed out.
         */
        public int read(final byte[] dst, final int offset, final int length) throws IOException
        {
            final Integer n = await(() ->
            {
                view.wrap(dst, offset, length);
                final int r = connection.read(view, 0, length);
                return 0 == r ? null : r;
            }, Long.MAX_VALUE / 4);
            if (n == io.dominoes.net.tcp.TcpSocket.NOT_CONNECTED)
            {
                throw new IOException("connection " + describe() + " lost, error=" + call(connection::error));
            }
            return n;
        }

        /**
         * Block until every byte is queued for sending.
         *
         * @throws IOException when the connection can no longer send.
         */
        public void write(final byte[] src, final int offset, final int length) throws IOException
        {
            int done = 0;
            while (done < length)
            {
                final int from = done;
                final Integer n = await(() ->
                {
                    view.wrap(src, offset + from, length - from);
                    final int w = connection.write(view, 0, length - from);
                    return 0 == w ? null : w;
                }, Long.MAX_VALUE / 4);
                if (n < 0)
                {
                    throw new IOException("connection " + describe() + " cannot send, state=" + call(connection::state) +
                        " error=" + call(connection::error));
                }
                done += n;
            }
        }

        /**
         * Send a FIN after the queued data and wait up to {@code timeoutMs} until everything (FIN included) is
         * acknowledged. The handle is given back to the stack.
         *
         * @return true if the peer acknowledged everything in time.
         */
        public boolean close(final long timeoutMs) throws IOException
        {
            if (closed)
            {
                return true;
            }
            closed = true;
            call(() ->
            {
                connection.close();
                return null;
            });
            final Boolean done = await(() ->
            {
                switch (connection.state())
                {
                    case FIN_WAIT_2:
                    case TIME_WAIT:
                    case CLOSED:
                        return Boolean.TRUE;
                    default:
                        return null;
                }
            }, TimeUnit.MILLISECONDS.toNanos(timeoutMs));
            return Boolean.TRUE.equals(done);
        }

        /**
         * Reset the connection and give the handle back.
         */
        public void abort()
        {
            if (!closed)
            {
                closed = true;
                call(() ->
                {
                    connection.abort();
                    return null;
                });
            }
        }

        /**
         * @return "a.b.c.d:port" of the peer.
         */
        public String describe()
        {
            return call(() -> io.dominoes.net.wire.Ipv4Address.toString(connection.remoteAddress()) + ":" +
                connection.remotePort());
        }
    }
}
