package io.degen.pipeline;

import io.degen.config.RunConfig;
import io.degen.train.CostModel;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Live progress on stderr: what is running (its condition and seed, epoch k of at most K), runs
 * done / total and an ETA. The ETA comes from the cost model, calibrated by the work done so far:
 * operations trained per second, against the operations the unfinished runs are expected to need
 * (at least one more epoch each), so it is there from the first epoch lines, long before a run ends.
 * Thread-safe.
 */
public final class Progress {
    private final PrintStream err;
    private final int total;
    private final long start = System.nanoTime();
    private final Map<String, double[]> work = new HashMap<>(); // run id -> {operations per epoch, expected operations, epochs done, 0 running / 1 finished / 2 finished, not calibrating}
    private int done, failed;
    private long lastPrint;

    public Progress(PrintStream err, List<RunConfig> runs) {
        this.err = err;
        this.total = runs.size();
        for (RunConfig r : runs) work.put(r.id(), new double[] {CostModel.flops(r, 1), CostModel.flops(r), 0, 0});
    }

    public synchronized void epoch(RunConfig run, String label, int epoch, double loss) {
        double[] w = work.get(run.id());
        if (w != null) w[2] = epoch;
        long now = System.nanoTime();
        if (now - lastPrint < 2_000_000_000L) return;
        lastPrint = now;
        err.printf(Locale.ROOT, "  %s: epoch %d/%d, loss %.3g | training ETA %s%n", label, epoch, run.train().maxEpochs(), loss, fmt(eta()));
    }

    public synchronized void finished(RunConfig run, String label, String outcome, boolean ok) { finished(run, label, outcome, ok, true); }

    /**
     * A run ended; {@code calibrates} false (a diverged run, stopped at once) keeps its epochs out of
     * the scale of the expected epochs, which it would drag towards zero.
     */
    public synchronized void finished(RunConfig run, String label, String outcome, boolean ok, boolean calibrates) {
        done++;
        if (!ok) failed++;
        double[] w = work.get(run.id());
        if (w != null) w[3] = calibrates ? 1 : 2;
        double el = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "[%d/%d] %s: %s | %.2f runs/min | elapsed %s | training ETA %s%n", done, total, label, outcome,
                done / Math.max(el, 1e-9) * 60, fmt(el), fmt(eta()));
    }

    public synchronized int done() { return done; }

    /**
     * Seconds of training left: the unfinished runs' expected operations (at least one more epoch
     * each) at the rate trained so far; NaN before any epoch. Once runs have finished, the expected
     * operations are scaled by what the finished runs took against what they were expected to take
     * (their epochs over the cost model's), since runs of one study mostly converge alike: the cost
     * model alone assumes many more epochs than a quick study needs.
     */
    synchronized double eta() {
        double trained = 0, left = 0, usedByFinished = 0, expectedOfFinished = 0;
        for (double[] w : work.values()) {
            trained += w[0] * w[2];
            if (w[3] == 1) { usedByFinished += w[0] * w[2]; expectedOfFinished += w[1]; }
        }
        double scale = expectedOfFinished > 0 && usedByFinished > 0 ? usedByFinished / expectedOfFinished : 1;
        for (double[] w : work.values()) {
            if (w[3] == 0) left += Math.max(scale * w[1] - w[0] * w[2], w[0]);
        }
        double el = (System.nanoTime() - start) / 1e9;
        if (trained <= 0 || el <= 0) return Double.NaN;
        return left / (trained / el);
    }

    /** Seconds as 45s, 3m05s or 2h10m. */
    public static String fmt(double s) {
        if (!Double.isFinite(s)) return "?";
        long x = Math.round(s);
        return x >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", x / 3600, (x % 3600) / 60)
                : x >= 60 ? String.format(Locale.ROOT, "%dm%02ds", x / 60, x % 60) : x + "s";
    }
}
