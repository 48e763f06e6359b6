package io.degen.verdict;

import io.degen.config.Level;
import io.degen.degeneracy.Behaviour;
import io.degen.degeneracy.ConditionResult;
import io.degen.degeneracy.Dynamics;
import io.degen.degeneracy.NetworkResult;
import io.degen.degeneracy.Weights;
import io.degen.statistics.NetworkStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Verdicts on synthetic figures with planted effects, and the refusals of data that cannot be judged. */
class VerdictsTest {
    static final Set<Level> ALL = EnumSet.of(Level.BEHAVIOUR, Level.DYNAMICS, Level.WEIGHTS);

    /** Points in R^8 with spread {@code sigma}: their Euclidean distances stand in for DSA or d_PIF. */
    static double[][] distances(int n, double sigma, SplittableRandom r) {
        double[][] p = new double[n][8];
        for (double[] row : p) for (int j = 0; j < 8; j++) row[j] = sigma * gaussian(r);
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) {
            double s = 0;
            for (int q = 0; q < 8; q++) s += (p[i][q] - p[j][q]) * (p[i][q] - p[j][q]);
            d[i][j] = d[j][i] = Math.sqrt(s);
        }
        return d;
    }

    static double gaussian(SplittableRandom r) { return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()); }

    /**
     * A condition of n networks: OOD losses with SD {@code oodSd}, DSA distances of spread {@code dsa}
     * with each network's null {@code nullShare} of its mean distance, weights of spread {@code pif}
     * around initial weights of spread 1 and {@code units} units.
     */
    static ConditionResult condition(String tag, int networks, int converged, double oodSd, double dsa, double nullShare, double pif,
                                     int units, SplittableRandom r) {
        List<String> ids = new ArrayList<>();
        Map<String, NetworkResult> perRun = new LinkedHashMap<>();
        double[] ood = new double[converged];
        for (int i = 0; i < converged; i++) {
            String id = tag + i;
            ids.add(id);
            ood[i] = 1 + oodSd * gaussian(r);
            perRun.put(id, new NetworkResult(ood[i], null, null, null, null));
        }
        double[][] dm = distances(converged, dsa, r);
        double[] nulls = new double[converged];
        double between = NetworkStats.pairMean(dm);
        for (int i = 0; i < converged; i++) nulls[i] = nullShare * between * (1 + 0.05 * gaussian(r));
        double[][] wm = distances(converged, pif, r), init = distances(converged, 1, r), free = distances(converged, 0.1, r);
        for (int i = 0; i < converged; i++) for (int j = 0; j < converged; j++) if (i != j) wm[i][j] += init[i][j];
        Behaviour b = new Behaviour(converged, NetworkStats.populationSd(ood), NetworkStats.mean(ood), Double.NaN);
        Dynamics d = new Dynamics("angular", 5, 1, 10, converged, between, NetworkStats.pairwiseSe(dm), converged * (converged - 1) / 2,
                NetworkStats.mean(nulls), Double.NaN, nulls, dm);
        Weights w = new Weights(converged, units, 4, NetworkStats.pairMean(wm), Double.NaN, Double.NaN, Double.NaN, 0, wm,
                NetworkStats.pairMean(init), init, NetworkStats.pairMean(free), free);
        return new ConditionResult(networks, converged, networks - converged, 0, ids, b, d, w, null, perRun);
    }

    static Figure figure(String name, Map<Level, Direction> expect, ConditionResult... cs) {
        List<Figure.Condition> conds = new ArrayList<>();
        for (int i = 0; i < cs.length; i++) conds.add(new Figure.Condition("c" + i, i + 1, cs[i]));
        return new Figure(name, "/stores/" + name, "task.channels", conds, ALL, expect);
    }

    static Cell cell(VerdictTable t, String figure, String level) {
        for (Cell c : t.cells()) if (c.figure().equals(figure) && c.level().equals(level)) return c;
        throw new AssertionError("no cell " + figure + " " + level);
    }

    @Test void plantedEffectsAgreeOrDisagreeWithTheExpectedDirection() {
        SplittableRandom r = new SplittableRandom(1);
        // dynamics spread falls 1.0 -> 0.6 -> 0.3 with a null of 20% of it; weights rise; behaviour SD quadruples
        ConditionResult a = condition("a", 20, 20, 0.05, 1.0, 0.2, 0.5, 32, r);
        ConditionResult b = condition("b", 20, 20, 0.10, 0.6, 0.2, 1.0, 32, r);
        ConditionResult c = condition("c", 20, 20, 0.20, 0.3, 0.2, 1.5, 32, r);
        Map<Level, Direction> paper = Map.of(Level.BEHAVIOUR, Direction.DOWN, Level.DYNAMICS, Direction.DOWN, Level.WEIGHTS, Direction.UP);
        VerdictTable t = Verdicts.judge(List.of(figure("planted", paper, a, b, c)));
        assertEquals(Outcome.DISAGREE, cell(t, "planted", "behaviour").verdict(), "SD rises, the paper says down");
        Cell dyn = cell(t, "planted", "dynamics");
        assertEquals(Outcome.AGREE, dyn.verdict(), dyn.notes().toString());
        assertTrue(dyn.effect().slope() < 0 && dyn.effect().hi() < 0);
        assertEquals("welch-t", dyn.effect().test());
        assertEquals(3, dyn.conditions().size());
        assertTrue(dyn.conditions().get(0).excess().lo() > 0, "between clearly above the null");
        Cell w = cell(t, "planted", "weights");
        assertEquals(Outcome.AGREE, w.verdict());
        assertEquals("pif", w.statistic(), "one width: raw d_PIF");
        assertEquals(List.of("excess"), w.carriedBy(), "the initial weights have the same spread in every condition");
        assertEquals(Outcome.DISAGREE, cell(Verdicts.judge(List.of(figure("planted", Map.of(Level.WEIGHTS, Direction.DOWN), a, b, c))), "planted", "weights").verdict());
        assertEquals(Outcome.NOT_JUDGED, cell(Verdicts.judge(List.of(figure("planted", Map.of(), a, b, c))), "planted", "weights").verdict());
        assertTrue(t.markdown().contains("| planted | task.channels | weights | pif |"), t.markdown());
        assertEquals(1, t.counts().get("weights").get("agree"));
        assertEquals(1, t.counts().get("behaviour").get("disagree"));
        assertEquals(t, Verdicts.judge(List.of(figure("planted", paper, a, b, c))), "seeded: the same table twice");
    }

    @Test void noEffectIsNotSignificantAndHolmRunsOverTheTable() {
        SplittableRandom r = new SplittableRandom(2);
        List<Figure> figs = new ArrayList<>();
        Map<Level, Direction> paper = Map.of(Level.BEHAVIOUR, Direction.DOWN, Level.DYNAMICS, Direction.DOWN, Level.WEIGHTS, Direction.UP);
        for (int f = 0; f < 3; f++) {
            figs.add(figure("null" + f, paper, condition("a", 12, 12, 0.1, 1, 0.2, 1, 32, r), condition("b", 12, 12, 0.1, 1, 0.2, 1, 32, r)));
        }
        VerdictTable t = Verdicts.judge(figs);
        assertEquals(9, t.cells().size());
        double[] p = t.cells().stream().mapToDouble(c -> c.effect().p()).toArray();
        double[] holm = io.degen.statistics.Holm.adjust(p);
        for (int i = 0; i < p.length; i++) {
            assertEquals(holm[i], t.cells().get(i).pHolm(), 1e-15, "Holm over all 9 cells");
            assertTrue(t.cells().get(i).pHolm() >= p[i]);
        }
        long significant = t.cells().stream().filter(c -> c.verdict() == Outcome.AGREE || c.verdict() == Outcome.DISAGREE).count();
        assertEquals(0, significant, t.markdown());
    }

    @Test void dsaThatDoesNotExceedItsNullIsUnresolvedWhateverTheEffect() {
        SplittableRandom r = new SplittableRandom(3);
        // a large planted fall, but every network's null is as large as the between-network distance
        VerdictTable t = Verdicts.judge(List.of(figure("noisy", Map.of(Level.DYNAMICS, Direction.DOWN),
                condition("a", 16, 16, 0.1, 1.0, 1.1, 1, 32, r), condition("b", 16, 16, 0.1, 0.3, 1.1, 1, 32, r))));
        Cell dyn = cell(t, "noisy", "dynamics");
        assertTrue(dyn.effect().p() < 1e-4, "the effect itself is clear: p = " + dyn.effect().p());
        assertEquals(Outcome.UNRESOLVED, dyn.verdict());
        assertTrue(dyn.notes().stream().anyMatch(n -> n.contains("DSA does not resolve")), dyn.notes().toString());
        // resolved in each condition, but the change across the sweep is below the null of the first condition
        VerdictTable small = Verdicts.judge(List.of(figure("small", Map.of(Level.DYNAMICS, Direction.DOWN),
                condition("a", 16, 16, 0.1, 1.0, 0.6, 1, 32, r), condition("b", 16, 16, 0.1, 0.7, 0.6, 1, 32, r))));
        Cell s = cell(small, "small", "dynamics");
        assertEquals(Outcome.UNRESOLVED, s.verdict(), s.toString());
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("smaller than the same-network null")), s.notes().toString());
    }

    @Test void widthsThatDifferAreComparedPerParameterBesideTheInitialBaseline() {
        SplittableRandom r = new SplittableRandom(4);
        // the same distances at 16 and 64 units: per parameter they fall 16-fold, and so do the initial weights'
        ConditionResult narrow = condition("a", 12, 12, 0.1, 1, 0.2, 1, 16, r), wide = condition("b", 12, 12, 0.1, 1, 0.2, 1, 64, r);
        VerdictTable t = Verdicts.judge(List.of(figure("width", Map.of(Level.WEIGHTS, Direction.DOWN), narrow, wide)));
        Cell w = cell(t, "width", "weights");
        assertEquals("pif_per_param", w.statistic());
        assertEquals(Outcome.AGREE, w.verdict());
        assertTrue(w.carriedBy().contains("initial"), w.toString());
        assertTrue(w.notes().stream().anyMatch(n -> n.contains("initial weights already show this trend")), w.notes().toString());
        assertFalse(w.carriedBy().contains("scale_free"));
    }

    @Test void aConvergenceShareThatDiffersIsFlagged() {
        SplittableRandom r = new SplittableRandom(5);
        VerdictTable t = Verdicts.judge(List.of(figure("conv", Map.of(), condition("a", 20, 20, 0.1, 1, 0.2, 1, 32, r),
                condition("b", 20, 6, 0.1, 1, 0.2, 1, 32, r))));
        for (Cell c : t.cells()) {
            assertTrue(c.notes().get(0).startsWith("the share of networks that converged differs"), c.notes().toString());
            assertEquals(6, c.conditions().get(1).converged());
            assertEquals(20, c.conditions().get(1).networks());
        }
    }

    @Test void aDsaEffectThatIsTheNullsIsUnresolved() {
        SplittableRandom r = new SplittableRandom(7);
        // between-network DSA falls 1.0 -> 0.8, but so does every network's null (0.7 -> 0.5): the excess does not move
        ConditionResult a = condition("a", 16, 16, 0.1, 1.0, 0.7, 1, 32, r), b = condition("b", 16, 16, 0.1, 0.8, 0.6, 1, 32, r);
        Cell dyn = cell(Verdicts.judge(List.of(figure("nullish", Map.of(Level.DYNAMICS, Direction.DOWN), a, b))), "nullish", "dynamics");
        assertNotNull(dyn.baselines().get("excess_over_null"), dyn.toString());
        if (dyn.effect().p() < Verdicts.ALPHA && dyn.baselines().get("excess_over_null").p() >= Verdicts.ALPHA) {
            assertEquals(Outcome.UNRESOLVED, dyn.verdict());
            assertTrue(dyn.notes().stream().anyMatch(n -> n.contains("may be the null's")), dyn.notes().toString());
        }
        assertNotEquals(Outcome.AGREE, dyn.verdict(), dyn.toString());
    }

    @Test void aBehaviourCellThatCannotBeSignificantSaysSo() {
        SplittableRandom r = new SplittableRandom(8);
        VerdictTable t = Verdicts.judge(List.of(figure("tiny", Map.of(Level.BEHAVIOUR, Direction.UP),
                condition("a", 5, 3, 0.01, 1, 0.2, 1, 32, r), condition("b", 5, 5, 1.0, 1, 0.2, 1, 32, r))));
        Cell b = cell(t, "tiny", "behaviour");
        assertEquals(Outcome.NOT_SIGNIFICANT, b.verdict(), "a hundredfold spread, but 3 vs 5 networks: " + b);
        assertTrue(b.notes().stream().anyMatch(n -> n.contains("cannot be significant, whatever the effect")), b.notes().toString());
    }

    @Test void matricesThatDoNotFitTheirConditionAreRefused() {
        SplittableRandom r = new SplittableRandom(9);
        ConditionResult ok = condition("a", 6, 6, 0.1, 1, 0.2, 1, 32, r), bad = condition("b", 6, 6, 0.1, 1, 0.2, 1, 32, r);
        bad.dynamics().matrix()[1][2] = Double.NaN;
        VerdictException e = assertThrows(VerdictException.class, () -> Verdicts.judge(List.of(figure("nan", Map.of(), ok, bad))));
        assertEquals("/stores/nan: nan condition c1 (task.channels = 2): its dynamics matrix has a non-finite distance at (1, 2); run 'degen measure /stores/nan'",
                e.getMessage());
        ConditionResult small = condition("c", 6, 6, 0.1, 1, 0.2, 1, 32, r);
        ConditionResult lying = new ConditionResult(8, 8, 0, 0, small.ids(), small.behaviour(), small.dynamics(), small.weights(), null, small.perRun());
        e = assertThrows(VerdictException.class, () -> Verdicts.judge(List.of(figure("size", Map.of(), ok, lying))));
        assertTrue(e.getMessage().contains("is 6 x 6 for 8 converged networks"), e.getMessage());
    }

    /** A level none (or too few) of whose networks converged is left out, named in the notes, when two levels remain. */
    @Test void aLevelWithTooFewConvergedNetworksIsLeftOutAndNamed() {
        SplittableRandom r = new SplittableRandom(8);
        ConditionResult none = condition("z", 8, 0, 0.1, 1, 0.2, 1, 32, r),
                a = condition("a", 8, 8, 0.1, 1, 0.2, 1, 32, r), b = condition("b", 8, 8, 0.1, 1, 0.2, 2, 32, r);
        VerdictTable t = Verdicts.judge(List.of(figure("drop", Map.of(), none, a, b)));
        VerdictTable kept = Verdicts.judge(List.of(figure("drop", Map.of(), a, b)));
        assertEquals(3, t.cells().size());
        for (int i = 0; i < 3; i++) {
            Cell c = t.cells().get(i), k = kept.cells().get(i);
            assertEquals(2, c.conditions().size(), "two levels judged");
            assertEquals(k.effect(), c.effect(), "the same as judging the two levels alone");
            assertTrue(c.notes().stream().anyMatch(n -> n.equals("left out, fewer than 3 converged networks: task.channels = 1: 0/8 converged; "
                    + "the verdict compares the other 2 levels")), c.notes().toString());
        }
    }

    @Test void dataThatCannotBeJudgedIsRefusedNamingTheCondition() {
        SplittableRandom r = new SplittableRandom(6);
        ConditionResult ok = condition("a", 8, 8, 0.1, 1, 0.2, 1, 32, r), few = condition("b", 8, 2, 0.1, 1, 0.2, 1, 32, r);
        VerdictException e = assertThrows(VerdictException.class, () -> Verdicts.judge(List.of(figure("few", Map.of(), ok, few))));
        assertEquals("/stores/few: few condition c1 (task.channels = 2) has 2 converged network(s) of 8; a verdict needs at least 3 per condition", e.getMessage());
        e = assertThrows(VerdictException.class, () -> Verdicts.judge(List.of(figure("one", Map.of(), ok))));
        assertEquals("/stores/one: one has 1 condition; a verdict compares at least 2 levels of one knob", e.getMessage());
        ConditionResult noDyn = new ConditionResult(8, 8, 0, 0, ok.ids(), ok.behaviour(), null, ok.weights(), null, ok.perRun());
        e = assertThrows(VerdictException.class, () -> Verdicts.judge(List.of(figure("nodyn", Map.of(), ok, noDyn))));
        assertEquals("/stores/nodyn: nodyn condition c1 (task.channels = 2) has no dynamics measured; run 'degen measure /stores/nodyn'", e.getMessage());
        e = assertThrows(VerdictException.class, () -> Verdicts.judge(List.of(figure("none", Map.of(), ok, null))));
        assertTrue(e.getMessage().contains("condition c1 (task.channels = 2) has no metrics"), e.getMessage());
        assertThrows(VerdictException.class, () -> Verdicts.judge(List.of()));
    }
}
