package io.degen.pipeline;

import io.degen.metrics.PairProgress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Prints a metrics matrix's progress to stderr at most once per interval: pairs done of the total,
 * time so far and an ETA from the pairs' rate. A matrix that finishes within the interval prints
 * nothing, so short studies stay as quiet as before.
 */
final class PairProgressLine implements PairProgress {
    private final PrintStream err;
    private final long intervalNanos;
    private final LongSupplier clock;
    private String current;
    private long started, lastPrint;

    PairProgressLine(PrintStream err) { this(err, 15_000_000_000L, System::nanoTime); }

    PairProgressLine(PrintStream err, long intervalNanos, LongSupplier clock) {
        this.err = err;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    @Override public synchronized void pairsDone(String what, int done, int total) {
        long now = clock.getAsLong();
        // Pairwise tells done = 0 on the calling thread before any worker starts: the reset cannot
        // race with the workers' first counts (every condition's matrix is called "DSA").
        if (!what.equals(current) || done == 0) {
            current = what;
            started = now;
            lastPrint = now;
        }
        if (done == 0 || now - lastPrint < intervalNanos || done >= total && lastPrint == started) return;
        lastPrint = now;
        double el = (now - started) / 1e9;
        double eta = done >= total ? 0 : el / done * (total - done);
        err.printf(Locale.ROOT, "  [metrics] %s: %d/%d pairs | elapsed %s | ETA %s%n", what, done, total, Progress.fmt(el), Progress.fmt(eta));
    }
}
