package io.dominoes.tasks.examples;

import io.dominoes.tasks.api.Args;
import io.dominoes.tasks.api.Compose;
import io.dominoes.tasks.api.Task;
import io.dominoes.tasks.api.TaskContext;

import java.io.Serializable;
import java.util.Random;

/**
 * Lloyd's k-means with points in memory: each iteration spawns one task per chunk of points (assign each point to its
 * nearest centroid, return per-cluster sums and counts); the iteration's compose successor combines the partial sums
 * in chunk order, computes the new centroids, and spawns the next iteration (a task graph that grows at run time).
 * {@link #sequential} runs the same algorithm as plain loops, combining per-chunk sums in the same order, so results
 * are bit-identical.
 */
public final class KMeans
{
    private KMeans()
    {
    }

    /**
     * Seeded test data: {@code clusters} Gaussian blobs.
     *
     * @param count      points.
     * @param dimensions per point.
     * @param clusters   blobs.
     * @param seed       of the generator.
     * @return points[count][dimensions].
     */
    public static double[][] points(final int count, final int dimensions, final int clusters, final long seed)
    {
        final Random random = new Random(seed);
        final double[][] centres = new double[clusters][dimensions];
        for (final double[] c : centres)
        {
            for (int d = 0; d < dimensions; d++)
            {
                c[d] = random.nextDouble() * 100;
            }
        }
        final double[][] points = new double[count][dimensions];
        for (int i = 0; i < count; i++)
        {
            final double[] c = centres[random.nextInt(clusters)];
            for (int d = 0; d < dimensions; d++)
            {
                points[i][d] = c[d] + random.nextGaussian() * 5;
            }
        }
        return points;
    }

    /**
     * @param points     data.
     * @param k          clusters; initial centroids are the first k points.
     * @param iterations Lloyd iterations.
     * @param chunkSize  points per task.
     * @return root task whose result is the final centroids[k][dimensions].
     */
    public static Task<double[][]> job(final double[][] points, final int k, final int iterations, final int chunkSize)
    {
        final double[][] initial = new double[k][];
        for (int i = 0; i < k; i++)
        {
            initial[i] = points[i].clone();
        }
        return ctx -> spawnIteration(ctx, points, initial, 0, iterations, chunkSize);
    }

    /**
     * Plain sequential code for the same computation.
     *
     * @param points     data.
     * @param k          clusters.
     * @param iterations Lloyd iterations.
     * @param chunkSize  points per chunk (only fixes the order partial sums are added in).
     * @return final centroids.
     */
    public static double[][] sequential(final double[][] points, final int k, final int iterations, final int chunkSize)
    {
        double[][] centroids = new double[k][];
        for (int i = 0; i < k; i++)
        {
            centroids[i] = points[i].clone();
        }
        for (int it = 0; it < iterations; it++)
        {
            final int chunks = (points.length + chunkSize - 1) / chunkSize;
            final Partial total = new Partial(k, points[0].length);
            for (int c = 0; c < chunks; c++)
            {
                total.add(assign(points, c * chunkSize, Math.min(points.length, (c + 1) * chunkSize), centroids));
            }
            centroids = total.centroids(centroids);
        }
        return centroids;
    }

    /**
     * The same computation with {@code java.util.stream} parallel streams (the baseline the executor is measured
     * against): per iteration, the chunks' partial sums are computed by a parallel stream and combined in chunk
     * order, so the result is bit-identical to {@link #sequential}. Runs in the calling thread's
     * {@link java.util.concurrent.ForkJoinPool} when called from one (how a caller picks the thread count).
     *
     * @param points     data.
     * @param k          clusters.
     * @param iterations Lloyd iterations.
     * @param chunkSize  points per chunk.
     * @return final centroids.
     */
    public static double[][] parallelStreams(
        final double[][] points, final int k, final int iterations, final int chunkSize)
    {
        double[][] centroids = new double[k][];
        for (int i = 0; i < k; i++)
        {
            centroids[i] = points[i].clone();
        }
        final int chunks = (points.length + chunkSize - 1) / chunkSize;
        for (int it = 0; it < iterations; it++)
        {
            final double[][] current = centroids;
            final Partial[] partials = java.util.stream.IntStream.range(0, chunks).parallel()
                .mapToObj(c -> assign(points, c * chunkSize, Math.min(points.length, (c + 1) * chunkSize), current))
                .toArray(Partial[]::new);
            final Partial total = new Partial(k, points[0].length);
            for (final Partial partial : partials)
            {
                total.add(partial);
            }
            centroids = total.centroids(centroids);
        }
        return centroids;
    }

