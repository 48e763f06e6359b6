package io.degen.degeneracy;

import io.degen.statistics.NetworkStats;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.Level;
import io.degen.config.MeasureOptions;
import io.degen.config.ModelConfig;
import io.degen.config.RunConfig;
import io.degen.config.RunStatus;
import io.degen.config.TrainConfig;
import io.degen.metrics.Pairwise;
import io.degen.testkit.Engines;
import io.degen.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class AnalysisTest {
    private static final Backend be = Engines.JAVA;

    /** Trains a tiny flip-flop network; {@code threshold} only changes the id (never reached). */
    static Network net(long seed, double threshold) {
        RunConfig r = new RunConfig(Map.of("type", "flipflop", "channels", 2, "time", 20), ModelConfig.standard(10),
                new TrainConfig(1e-2, 8, 4, 2, threshold, 3, 0.5, 40, 0, 0, io.degen.backend.DType.F32), seed);
        var res = new Trainer(be).train(r, null);
        // Count every network as converged so the levels are computed on this tiny population.
        return new Network(r.id(), r, RunStatus.CONVERGED, res.finalWeights(), res.initialWeights());
    }

    static Population population(String cid, long... seeds) {
        List<Network> nets = new ArrayList<>();
        for (long s : seeds) nets.add(net(s, 1e-9));
        return new Population(cid, nets);
    }

    static MeasureOptions opts() {
        return new MeasureOptions(2, 1, 6, "angular", 12, 16, 2, true, 2, 7L, 2, "java");
    }

    private static ConditionResult analyse(Population p, MeasureOptions o) {
        return new Analysis(be, Engines.JAVA, o).analyse(p, Analysis.allLevels());
    }

    /**
     * The metrics engine is an option: on mkl the DSA fits and d_PIF products run in MKL/LAPACK and
     * the level matrices agree with the java engine's to rounding. Skipped where MKL does not load.
     */
    @Test
    void metricsBackendMklAgreesWithJava() {
        String why = Backends.unavailableReason("mkl");
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, "mkl engine unavailable: " + why);
        Population p = population("c", 0, 1, 2, 3);
        ConditionResult onJava = analyse(p, opts());
        ConditionResult onMkl;
        try (Backend mkl = Backends.create("mkl")) {
            onMkl = new Analysis(be, mkl, opts().withMetricsBackend("mkl")).analyse(p, Analysis.allLevels());
        }
        double[][][] j = {onJava.dynamics().matrix(), onJava.weights().matrix()}, m = {onMkl.dynamics().matrix(), onMkl.weights().matrix()};
        for (int l = 0; l < 2; l++) for (int a = 0; a < 4; a++) for (int b = 0; b < 4; b++) {
            assertEquals(j[l][a][b], m[l][a][b], 1e-6 * (1 + j[l][a][b]), (l == 0 ? "dynamics" : "weights") + " (" + a + ", " + b + ")");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opts().withMetricsBackend("gpu"));
        assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
    }

    @Test
    void threeLevelsOnAPopulation() {
        Population p = population("c", 0, 1, 2, 3);
        ConditionResult a = analyse(p, opts());
        assertEquals(4, a.converged());
        Dynamics dyn = a.dynamics();
        Weights w = a.weights();
        double[][] dm = dyn.matrix(), wm = w.matrix();
        assertEquals(4, dm.length);
        assertEquals(6, dyn.pairs());
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
            assertEquals(dm[i][j], dm[j][i], 1e-12);
            assertEquals(wm[i][j], wm[j][i], 1e-12);
            if (i != j) { assertTrue(dm[i][j] > 0); assertTrue(wm[i][j] > 0); }
        }
        assertEquals(NetworkStats.pairMean(dm), dyn.mean(), 1e-12);
        assertEquals(NetworkStats.pairwiseSe(dm), dyn.se(), 1e-12, "the SE leaves out networks, not pairs");
        assertEquals(NetworkStats.pairwiseSe(wm), w.se(), 1e-12);
        assertEquals(w.mean() / 100.0, w.meanPerParam(), 1e-12);
        assertTrue(Double.isFinite(dyn.nullMean()));
        assertTrue(a.behaviour().sdOodLoss() > 0);
        double ka = a.featureLearning().kernelAlignmentMean();
        assertTrue(ka > 0 && ka <= 1 + 1e-12, "kernel alignment " + ka);
        assertTrue(a.featureLearning().weightChangeRecurrentMean() > 0);
        // Reproducible: the same analysis twice gives the same numbers.
        ConditionResult b = analyse(p, opts());
        assertEquals(dyn.mean(), b.dynamics().mean());
        assertEquals(w.mean(), b.weights().mean());
    }

    @Test
    void identicalNetworksAreZeroApartAtEveryLevel() {
        Population p = new Population("c", List.of(net(5, 1e-9), net(5, 2e-9)));
        assertNotEquals(p.networks().get(0).id(), p.networks().get(1).id());
        ConditionResult a = analyse(p, opts());
        assertEquals(0.0, a.behaviour().sdOodLoss(), 1e-12);
        assertEquals(0.0, a.dynamics().mean(), 1e-3);
        assertEquals(0.0, a.weights().mean(), 1e-12);
    }

    @Test
    void jointMatrixBlocksEqualEachConditionsOwnMatrix() {
        Population a = population("A", 0, 1, 2), b = population("B", 3, 4);
        JointDynamics joint = new Analysis(be, Engines.JAVA, opts()).jointDynamics(List.of(a, b));
        double[][] j = joint.matrix();
        assertEquals(5, j.length);
        assertEquals(List.of("A", "A", "A", "B", "B"), joint.conditions());
        double[][] own = analyse(a, opts()).dynamics().matrix();
        for (int i = 0; i < 3; i++) for (int k = 0; k < 3; k++) assertEquals(own[i][k], j[i][k], 1e-12);
        assertTrue(j[0][4] > 0);
    }

    /** Only the levels asked for are computed: a behaviour-only analysis fits no DSA operator and solves no d_PIF. */
    @Test
    void onlyRequestedLevelsAreComputed() {
        Population p = population("c", 0, 1, 2);
        ConditionResult beh = new Analysis(be, Engines.JAVA, opts()).analyse(p, EnumSet.of(Level.BEHAVIOUR));
        assertNotNull(beh.behaviour());
        assertNull(beh.dynamics());
        assertNull(beh.weights());
        assertNull(beh.featureLearning());
        assertEquals(List.of("behaviour_sd_ood", "behaviour_mean_ood", "share_converged"),
                beh.metrics().stream().map(MetricValue::metric).toList());
        ConditionResult all = analyse(p, opts());
        assertEquals(all.behaviour(), beh.behaviour(), "a level's numbers do not depend on the other levels asked for");
        ConditionResult w = new Analysis(be, Engines.JAVA, opts()).analyse(p, Set.of(Level.WEIGHTS));
        assertArrayEquals(all.weights().matrix()[1], w.weights().matrix()[1], 0.0);
        assertTrue(w.perRun().isEmpty());
    }

    /** Beside d_PIF: the same statistic on the initial matrices, and scale-free (each matrix over its Frobenius norm). */
    @Test
    void weightBaselines() {
        Population p = population("c", 0, 1, 2);
        Weights w = new Analysis(be, Engines.JAVA, opts()).analyse(p, EnumSet.of(Level.WEIGHTS)).weights();
        assertEquals(3, w.initialMatrix().length);
        assertTrue(w.initialMean() > 0);
        assertNotEquals(w.mean(), w.initialMean(), "training moved the weights");
        // Scaling every trained matrix by 3 multiplies d_PIF by 3 and leaves the scale-free distances alone.
        List<Network> scaled = new ArrayList<>();
        for (Network n : p.networks()) {
            Map<String, io.degen.io.NdArray> ws = new java.util.LinkedHashMap<>(n.weights());
            io.degen.io.NdArray r = ws.get("weight_hh_l0");
            double[] d = r.data().clone();
            for (int i = 0; i < d.length; i++) d[i] *= 3;
            ws.put("weight_hh_l0", new io.degen.io.NdArray(r.shape(), d, r.dtype()));
            scaled.add(new Network(n.id(), n.config(), n.status(), ws, n.initialWeights()));
        }
        Weights s = new Analysis(be, Engines.JAVA, opts()).analyse(new Population("c", scaled), EnumSet.of(Level.WEIGHTS)).weights();
        assertEquals(3 * w.mean(), s.mean(), 1e-9 * w.mean());
        assertEquals(w.scaleFreeMean(), s.scaleFreeMean(), 1e-12);
        assertEquals(w.initialMean(), s.initialMean(), 0.0);
    }

    /** With {@code probe per-network} each network runs on trials of its own, the same in every analysis. */
    @Test
    void perNetworkProbes() {
        Population p = population("c", 0, 1, 2);
        Dynamics shared = analyse(p, opts()).dynamics();
        MeasureOptions own = opts().withProbe(MeasureOptions.PER_NETWORK);
        Dynamics a = analyse(p, own).dynamics(), b = analyse(p, own).dynamics();
        assertArrayEquals(a.matrix()[0], b.matrix()[0], 0.0);
        assertNotEquals(shared.matrix()[0][1], a.matrix()[0][1]);
        // A network and its identical copy (another id) are not at distance 0 any more: they saw different trials.
        Population twins = new Population("t", List.of(net(5, 1e-9), net(5, 2e-9)));
        assertTrue(analyse(twins, own).dynamics().mean() > 1e-3);
        assertThrows(IllegalArgumentException.class, () -> opts().withProbe("each"));
    }

    /** Where the OOD form overlaps training (a doubled delay), the SD is also measured strictly beyond training. */
    @Test
    void oodBeyondTraining() {
        var task = io.degen.task.TaskRegistry.create(Map.of("type", "delayed-discrimination", "delay-max", 30));
        assertEquals(21 / 51.0, task.oodOverlap(), 1e-15);
        assertEquals(1 / 11.0, io.degen.task.TaskRegistry.create(Map.of("type", "delayed-discrimination", "delay-max", 10)).oodOverlap(), 1e-15);
        assertEquals(0.0, io.degen.task.TaskRegistry.create(Map.of("type", "flipflop")).oodOverlap());
        // Every beyond-training trial's second pulse comes after a delay longer than any training delay (onset 5).
        var tb = task.oodBeyondBatch(200, new java.util.SplittableRandom(3));
        for (int b = 0; b < tb.batch(); b++) {
            int second = -1;
            for (int t = 6; t < tb.time(); t++) if (tb.input()[tb.inIndex(b, t, 0)] != 0) { second = t; break; }
            int delay = second - 6;
            assertTrue(delay > 30 && delay <= 60, "delay " + delay);
        }
        ConditionResult ff = analyse(population("c", 0, 1, 2), opts());
        assertNull(ff.behaviour().oodOverlap(), "flip-flop's doubled trials lie beyond training");
    }

    @Test
    void populationSdUsesOneOverN() {
        assertEquals(1.0, NetworkStats.populationSd(new double[] {1, 3}), 1e-15);
        assertEquals(Math.sqrt(2.0 / 3.0), NetworkStats.populationSd(new double[] {1, 2, 3}), 1e-15);
    }
}
