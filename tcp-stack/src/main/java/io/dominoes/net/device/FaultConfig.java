package io.dominoes.net.device;

/**
 * Fault probabilities and delays for a {@link FaultInjectingDevice}, applied independently to each
 * frame in each direction. Immutable; validated on construction.
 *
 * @param lossRate        probability a frame is dropped.
 * @param duplicateRate   probability a frame is delivered twice.
 * @param corruptRate     probability one random bit of a frame is flipped.
 * @param reorderRate     probability a frame is held back by {@code reorderDelayNs} so later frames
 *                        overtake it.
 * @param delayNs         added to every frame.
 * @param jitterNs        a uniform random extra delay in {@code [0, jitterNs]}.
 * @param reorderDelayNs  hold-back applied to reordered frames.
 * @param framesInFlight  frames each direction can hold while delayed; beyond it frames are dropped
 *                        and counted as overflow.
 */
public record FaultConfig(
    double lossRate,
    double duplicateRate,
    double corruptRate,
    double reorderRate,
    long delayNs,
    long jitterNs,
    long reorderDelayNs,
    int framesInFlight)
{
    /**
     * No faults, no delay.
     */
    public static final FaultConfig NONE = new FaultConfig(0, 0, 0, 0, 0, 0, 0, 64);

    public FaultConfig
    {
        checkRate("lossRate", lossRate);
        checkRate("duplicateRate", duplicateRate);
        checkRate("corruptRate", corruptRate);
        checkRate("reorderRate", reorderRate);
        if (delayNs < 0 || jitterNs < 0 || reorderDelayNs < 0)
        {
            throw new IllegalArgumentException(
                "delays must be >= 0: delayNs=" + delayNs + " jitterNs=" + jitterNs + " reorderDelayNs=" + reorderDelayNs);
        }
        if (framesInFlight < 1)
        {
            throw new IllegalArgumentException("framesInFlight=" + framesInFlight + " must be >= 1");
        }
    }

    private static void checkRate(final String name, final double rate)
    {
        if (!(rate >= 0 && rate <= 1))
        {
            throw new IllegalArgumentException(name + "=" + rate + " outside [0, 1]");
        }
    }
}
