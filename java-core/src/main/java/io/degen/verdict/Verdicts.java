package io.degen.verdict;

import io.degen.config.Level;
import io.degen.degeneracy.Behaviour;
import io.degen.degeneracy.ConditionResult;
import io.degen.degeneracy.Dynamics;
import io.degen.degeneracy.NetworkResult;
import io.degen.degeneracy.Weights;
import io.degen.statistics.Estimate;
import io.degen.statistics.Holm;
import io.degen.statistics.NetworkStats;
import io.degen.statistics.Trend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Judges figures level by level against their expected directions (docs/statistics.md):
 * <ul>
 *   <li>behaviour: the population SD of the networks' OOD losses per condition; the trend across the
 *       sweep by a permutation test that moves networks between conditions;</li>
 *   <li>dynamics: the mean pairwise DSA distance; trend by Welch's t on the conditions' leave-one-
 *       network-out jackknife SEs. Unresolved when in some condition the between-network distance
 *       does not exceed the same-network null (the interval of their difference reaches 0), or when
 *       the change across the sweep is smaller than the largest null;</li>
 *   <li>weights: the mean pairwise d_PIF (per parameter, /n^2, when the widths differ), tested like
 *       dynamics, beside the same test on the initial weights, on trained minus initial and on the
 *       scale-free matrices.</li>
 * </ul>
 * Holm's adjustment runs over every cell of the table; a cell agrees or disagrees only when its
 * adjusted p is below {@link #ALPHA}. Every bootstrap and permutation is seeded from the figure's
 * name and the level, so a table is reproducible to the last digit.
 */
public final class Verdicts {
    public static final double ALPHA = 0.05;
    /** Converged networks a condition needs before its spread or pairwise mean has an uncertainty. */
    public static final int MIN_NETWORKS = 3;
    static final List<Level> JUDGED = List.of(Level.BEHAVIOUR, Level.DYNAMICS, Level.WEIGHTS);

    private Verdicts() { }

    /** The verdict table of these figures (Holm over all of their cells). */
    public static VerdictTable judge(List<Figure> figures) {
        if (figures.isEmpty()) throw new VerdictException("no figure to judge");
        List<Draft> drafts = new ArrayList<>();
        for (Figure given : figures) {
            Figure f = given;
            if (f.conditions().size() < 2) {
                throw new VerdictException(f.source() + ": " + f.name() + " has " + f.conditions().size()
                        + " condition; a verdict compares at least 2 levels of one knob");
            }
            for (Figure.Condition c : f.conditions()) {
                if (c.result() == null) {
                    throw new VerdictException(f.source() + ": " + f.name() + " condition " + c.id() + " (" + f.knob() + " = " + c.value()
                            + ") has no metrics; run 'degen measure " + f.source() + "'");
                }
            }
            List<String> figureNotes = convergenceNotes(f);
            f = judgeable(f, figureNotes);
            boolean any = false;
            for (Level level : JUDGED) {
                if (!f.levels().contains(level)) continue;
                any = true;
                for (Figure.Condition c : f.conditions()) check(f, c, level);
                Draft d = switch (level) {
                    case BEHAVIOUR -> behaviour(f);
                    case DYNAMICS -> dynamics(f);
                    default -> weights(f);
                };
                d.notes.addAll(0, figureNotes);
                drafts.add(d);
            }
            if (!any) throw new VerdictException(f.source() + ": " + f.name() + " measures none of behaviour, dynamics, weights");
        }
        double[] p = new double[drafts.size()];
        for (int i = 0; i < p.length; i++) p[i] = drafts.get(i).effect.p();
        double[] adjusted = Holm.adjust(p);
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) cells.add(drafts.get(i).cell(adjusted[i]));
        return new VerdictTable(cells);
    }

    // ---- input checks --------------------------------------------------------------------------

    /**
     * The figure without its conditions of fewer than {@link #MIN_NETWORKS} converged networks, when
     * at least two conditions remain (as the paper leaves out networks that did not converge, a level
     * none of whose networks converged cannot take part); says so in {@code notes}. With fewer than
     * two left the figure is returned whole, and the check refuses it naming the condition.
     */
    private static Figure judgeable(Figure f, List<String> notes) {
        List<Figure.Condition> kept = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (Figure.Condition c : f.conditions()) {
            if (c.result().converged() >= MIN_NETWORKS) kept.add(c);
            else left.add(f.knob() + " = " + c.value() + ": " + c.result().converged() + "/" + c.result().networks() + " converged");
        }
        if (left.isEmpty() || kept.size() < 2) return f;
        notes.add(String.format(Locale.ROOT, "left out, fewer than %d converged networks: %s; the verdict compares the other %d levels",
                MIN_NETWORKS, String.join(", ", left), kept.size()));
        return new Figure(f.name(), f.source(), f.knob(), kept, f.levels(), f.expect());
    }

    private static void check(Figure f, Figure.Condition c, Level level) {
        ConditionResult r = c.result();
        String where = f.source() + ": " + f.name() + " condition " + c.id() + " (" + f.knob() + " = " + c.value() + ")";
        if (r.converged() < MIN_NETWORKS) {
            throw new VerdictException(where + " has " + r.converged() + " converged network(s) of " + r.networks()
                    + "; a verdict needs at least " + MIN_NETWORKS + " per condition");
        }
        Object measured = switch (level) {
            case BEHAVIOUR -> r.behaviour();
            case DYNAMICS -> r.dynamics() == null || r.dynamics().matrix() == null ? null : r.dynamics();
            default -> r.weights() == null || r.weights().matrix() == null ? null : r.weights();
        };
        if (measured == null) {
            throw new VerdictException(where + " has no " + level.label() + " measured; run 'degen measure " + f.source() + "'");
        }
        double[][] m = level == Level.DYNAMICS ? r.dynamics().matrix() : level == Level.WEIGHTS ? r.weights().matrix() : null;
        if (m != null) {
            String problem = matrixProblem(m, r.converged());
            if (problem == null && level == Level.WEIGHTS && r.weights().initialMatrix() != null) problem = matrixProblem(r.weights().initialMatrix(), r.converged());
            if (problem == null && level == Level.DYNAMICS && r.dynamics().nulls() != null) {
                double[] nulls = r.dynamics().nulls();
                if (nulls.length != r.converged()) problem = "holds " + nulls.length + " same-network nulls for " + r.converged() + " converged networks";
                for (int i = 0; problem == null && i < nulls.length; i++) if (!Double.isFinite(nulls[i])) problem = "has a non-finite null for network " + i;
            }
            if (problem != null) {
                throw new VerdictException(where + ": its " + level.label() + " matrix " + problem + "; run 'degen measure " + f.source() + "'");
            }
        }
        if (level == Level.BEHAVIOUR && oodLosses(r, NetworkResult::oodLoss) == null) {
            throw new VerdictException(where + " stores no per-network OOD loss; run 'degen measure " + f.source() + "'");
        }
    }

    /** Why a stored distance matrix cannot be judged (wrong size, non-finite entry), or null. */
    private static String matrixProblem(double[][] m, int converged) {
        if (m.length != converged) return "is " + m.length + " x " + m.length + " for " + converged + " converged networks";
        for (int i = 0; i < m.length; i++) {
            if (m[i].length != m.length) return "is not square (row " + i + " has " + m[i].length + " entries)";
            for (int j = 0; j < m.length; j++) if (i != j && !Double.isFinite(m[i][j])) return "has a non-finite distance at (" + i + ", " + j + ")";
        }
        return null;
    }

    /**
     * Whether the converged share differs across conditions: a permutation test of the chi-square
     * statistic (the networks' converged labels shuffled over the conditions, sizes kept), exact enough
     * at the small counts where the chi-square distribution is not; a note when it differs.
     */
    static List<String> convergenceNotes(Figure f) {
        int k = f.conditions().size();
        double conv = 0, all = 0;
        for (Figure.Condition c : f.conditions()) { conv += c.result().converged(); all += c.result().networks(); }
        List<String> notes = new ArrayList<>();
        if (conv == all || conv == 0) return notes;
        double share = conv / all, chi = 0;
        StringBuilder counts = new StringBuilder();
        for (Figure.Condition c : f.conditions()) {
            double n = c.result().networks(), e1 = n * share, e0 = n * (1 - share);
            double o1 = c.result().converged(), o0 = n - o1;
            chi += (o1 - e1) * (o1 - e1) / e1 + (o0 - e0) * (o0 - e0) / e0;
            if (counts.length() > 0) counts.append(", ");
            counts.append(c.value()).append(": ").append(c.result().converged()).append('/').append(c.result().networks());
        }
        double p = convergencePermutationP(f, chi, share);
        if (p < ALPHA) {
            notes.add(String.format(Locale.ROOT, "the share of networks that converged differs between conditions (%s; permutation chi-square p = %s): "
                    + "each condition's statistics describe a different selection of its networks", counts, format(p)));
        } else {
            notes.add(String.format(Locale.ROOT, "not every network converged (%s; the shares do not differ, permutation chi-square p = %s)", counts, format(p)));
        }
        return notes;
    }

    private static double convergencePermutationP(Figure f, double observed, double share) {
        int k = f.conditions().size(), all = 0;
        int[] sizes = new int[k];
        for (int c = 0; c < k; c++) { sizes[c] = f.conditions().get(c).result().networks(); all += sizes[c]; }
        boolean[] labels = new boolean[all];
        int conv = 0;
        for (Figure.Condition c : f.conditions()) conv += c.result().converged();
        for (int i = 0; i < conv; i++) labels[i] = true;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed(f, Level.BEHAVIOUR) ^ 0x9E3779B97F4A7C15L);
        int extreme = 0, permutations = 10000;
        for (int b = 0; b < permutations; b++) {
            for (int i = all - 1; i > 0; i--) { int j = r.nextInt(i + 1); boolean t = labels[i]; labels[i] = labels[j]; labels[j] = t; }
            double chi = 0;
            for (int c = 0, at = 0; c < k; c++) {
                int o1 = 0;
                for (int i = 0; i < sizes[c]; i++) if (labels[at + i]) o1++;
                at += sizes[c];
                double e1 = sizes[c] * share, e0 = sizes[c] * (1 - share);
                chi += (o1 - e1) * (o1 - e1) / e1 + (sizes[c] - o1 - e0) * (sizes[c] - o1 - e0) / e0;
            }
            if (chi >= observed - 1e-9) extreme++;
        }
        return (extreme + 1.0) / (permutations + 1.0);
    }

    // ---- behaviour -----------------------------------------------------------------------------

    private static Draft behaviour(Figure f) {
        long seed = seed(f, Level.BEHAVIOUR);
        List<ConditionEstimate> rows = new ArrayList<>();
        double[][] groups = new double[f.conditions().size()][];
        boolean overlap = false, beyondStored = true;
        for (int c = 0; c < groups.length; c++) {
            Figure.Condition x = f.conditions().get(c);
            groups[c] = oodLosses(x.result(), NetworkResult::oodLoss);
            rows.add(new ConditionEstimate(x.id(), x.value(), x.result().networks(), x.result().converged(),
                    NetworkStats.of(groups[c], NetworkStats::populationSd, seed + c)));
            Behaviour b = x.result().behaviour();
            if (b.oodOverlap() != null && b.oodOverlap() > 0) overlap = true;
            if (oodLosses(x.result(), NetworkResult::oodBeyondLoss) == null) beyondStored = false;
        }
        Trend.Result spread = Trend.spread(groups, NetworkStats::populationSd, seed);
        Draft d = new Draft(f, Level.BEHAVIOUR, "sd_ood", rows, Effect.of(spread));
        int[] sizes = new int[groups.length];
        for (int c = 0; c < sizes.length; c++) sizes[c] = groups[c].length;
        double floor = Trend.smallestSpreadP(sizes);
        if (floor >= ALPHA) {
            d.notes.add("with " + java.util.Arrays.toString(sizes).replaceAll("[\\[\\]]", "") + " converged networks the permutation test cannot give p below "
                    + format(floor) + ": this cell cannot be significant, whatever the effect");
        }
        if (Math.signum(spread.tested()) != Math.signum(spread.slope())) {
            d.directionless = true;
            d.notes.add("the SD and the tested spread statistic (mean absolute deviation from the median) move in opposite directions: "
                    + "no direction is judged");
        }
        if (overlap && beyondStored) {
            double[][] beyond = new double[groups.length][];
            StringBuilder shares = new StringBuilder();
            for (int c = 0; c < groups.length; c++) {
                Figure.Condition x = f.conditions().get(c);
                beyond[c] = oodLosses(x.result(), NetworkResult::oodBeyondLoss);
                Double o = x.result().behaviour().oodOverlap();
                if (shares.length() > 0) shares.append(", ");
                shares.append(x.value()).append(": ").append(o == null ? "0" : format(o));
            }
            Effect e = Effect.of(Trend.spread(beyond, NetworkStats::populationSd, seed + 7919));
            d.baselines.put("beyond_training", e);
            d.notes.add("the OOD set (the paper's definition) overlaps the training range (share of its trials training could draw: " + shares
                    + "); on OOD trials strictly beyond training the SD changes by " + effect(e) + " per step, p = " + format(e.p()));
        } else if (overlap) {
            d.notes.add("the OOD set overlaps the training range and this store has no beyond-training losses; run 'degen measure " + f.source() + "'");
        }
        return d;
    }

    /** The per-network values of the condition's converged networks in run order, or null when any is missing. */
    private static double[] oodLosses(ConditionResult r, Function<NetworkResult, Double> value) {
        if (r.perRun() == null || r.ids() == null) return null;
        double[] x = r.perNetwork(value);
        for (double v : x) if (!Double.isFinite(v)) return null;
        return x;
    }

    // ---- dynamics ------------------------------------------------------------------------------

    private static Draft dynamics(Figure f) {
        long seed = seed(f, Level.DYNAMICS);
        int k = f.conditions().size();
        List<ConditionEstimate> rows = new ArrayList<>();
        double[] est = new double[k], se = new double[k];
        int[] n = new int[k];
        List<String> unresolved = new ArrayList<>();
        double largestNull = 0;
        boolean nullsStored = true;
        for (int c = 0; c < k; c++) {
            Figure.Condition x = f.conditions().get(c);
            Dynamics dy = x.result().dynamics();
            Estimate between = NetworkStats.pairwise(dy.matrix(), seed + c);
            Estimate nul = null, excess = null;
            if (dy.nulls() != null && dy.nulls().length == dy.matrix().length) {
                nul = NetworkStats.of(dy.nulls(), NetworkStats::mean, seed + 100 + c);
                excess = NetworkStats.pairwiseExcess(dy.matrix(), dy.nulls(), seed + 200 + c);
                largestNull = Math.max(largestNull, nul.value());
                if (!(excess.lo() > 0)) {
                    unresolved.add(f.knob() + " = " + x.value() + ": between " + format(between.value()) + ", null " + format(nul.value()) + ", difference "
                            + format(excess.value()) + " [" + format(excess.lo()) + ", " + format(excess.hi()) + "]");
                }
            } else {
                nullsStored = false;
            }
            rows.add(new ConditionEstimate(x.id(), x.value(), x.result().networks(), x.result().converged(), between, nul, excess));
            est[c] = between.value();
            se[c] = between.se();
            n[c] = between.n();
        }
        Draft d = new Draft(f, Level.DYNAMICS, "dsa", rows, Effect.of(Trend.of(est, se, n)));
        if (rows.stream().allMatch(x -> x.excess() != null)) {
            double[] ex = new double[k], exSe = new double[k];
            for (int c = 0; c < k; c++) { ex[c] = rows.get(c).excess().value(); exSe[c] = rows.get(c).excess().se(); }
            Effect excess = Effect.of(Trend.of(ex, exSe, n));
            d.baselines.put("excess_over_null", excess);
            boolean carried = excess.p() < ALPHA && Math.signum(excess.slope()) == Math.signum(d.effect.slope());
            if (d.effect.p() < ALPHA && !carried) {
                d.unresolved = true;
                d.notes.add("the excess of the between-network distance over the same-network null shows no such trend (" + effect(excess)
                        + " per step, p = " + format(excess.p()) + "): the change may be the null's, i.e. of DSA's resolution, not of the networks");
            }
        }
        if (!nullsStored) {
            d.unresolved = true;
            d.notes.add("no same-network null is stored, so DSA's resolution is unknown; run 'degen measure " + f.source() + "'");
        }
        if (!unresolved.isEmpty()) {
            d.unresolved = true;
            d.notes.add("DSA does not resolve the networks of " + String.join("; ", unresolved)
                    + ": the between-network distance is not clearly above the same network refitted on other trials");
        }
        double span = Math.abs(d.effect.slope()) * (k - 1);
        if (nullsStored && span < largestNull) {
            d.unresolved = true;
            d.notes.add("the change across the sweep (" + format(span) + ") is smaller than the same-network null (up to " + format(largestNull) + ")");
        }
        return d;
    }

    // ---- weights -------------------------------------------------------------------------------

    private static Draft weights(Figure f) {
        long seed = seed(f, Level.WEIGHTS);
        int k = f.conditions().size();
        boolean widthsDiffer = false, baselines = true;
        int units0 = f.conditions().get(0).result().weights().units();
        for (Figure.Condition c : f.conditions()) {
            Weights w = c.result().weights();
            if (w.units() != units0) widthsDiffer = true;
            if (w.initialMatrix() == null || w.scaleFreeMatrix() == null) baselines = false;
        }
        boolean perParam = widthsDiffer;
        List<ConditionEstimate> rows = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            Figure.Condition x = f.conditions().get(c);
            Weights w = x.result().weights();
            rows.add(new ConditionEstimate(x.id(), x.value(), x.result().networks(), x.result().converged(),
                    NetworkStats.pairwise(scaled(w.matrix(), null, perParam ? w.units() : 1), seed + c)));
        }
        Draft d = new Draft(f, Level.WEIGHTS, perParam ? "pif_per_param" : "pif", rows, trend(rows));
        if (perParam) d.notes.add("the widths differ, so d_PIF is compared per parameter (divided by n^2)");
        if (!baselines) {
            d.notes.add("no initial-weight or scale-free baseline is stored (measured by an earlier degen); run 'degen measure " + f.source() + "'");
            return d;
        }
        Map<String, Effect> base = new LinkedHashMap<>();
        base.put("initial", baseline(f, seed + 1000, perParam, w -> scaled(w.initialMatrix(), null, perParam ? w.units() : 1)));
        base.put("excess", baseline(f, seed + 2000, perParam, w -> scaled(w.matrix(), w.initialMatrix(), perParam ? w.units() : 1)));
        base.put("scale_free", baseline(f, seed + 3000, perParam, w -> w.scaleFreeMatrix()));
        d.baselines.putAll(base);
        for (var e : base.entrySet()) {
            Effect b = e.getValue();
            if (b.p() < ALPHA && Math.signum(b.slope()) == Math.signum(d.effect.slope())) d.carriedBy.add(e.getKey());
        }
        Effect init = base.get("initial");
        if (d.carriedBy.contains("initial")) {
            d.notes.add("the initial weights already show this trend (" + effect(init) + " per step, p = " + format(init.p())
                    + "): the effect is at least partly that of the initialisation, not of training");
        }
        Effect free = base.get("scale_free");
        if (d.effect.p() < ALPHA && !d.carriedBy.contains("scale_free")) {
            boolean reversed = free.p() < ALPHA;
            d.notes.add("the matrices divided by their norms " + (reversed ? "move the other way (" + effect(free) + " per step, p = " + format(free.p()) + ")"
                    : "show no such trend (p = " + format(free.p()) + ")") + ": the effect is carried by the weights' size");
        }
        return d;
    }

    private static Effect baseline(Figure f, long seed, boolean perParam, Function<Weights, double[][]> matrix) {
        List<ConditionEstimate> rows = new ArrayList<>();
        for (int c = 0; c < f.conditions().size(); c++) {
            Figure.Condition x = f.conditions().get(c);
            rows.add(new ConditionEstimate(x.id(), x.value(), 0, 0, NetworkStats.pairwise(matrix.apply(x.result().weights()), seed + c)));
        }
        return trend(rows);
    }

    private static Effect trend(List<ConditionEstimate> rows) {
        int k = rows.size();
        double[] est = new double[k], se = new double[k];
        int[] n = new int[k];
        for (int c = 0; c < k; c++) {
            Estimate e = rows.get(c).estimate();
            est[c] = e.value();
            se[c] = e.se();
            n[c] = e.n();
        }
        return Effect.of(Trend.of(est, se, n));
    }

    /** (a - b) / units^2 elementwise; b may be null. */
    private static double[][] scaled(double[][] a, double[][] b, int units) {
        double s = 1.0 / ((double) units * units);
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) out[i][j] = (a[i][j] - (b == null ? 0 : b[i][j])) * s;
        }
        return out;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static long seed(Figure f, Level level) { return ((long) (f.name() + "/" + level.label()).hashCode()) << 16; }

    /** How verdict tables write numbers: 3 significant digits, scientific below 1e-3 and from 1e4. */
    public static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)) return String.format(Locale.ROOT, "%.2e", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** An effect as the tables write it: {@code +0.153 [0.116, 0.191]}. */
    public static String effect(Effect e) {
        return (e.slope() >= 0 ? "+" : "") + format(e.slope()) + " [" + format(e.lo()) + ", " + format(e.hi()) + "]";
    }

    /** A cell before the table's Holm adjustment. */
    private static final class Draft {
        final Figure figure;
        final Level level;
        final String statistic;
        final List<ConditionEstimate> rows;
        final Effect effect;
        final Map<String, Effect> baselines = new LinkedHashMap<>();
        final List<String> carriedBy = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        boolean unresolved, directionless;

        Draft(Figure figure, Level level, String statistic, List<ConditionEstimate> rows, Effect effect) {
            this.figure = figure;
            this.level = level;
            this.statistic = statistic;
            this.rows = rows;
            this.effect = effect;
        }

        Cell cell(double pHolm) {
            Direction expected = figure.expect().get(level);
            Outcome o;
            if (unresolved) o = Outcome.UNRESOLVED;
            else if (Double.isNaN(effect.p())) {
                o = Outcome.NOT_JUDGED;
                notes.add("no uncertainty could be estimated (every condition's SE is 0 or undefined): the effect is reported, not judged");
            }
            else if (directionless) o = Outcome.NOT_SIGNIFICANT;
            else if (expected == null) o = Outcome.NOT_JUDGED;
            else if (pHolm < ALPHA) o = expected.matches(effect.slope()) ? Outcome.AGREE : Outcome.DISAGREE;
            else o = Outcome.NOT_SIGNIFICANT;
            return new Cell(figure.name(), figure.knob(), level.label(), statistic, rows, effect, pHolm, expected, o,
                    baselines.isEmpty() ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(baselines)), level == Level.WEIGHTS && !baselines.isEmpty() ? List.copyOf(carriedBy) : null,
                    List.copyOf(notes));
        }
    }
}
