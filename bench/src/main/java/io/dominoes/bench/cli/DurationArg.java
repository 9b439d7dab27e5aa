package io.dominoes.bench.cli;

import org.openjdk.jmh.runner.options.TimeValue;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration on the command line: a whole number with {@code ms}, {@code s} or {@code m}.
 */
final class DurationArg
{
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private DurationArg()
    {
    }

    /**
     * @param option name, for the error message.
     * @param text   e.g. {@code 500ms}, {@code 2s}.
     * @param minMs  smallest allowed, in milliseconds.
     * @param maxMs  largest allowed, in milliseconds.
     * @return the duration in milliseconds.
     * @throws IllegalArgumentException naming the value and the limits.
     */
    static long parseMillis(final String option, final String text, final long minMs, final long maxMs)
    {
        final Matcher m = FORMAT.matcher(text);
        if (!m.matches())
        {
            throw new IllegalArgumentException(option + " '" + text + "' is not a duration like 500ms, 2s or 1m");
        }
        final long n = Long.parseLong(m.group(1));
        final long ms = "ms".equals(m.group(2)) ? n : "s".equals(m.group(2)) ? n * 1000 : n * 60_000;
        if (ms < minMs || ms > maxMs)
        {
            throw new IllegalArgumentException(option + " " + text + " is outside [" + minMs + "ms, " + maxMs + "ms]");
        }
        return ms;
    }

    static TimeValue toTimeValue(final long ms)
    {
        return new TimeValue(ms, TimeUnit.MILLISECONDS);
    }
}
