package io.degen.metrics.complexity;

import io.degen.task.PathIntegrationTask;
import io.degen.task.Task;
import io.degen.task.TrialBatch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Information-theoretic task-complexity measures estimated from trials drawn from a task with a
 * fixed seed. See docs/complexity.md for the definitions, estimators and their bias.
 *
 * <ul>
 *   <li><b>Target entropy</b> H(Y): Miller-Madow corrected plug-in entropy (bits) of the discretised
 *   target vector at scored positions, joint over output channels (the vector of per-channel bin
 *   indices is hashed to one symbol).</li>
 *   <li><b>Memory information</b> I_k = I(Y_t ; S_{t-k} | W_t^k) for k = 1..K: how much the history
 *   older than k steps (summary S) tells about the target beyond the last k inputs (summary W).
 *   Plug-in CMI minus the mean CMI after permuting Y within each W stratum.</li>
 *   <li><b>Effective memory length</b> L_eff = sum_k I_k / max_k I_k.</li>
 * </ul>
 */
public final class TaskComplexity {
    /** Largest raw-window state count (product over channels) before the window is compressed. */
    static final int RAW_WINDOW_STATES = 1024;
    /** Largest state count for the raw recent history of dense discrete channels in S. */
    static final int RAW_HISTORY_STATES = 64;
    static final int MAX_RAW_HISTORY = 8;
    /** Below this peak I_k (bits) the task is memoryless: L_eff = 0. */
    static final double MEMORY_FLOOR = 0.01;

    private TaskComplexity() { }

    /** Estimator settings. */
    public record Options(int bins, int maxLag, int trials, long seed, int shuffles) {
        public Options {
            if (bins < 1) throw new IllegalArgumentException("bins must be >= 1, got " + bins);
            if (maxLag < 1) throw new IllegalArgumentException("max-lag must be >= 1, got " + maxLag);
            if (trials < 2) throw new IllegalArgumentException("trials must be >= 2, got " + trials);
            if (seed < 0) throw new IllegalArgumentException("seed must be >= 0, got " + seed);
            if (shuffles < 1) throw new IllegalArgumentException("shuffles must be >= 1, got " + shuffles);
        }

        public static Options defaults() { return new Options(8, 30, 2000, 0, 3); }

        public Options withBins(int b) { return new Options(b, maxLag, trials, seed, shuffles); }
        public Options withMaxLag(int k) { return new Options(bins, k, trials, seed, shuffles); }
        public Options withTrials(int n) { return new Options(bins, maxLag, n, seed, shuffles); }
        public Options withSeed(long s) { return new Options(bins, maxLag, trials, s, shuffles); }
        public Options withShuffles(int s) { return new Options(bins, maxLag, trials, seed, s); }
    }

    /**
     * Result. {@code memoryInformation[k-1]} is I_k in bits (bias corrected, may be slightly
     * negative from noise); {@code samples} is the number of scored (trial, step) positions.
     */
    public record Report(double targetEntropy, double[] memoryInformation, double memoryTotal,
                         double effectiveMemoryLength, int samples, long seed) { }

    public static Report measure(Task task) { return measure(task, Options.defaults()); }

    public static Report measure(Task task, Options opts) {
        TrialBatch tb = task.batch(opts.trials(), new SplittableRandom(opts.seed()));
        double[][][] feat = features(task, tb);
        return measure(tb, feat, opts);
    }

    // ---------------------------------------------------------------- inputs