    /**
     * A job whose tasks carry a reference to seeded data instead of the data: each process regenerates (once, then
     * caches) the points from the seed, so a chunk task that crosses processes is a few bytes, as when the data
     * is already where the workers run. Same result as {@link #job} on {@link #points}(count, dimensions,
     * clusters, seed).
     *
     * @param count      points.
     * @param dimensions per point.
     * @param clusters   blobs in the data.
     * @param seed       of the data.
     * @param k          clusters to find.
     * @param iterations Lloyd iterations.
     * @param chunkSize  points per task.
     * @return root task.
     */
    public static Task<double[][]> seededJob(
        final int count,
        final int dimensions,
        final int clusters,
        final long seed,
        final int k,
        final int iterations,
        final int chunkSize)
    {
        return new SeededRoot(new SeededPoints(count, dimensions, clusters, seed), k, iterations, chunkSize);
    }

    /**
     * A serializable handle on seeded points: the points themselves are rebuilt from the seed in each process.
     */
    static final class SeededPoints implements Serializable
    {
        private static final long serialVersionUID = 1L;
        private static final java.util.concurrent.ConcurrentHashMap<String, double[][]> CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();
        final int count;
        final int dimensions;
        final int clusters;
        final long seed;

        SeededPoints(final int count, final int dimensions, final int clusters, final long seed)
        {
            this.count = count;
            this.dimensions = dimensions;
            this.clusters = clusters;
            this.seed = seed;
        }

        double[][] get()
        {
            return CACHE.computeIfAbsent(count + "/" + dimensions + "/" + clusters + "/" + seed,
                key -> points(count, dimensions, clusters, seed));
        }
    }

    static final class SeededRoot implements Task<double[][]>
    {
        private static final long serialVersionUID = 1L;
        private final SeededPoints data;
        private final int k;
        private final int iterations;
        private final int chunkSize;

        SeededRoot(final SeededPoints data, final int k, final int iterations, final int chunkSize)
        {
            this.data = data;
            this.k = k;
            this.iterations = iterations;
            this.chunkSize = chunkSize;
        }

        public void execute(final TaskContext<double[][]> ctx)
        {
            final double[][] points = data.get();
            final double[][] initial = new double[k][];
            for (int i = 0; i < k; i++)
            {
                initial[i] = points[i].clone();
            }
            seededIteration(ctx, data, initial, 0, iterations, chunkSize);
        }
    }

    static void seededIteration(
        final TaskContext<double[][]> ctx,
        final SeededPoints data,
        final double[][] centroids,
        final int iteration,
        final int iterations,
        final int chunkSize)
    {
        if (iteration == iterations)
        {
            ctx.complete(centroids);
            return;
        }
        for (int from = 0; from < data.count; from += chunkSize)
        {
            ctx.spawn(new SeededChunk(data, from, Math.min(data.count, from + chunkSize), centroids));
        }
        ctx.compose(new SeededUpdate(data, centroids, iteration, iterations, chunkSize));
    }

    static final class SeededChunk implements Task<Partial>
    {
        private static final long serialVersionUID = 1L;
        private final SeededPoints data;
        private final int from;
        private final int to;
        private final double[][] centroids;

        SeededChunk(final SeededPoints data, final int from, final int to, final double[][] centroids)
        {
            this.data = data;
            this.from = from;
            this.to = to;
            this.centroids = centroids;
        }

        public void execute(final TaskContext<Partial> ctx)
        {
            ctx.complete(assign(data.get(), from, to, centroids));
        }
    }

    static final class SeededUpdate implements Compose<Partial, double[][]>
    {
        private static final long serialVersionUID = 1L;
        private final SeededPoints data;
        private final double[][] centroids;
        private final int iteration;
        private final int iterations;
        private final int chunkSize;

