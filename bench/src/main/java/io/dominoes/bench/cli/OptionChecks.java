package io.dominoes.bench.cli;

/**
 * Range checks the commands share, with one wording: the option, the value and the allowed range. Commands turn
 * the exception into picocli's usage error.
 */
final class OptionChecks
{
    private OptionChecks()
    {
    }

    /**
     * @throws IllegalArgumentException naming option, value and range if {@code value} is outside [min, max].
     */
    static void checkRange(final String option, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(option + " " + value + " is outside [" + min + ", " + max + "]");
        }
    }
}