    /**
     * Per-trial input features [trial][step][channel] the summaries are built from: the raw inputs,
     * except for path integration, where the feature is the per-step displacement (speed times the
     * heading's unit vector, plus the initial position at step 0) so that its running sum is the
     * integrated (unclipped) position.
     */
    static double[][][] features(Task task, TrialBatch tb) {
        int B = tb.batch(), T = tb.time(), I = tb.inputs();
        if (task instanceof PathIntegrationTask) {
            int dims = task.outputSize(), hIn = dims == 2 ? 2 : 4;
            double[][][] f = new double[B][T][dims];
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < T; t++) {
                    double v = tb.input()[tb.inIndex(b, t, hIn)];
                    double[] u = new double[dims];
                    if (dims == 2) {
                        u[0] = tb.input()[tb.inIndex(b, t, 0)];
                        u[1] = tb.input()[tb.inIndex(b, t, 1)];
                    } else {
                        double ca = tb.input()[tb.inIndex(b, t, 0)], sa = tb.input()[tb.inIndex(b, t, 1)];
                        double ce = tb.input()[tb.inIndex(b, t, 2)], se = tb.input()[tb.inIndex(b, t, 3)];
                        u[0] = ce * ca; u[1] = ce * sa; u[2] = se;
                    }
                    for (int d = 0; d < dims; d++) {
                        f[b][t][d] = v * u[d];
                        if (t == 0) f[b][t][d] += tb.input()[tb.inIndex(b, 0, hIn + 1 + d)] * PathIntegrationTask.BOX;
                    }
                }
            }
            return f;
        }
        double[][][] f = new double[B][T][I];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < I; c++) f[b][t][c] = tb.input()[tb.inIndex(b, t, c)];
            }
        }
        return f;
    }

    /** Per-channel description of an input feature: its kind and discretisation. */
    static final class Channel {
        boolean sparse, continuous;
        double lo, hi;
        int levels;           // codes 0..levels-1 (sparse: 0 = exact zero)
        int[] binToCode;      // occupied bins -> dense codes

        int code(double x, int bins) {
            if (sparse && x == 0) return 0;
            return binToCode[bin(x, lo, hi, bins)];
        }
    }

    static int bin(double x, double lo, double hi, int bins) {
        if (!(hi > lo)) return 0;
        int k = (int) Math.floor((x - lo) / (hi - lo) * bins);
        return Math.max(0, Math.min(bins - 1, k));
    }

    static Channel[] describe(double[][][] f, int bins) {
        int B = f.length, T = f[0].length, C = f[0][0].length;
        Channel[] out = new Channel[C];
        for (int c = 0; c < C; c++) {
            Channel ch = new Channel();
            long zeros = 0, n = (long) B * T;
            java.util.HashSet<Double> distinct = new java.util.HashSet<>();
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            double lo0 = Double.POSITIVE_INFINITY, hi0 = Double.NEGATIVE_INFINITY;
            for (double[][] trial : f) {
                for (double[] step : trial) {
                    double x = step[c];
                    lo0 = Math.min(lo0, x); hi0 = Math.max(hi0, x);
                    if (x == 0) { zeros++; continue; }
                    lo = Math.min(lo, x); hi = Math.max(hi, x);
                    if (distinct.size() <= bins) distinct.add(x);
                }
            }
            ch.sparse = zeros * 2 >= n;
            ch.continuous = distinct.size() > bins;
            if (ch.sparse) { ch.lo = lo; ch.hi = hi; } else { ch.lo = lo0; ch.hi = hi0; }
            boolean[] used = new boolean[bins];
            for (double[][] trial : f) {
                for (double[] step : trial) {
                    double x = step[c];
                    if (ch.sparse && x == 0) continue;
                    used[bin(x, ch.lo, ch.hi, bins)] = true;
                }
            }
            ch.binToCode = new int[bins];
            int next = ch.sparse ? 1 : 0;
            for (int i = 0; i < bins; i++) if (used[i]) ch.binToCode[i] = next++;
            ch.levels = Math.max(1, next);
            out[c] = ch;
        }
        return out;
    }

    // ---------------------------------------------------------------- main estimator

    static Report measure(TrialBatch tb, double[][][] feat, Options opts) {
        int B = tb.batch(), T = tb.time(), O = tb.outputs(), C = feat[0][0].length, bins = opts.bins();
        // Scored positions: any output channel with mask > 0.
        int n = 0;
        int[] sb = new int[B * T], st = new int[B * T];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                boolean scored = false;
                for (int o = 0; o < O; o++) if (tb.mask()[tb.outIndex(b, t, o)] > 0) { scored = true; break; }
                if (scored) { sb[n] = b; st[n] = t; n++; }
            }
        }
        if (n == 0) throw new IllegalArgumentException("task has no scored positions (mask is all zero)");
        sb = Arrays.copyOf(sb, n);
        st = Arrays.copyOf(st, n);

        // Target symbols: per channel equal-width bins over the scored range, joint by hashing.
        double[] tlo = new double[O], thi = new double[O];
        Arrays.fill(tlo, Double.POSITIVE_INFINITY);
        Arrays.fill(thi, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < O; o++) {
                int idx = tb.outIndex(sb[i], st[i], o);
                if (tb.mask()[idx] > 0) { tlo[o] = Math.min(tlo[o], tb.target()[idx]); thi[o] = Math.max(thi[o], tb.target()[idx]); }
            }
        }
        long[] yKey = new long[n];
        for (int i = 0; i < n; i++) {
            long h = 0x51ED27L;
            for (int o = 0; o < O; o++) {
                int idx = tb.outIndex(sb[i], st[i], o);
                int sym = tb.mask()[idx] > 0 ? bin(tb.target()[idx], tlo[o], thi[o], bins) : bins; // bins = unscored
                h = mix(h, sym);
            }
            yKey[i] = h;
        }
        double targetEntropy = entropyMM(yKey);

        // Input summaries.
        Channel[] ch = describe(feat, bins);
        int[][][] code = new int[B][T][C];
        int[][][] lastNz = new int[B][T][C];          // index of last non-zero at or before t, -1 if none
        double[][][] cum = new double[B][T + 1][C];   // prefix sums
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                int last = -1;
                for (int t = 0; t < T; t++) {
                    double x = feat[b][t][c];
                    code[b][t][c] = ch[c].code(x, bins);
                    if (x != 0) last = t;
                    lastNz[b][t][c] = last;
                    cum[b][t + 1][c] = cum[b][t][c] + x;
                }
            }
        }
        double logWindowStates = 0, logHistStates = 0;
        boolean anyDenseDiscrete = false;
        for (Channel c : ch) {
            logWindowStates += Math.log(c.levels);
            if (!c.sparse && !c.continuous) { logHistStates += Math.log(c.levels); anyDenseDiscrete = true; }
        }
        int rawHist = 0;
        if (anyDenseDiscrete) {
            rawHist = 1;
            while (rawHist < MAX_RAW_HISTORY && (rawHist + 1) * logHistStates <= Math.log(RAW_HISTORY_STATES) + 1e-9) rawHist++;
        }

        int K = Math.min(opts.maxLag(), T);
        double[] info = new double[K];
        long[] wKey = new long[n], sKey = new long[n];
        double[][] wSum = new double[C][n], hSum = new double[C][n];
        SplittableRandom shuffleRng = new SplittableRandom(opts.seed() * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL);
        for (int k = 1; k <= K; k++) {
            boolean rawWindow = k * logWindowStates <= Math.log(RAW_WINDOW_STATES) + 1e-9;
            // Sums, then their per-lag ranges.
            for (int i = 0; i < n; i++) {
                int b = sb[i], t = st[i], start = Math.max(0, t - k + 1);
                for (int c = 0; c < C; c++) {
                    wSum[c][i] = cum[b][t + 1][c] - cum[b][start][c];
                    hSum[c][i] = cum[b][start][c];
                }
            }
            double[] wlo = new double[C], whi = new double[C], hlo = new double[C], hhi = new double[C];
            for (int c = 0; c < C; c++) {
                if (!ch[c].continuous) continue;
                wlo[c] = min(wSum[c]); whi[c] = max(wSum[c]);
                hlo[c] = Double.POSITIVE_INFINITY; hhi[c] = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if (st[i] - k < 0) continue; // empty history
                    hlo[c] = Math.min(hlo[c], hSum[c][i]); hhi[c] = Math.max(hhi[c], hSum[c][i]);
                }
            }
            for (int i = 0; i < n; i++) {
                int b = sb[i], t = st[i], start = Math.max(0, t - k + 1), end = t - k; // history = [0, end]
                long w = 0x3C6EF372L + k, s = 0xA54FF53AL;
                if (rawWindow) {
                    w = mix(w, t - start + 1);
                    for (int u = start; u <= t; u++) for (int c = 0; c < C; c++) w = mix(w, code[b][u][c]);
                } else {
                    for (int c = 0; c < C; c++) {
                        Channel cc = ch[c];
                        if (cc.sparse) {
                            int j = lastNz[b][t][c];
                            w = mix(w, j >= start ? code[b][j][c] : -1);
                        } else if (!cc.continuous) {
                            w = mix(w, code[b][t][c]);
                        }
                        if (cc.continuous) w = mix(w, bin(wSum[c][i], wlo[c], whi[c], bins));
                    }
                }
                if (end < 0) {
                    s = -1; // empty history
                } else {
                    for (int c = 0; c < C; c++) {
                        Channel cc = ch[c];
                        if (cc.sparse) {
                            int j = lastNz[b][end][c];
                            s = mix(s, j >= 0 ? code[b][j][c] : -1);
                        } else if (!cc.continuous) {
                            for (int u = end; u > end - rawHist; u--) s = mix(s, u >= 0 ? code[b][u][c] : -1);
                        }
                        if (cc.continuous) s = mix(s, bin(hSum[c][i], hlo[c], hhi[c], bins));
                    }
                }
                wKey[i] = w;
                sKey[i] = s;
            }
            info[k - 1] = conditionalMutualInformation(yKey, sKey, wKey, opts.shuffles(), shuffleRng);
        }
        double total = 0, peak = 0;
        for (double v : info) { total += v; peak = Math.max(peak, v); }
        double leff = peak > MEMORY_FLOOR ? total / peak : 0;
        return new Report(targetEntropy, info, total, leff, n, opts.seed());
    }

    // ---------------------------------------------------------------- information estimators

    /**
     * Shuffle-corrected plug-in CMI I(Y;S|W) in bits: the plug-in value minus the mean plug-in value
     * after permuting Y within each W stratum (which keeps p(y|w) and p(s|w) but breaks any Y-S
     * dependence given W).
     */
    public static double conditionalMutualInformation(long[] y, long[] s, long[] w, int shuffles, SplittableRandom rng) {
        int n = y.length;
        long[] yw = new long[n], sw = new long[n], ysw = new long[n];
        for (int i = 0; i < n; i++) {
            yw[i] = mix(mix(1, y[i]), w[i]);
            sw[i] = mix(mix(2, s[i]), w[i]);
            ysw[i] = mix(mix(mix(3, y[i]), s[i]), w[i]);
        }
        double hw = entropy(w), hyw = entropy(yw), hsw = entropy(sw);
        double base = hyw + hsw - hw;
        double plugIn = base - entropy(ysw);
        // Strata of W: sample indices grouped by dense w id (counting sort).
        int[] wid = denseIds(w);
        int nw = 0;
        for (int v : wid) nw = Math.max(nw, v + 1);
        int[] startOf = new int[nw + 1];
        for (int v : wid) startOf[v + 1]++;
        for (int j = 0; j < nw; j++) startOf[j + 1] += startOf[j];
        int[] order = new int[n], fill = Arrays.copyOf(startOf, nw);
        for (int i = 0; i < n; i++) order[fill[wid[i]]++] = i;
        long[] yp = new long[n];
        double null_ = 0;
        for (int r = 0; r < shuffles; r++) {
            for (int g = 0; g < nw; g++) {
                int from = startOf[g], len = startOf[g + 1] - from;
                // Fisher-Yates on the y values of this stratum.
                for (int j = 0; j < len; j++) yp[order[from + j]] = y[order[from + j]];
                for (int j = len - 1; j > 0; j--) {
                    int q = rng.nextInt(j + 1);
                    int a = order[from + j], c = order[from + q];
                    long tmp = yp[a]; yp[a] = yp[c]; yp[c] = tmp;
                }
            }
            for (int i = 0; i < n; i++) ysw[i] = mix(mix(mix(3, yp[i]), s[i]), w[i]);
            null_ += base - entropy(ysw);
        }
        return plugIn - null_ / shuffles;
    }

    /** Plug-in entropy (bits) of the symbols. */
    public static double entropy(long[] x) {
        return plugIn(new LongCounter(x));
    }

    /** Miller-Madow corrected entropy (bits): plug-in + (K - 1) / (2 N ln 2), K = occupied symbols. */
    public static double entropyMM(long[] x) {
        LongCounter c = new LongCounter(x);
        return plugIn(c) + (c.size - 1) / (2.0 * x.length * Math.log(2));
    }

    private static double plugIn(LongCounter c) {
        double n = c.total, h = 0;
        for (int i = 0; i < c.counts.length; i++) {
            int k = c.counts[i];
            if (k > 0) h -= k * Math.log(k / n);
        }
        return h / n / Math.log(2);
    }

    /** Dense ids 0.. in order of first appearance. */
    static int[] denseIds(long[] x) {
        LongCounter c = new LongCounter(x);
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) out[i] = c.id[c.slot(x[i])];
        return out;
    }

    /** Open-addressing counts of long symbols. */
    static final class LongCounter {
        final long[] keys;
        final int[] counts, id;
        final int mask;
        int size;
        final int total;

        LongCounter(long[] x) {
            int cap = Integer.highestOneBit(Math.max(4, x.length * 2) - 1) << 1;
            keys = new long[cap];
            counts = new int[cap];
            id = new int[cap];
            mask = cap - 1;
            total = x.length;
            for (long v : x) {
                int s = slot(v);
                if (counts[s]++ == 0) { keys[s] = v; id[s] = size++; }
            }
        }

        int slot(long v) {
            int s = (int) (mix(7, v) & mask);
            while (counts[s] != 0 && keys[s] != v) s = (s + 1) & mask;
            return s;
        }
    }

    static long mix(long h, long v) {
        long z = h * 0x9E3779B97F4A7C15L + v + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double min(double[] a) { double m = Double.POSITIVE_INFINITY; for (double v : a) m = Math.min(m, v); return m; }
    private static double max(double[] a) { double m = Double.NEGATIVE_INFINITY; for (double v : a) m = Math.max(m, v); return m; }
}