        SeededUpdate(
            final SeededPoints data,
            final double[][] centroids,
            final int iteration,
            final int iterations,
            final int chunkSize)
        {
            this.data = data;
            this.centroids = centroids;
            this.iteration = iteration;
            this.iterations = iterations;
            this.chunkSize = chunkSize;
        }

        public void compose(final Args<Partial> args, final TaskContext<double[][]> ctx)
        {
            final Partial total = new Partial(centroids.length, data.dimensions);
            for (int i = 0; i < args.count(); i++)
            {
                total.add(args.get(i));
            }
            seededIteration(ctx, data, total.centroids(centroids), iteration + 1, iterations, chunkSize);
        }
    }

    static void spawnIteration(
        final TaskContext<double[][]> ctx,
        final double[][] points,
        final double[][] centroids,
        final int iteration,
        final int iterations,
        final int chunkSize)
    {
        if (iteration == iterations)
        {
            ctx.complete(centroids);
            return;
        }
        for (int from = 0; from < points.length; from += chunkSize)
        {
            ctx.spawn(new AssignChunk(points, from, Math.min(points.length, from + chunkSize), centroids));
        }
        ctx.compose(new Update(points, centroids, iteration, iterations, chunkSize));
    }

    static Partial assign(final double[][] points, final int from, final int to, final double[][] centroids)
    {
        final Partial partial = new Partial(centroids.length, points[0].length);
        for (int i = from; i < to; i++)
        {
            final double[] p = points[i];
            int best = 0;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < centroids.length; c++)
            {
                double distance = 0;
                for (int d = 0; d < p.length; d++)
                {
                    final double delta = p[d] - centroids[c][d];
                    distance += delta * delta;
                }
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }
            partial.counts[best]++;
            for (int d = 0; d < p.length; d++)
            {
                partial.sums[best][d] += p[d];
            }
        }
        return partial;
    }

    /**
     * Per-cluster coordinate sums and counts of one chunk.
     */
    public static final class Partial implements Serializable
    {
        private static final long serialVersionUID = 1L;
        final double[][] sums;
        final long[] counts;

        Partial(final int k, final int dimensions)
        {
            sums = new double[k][dimensions];
            counts = new long[k];
        }

        void add(final Partial other)
        {
            for (int c = 0; c < counts.length; c++)
            {
                counts[c] += other.counts[c];
                for (int d = 0; d < sums[c].length; d++)
                {
                    sums[c][d] += other.sums[c][d];
                }
            }
        }

        double[][] centroids(final double[][] previous)
        {
            final double[][] next = new double[counts.length][];
            for (int c = 0; c < counts.length; c++)
            {
                if (counts[c] == 0)
                {
                    next[c] = previous[c].clone();
                }
                else
                {
                    next[c] = new double[sums[c].length];
                    for (int d = 0; d < sums[c].length; d++)
                    {
                        next[c][d] = sums[c][d] / counts[c];
                    }
                }
            }
            return next;
        }
    }

    static final class AssignChunk implements Task<Partial>
    {
        private static final long serialVersionUID = 1L;
        private final double[][] points;
        private final int from;
        private final int to;
        private final double[][] centroids;

        AssignChunk(final double[][] points, final int from, final int to, final double[][] centroids)
        {
            this.points = points;
            this.from = from;
            this.to = to;
            this.centroids = centroids;
        }

        public void execute(final TaskContext<Partial> ctx)
        {
            ctx.complete(assign(points, from, to, centroids));
        }
    }

    static final class Update implements Compose<Partial, double[][]>
    {
        private static final long serialVersionUID = 1L;
        private final double[][] points;
        private final double[][] centroids;
        private final int iteration;
        private final int iterations;
        private final int chunkSize;

        Update(
            final double[][] points,
            final double[][] centroids,
            final int iteration,
            final int iterations,
            final int chunkSize)
        {
            this.points = points;
            this.centroids = centroids;
            this.iteration = iteration;
            this.iterations = iterations;
            this.chunkSize = chunkSize;
        }

        public void compose(final Args<Partial> args, final TaskContext<double[][]> ctx)
        {
            final Partial total = new Partial(centroids.length, points[0].length);
            for (int i = 0; i < args.count(); i++)
            {
                total.add(args.get(i));
            }
            spawnIteration(ctx, points, total.centroids(centroids), iteration + 1, iterations, chunkSize);
        }
    }
}
