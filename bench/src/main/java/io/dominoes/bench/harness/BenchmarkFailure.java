package io.dominoes.bench.harness;

/**
 * A harness saw a wrong answer (lost, reordered or corrupted message) or could not finish; the
 * benchmark must fail with this rather than report a number.
 */
public final class BenchmarkFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong.
     */
    public BenchmarkFailure(final String message)
    {
        super(message);
    }

    /**
     * @param message what was wrong.
     * @param cause   underlying error.
     */
    public BenchmarkFailure(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
