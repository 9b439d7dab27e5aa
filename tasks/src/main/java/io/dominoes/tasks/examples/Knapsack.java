package io.dominoes.tasks.examples;

import io.dominoes.tasks.api.Args;
import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskContext;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * 0/1 knapsack by branch and bound. Items are sorted by value density; a node's upper bound is its value plus the
 * fractional (LP) relaxation of the remaining items. The job's incumbent (best value found, {@link
 * TaskContext#incumbent()}) is shared by all tasks: a task that finds a better packing raises it, and every running
 * task re-reads it at each node it visits, so a bound found anywhere prunes subtrees everywhere. The top
 * {@code splitDepth} levels are tasks (take / skip the next item); below that a task searches depth first.
 */
public final class Knapsack
{
    private Knapsack()
    {
    }

    /**
     * An instance, items sorted by value/weight descending.
     */
    public static final class Instance implements Serializable
    {
        private static final long serialVersionUID = 1L;
        final int[] weights;
        final int[] values;
        final int capacity;

        /**
         * @param weights  positive item weights.
         * @param values   non-negative item values.
         * @param capacity of the knapsack.
         */
        public Instance(final int[] weights, final int[] values, final int capacity)
        {
            if (weights.length != values.length)
            {
                throw new IllegalArgumentException("weights.length " + weights.length + " != values.length " +
                    values.length);
            }
            final Integer[] order = new Integer[weights.length];
            for (int i = 0; i < order.length; i++)
            {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare((long)values[b] * weights[a], (long)values[a] * weights[b]));
            this.weights = new int[weights.length];
            this.values = new int[values.length];
            for (int i = 0; i < order.length; i++)
            {
                this.weights[i] = weights[order[i]];
                this.values[i] = values[order[i]];
            }
            this.capacity = capacity;
        }

        /**
         * @param items number of items.
         * @param seed  of the generator.
         * @return a correlated (hard-ish) random instance with capacity half the total weight.
         */
        public static Instance random(final int items, final long seed)
        {
            final Random random = new Random(seed);
            final int[] w = new int[items];
            final int[] v = new int[items];
            long total = 0;
            for (int i = 0; i < items; i++)
            {
                w[i] = 10 + random.nextInt(90);
                v[i] = w[i] + random.nextInt(20);
                total += w[i];
            }
            return new Instance(w, v, (int)(total / 2));
        }

        double upperBound(final int index, final int weight, final long value)
        {
            double bound = value;
            int room = capacity - weight;
            for (int i = index; i < weights.length; i++)
            {
                if (weights[i] <= room)
                {
                    room -= weights[i];
                    bound += values[i];
                }
                else
                {
                    bound += (double)values[i] * room / weights[i];
                    break;
                }
            }
            return bound;
        }
    }

    /**
     * @param instance   to solve.
     * @param splitDepth levels of the search tree that become tasks.
     * @param visited    counts search nodes visited (for tests and reports); may be null.
     * @return root task whose result is the optimal value.
     */
    public static Task<Long> job(final Instance instance, final int splitDepth, final LongAdder visited)
    {
        return new Node(instance, 0, 0, 0, splitDepth, visited);
    }

    /**
     * Plain dynamic programming over capacity: the reference answer.
     *
     * @param instance to solve.
     * @return optimal value.
     */
    public static long dynamicProgramming(final Instance instance)
    {
        final long[] best = new long[instance.capacity + 1];
        for (int i = 0; i < instance.weights.length; i++)
        {
            for (int c = instance.capacity; c >= instance.weights[i]; c--)
            {
                best[c] = Math.max(best[c], best[c - instance.weights[i]] + instance.values[i]);
            }
        }
        return best[instance.capacity];
    }

    static final class Node implements Task<Long>
    {
        private static final long serialVersionUID = 1L;
        private final Instance instance;
        private final int index;
        private final int weight;
        private final long value;
        private final int splitDepth;
        private final transient LongAdder visited;

        Node(
            final Instance instance,
            final int index,
            final int weight,
            final long value,
            final int splitDepth,
            final LongAdder visited)
        {
            this.instance = instance;
            this.index = index;
            this.weight = weight;
            this.value = value;
            this.splitDepth = splitDepth;
            this.visited = visited;
        }

        public void execute(final TaskContext<Long> ctx)
        {
            ctx.offerIncumbent(value);
            if (index == instance.weights.length || instance.upperBound(index, weight, value) <= ctx.incumbent())
            {
                count(1);
                ctx.complete(value);
            }
            else if (index < splitDepth)
            {
                count(1);
                if (weight + instance.weights[index] <= instance.capacity)
                {
                    ctx.spawn(new Node(instance, index + 1, weight + instance.weights[index],
                        value + instance.values[index], splitDepth, visited));
                }
                ctx.spawn(new Node(instance, index + 1, weight, value, splitDepth, visited));
                ctx.compose(new Max());
            }
            else
            {
                final long[] nodes = new long[1];
                final long best = search(ctx, index, weight, value, nodes);
                count(nodes[0]);
                ctx.complete(best);
            }
        }

        private long search(
            final TaskContext<Long> ctx, final int i, final int w, final long v, final long[] nodes)
        {
            nodes[0]++;
            ctx.offerIncumbent(v);
            // Re-read the shared incumbent at every node: a bound found by any other task prunes this one now.
            if (i == instance.weights.length || instance.upperBound(i, w, v) <= ctx.incumbent())
            {
                return v;
            }
            long best = v;
            if (w + instance.weights[i] <= instance.capacity)
            {
                best = Math.max(best, search(ctx, i + 1, w + instance.weights[i], v + instance.values[i], nodes));
            }
            return Math.max(best, search(ctx, i + 1, w, v, nodes));
        }

        private void count(final long n)
        {
            if (visited != null)
            {
                visited.add(n);
            }
        }
    }

    static final class Max implements Compose<Long, Long>
    {
        private static final long serialVersionUID = 1L;

        public void compose(final Args<Long> args, final TaskContext<Long> ctx)
        {
            long best = Long.MIN_VALUE;
            for (int i = 0; i < args.count(); i++)
            {
                best = Math.max(best, args.getLong(i));
            }
            ctx.complete(best);
        }
    }
}
