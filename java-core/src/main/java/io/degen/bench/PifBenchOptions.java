package io.degen.bench;

/**
 * What {@code bench pif} times: {@code pairs} random n x n pairs (or, with {@code data}, the
 * directory as given, the pairs stored there) after {@code warmup} untimed ones, {@code repeats}
 * passes, {@code threads} pairs at once, with the given d_PIF settings on {@code backend}.
 */
public record PifBenchOptions(int n, int pairs, int restarts, int seed, int warmup, int repeats, String data, int threads, int maxIter,
                              double tol, String backend) { }
