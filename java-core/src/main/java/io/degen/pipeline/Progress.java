package io.degen.pipeline;

import java.io.PrintStream;
import java.util.Locale;

/** Live progress on stderr: runs done / total, rate, ETA and what is running now. Thread-safe. */
public final class Progress {
    private final PrintStream err;
    private final int total;
    private final long start = System.nanoTime();
    private int done, failed;
    private long lastPrint;

    public Progress(PrintStream err, int total) {
        this.err = err;
        this.total = total;
    }

    public synchronized void epoch(String label, int epoch, double loss) {
        long now = System.nanoTime();
        if (now - lastPrint < 2_000_000_000L) return;
        lastPrint = now;
        err.printf(Locale.ROOT, "  %s epoch %d loss %.3g%n", label, epoch, loss);
    }

    public synchronized void finished(String label, String outcome, boolean ok) {
        done++;
        if (!ok) failed++;
        double el = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(el, 1e-9);
        double eta = (total - done) / Math.max(rate, 1e-12);
        err.printf(Locale.ROOT, "[%d/%d] %s: %s | %.2f runs/min | elapsed %s | ETA %s%n", done, total, label, outcome,
                rate * 60, fmt(el), fmt(eta));
    }

    public synchronized int done() { return done; }

    static String fmt(double s) {
        if (!Double.isFinite(s)) return "?";
        long x = Math.round(s);
        return x >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", x / 3600, (x % 3600) / 60)
                : x >= 60 ? String.format(Locale.ROOT, "%dm%02ds", x / 60, x % 60) : x + "s";
    }
}
