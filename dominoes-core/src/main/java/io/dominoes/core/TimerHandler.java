package io.dominoes.core;

/**
 * Replicated timer callback: fires on every replica at the same point of the channel order (while the
 * tick event whose time passed the deadline is handled), timers with equal deadlines in id order.
 *
 * @param <D> the domain type.
 */
@FunctionalInterface
public interface TimerHandler<D extends Domain>
{
    /**
     * @param domain      this replica's private state.
     * @param ctx         context; {@link EventContext#isOwner()} is true on replica {@code timerId mod N},
     *                    which alone sends what the callback emits.
     * @param timerId     id from {@link EventContext#scheduleTimer}.
     * @param deadlineNs  the deadline it was scheduled for.
     * @param correlation value given at schedule.
     */
    void onTimer(D domain, EventContext ctx, long timerId, long deadlineNs, long correlation);
}
