package io.degen.metrics;

import io.degen.config.DegeneracyOptions;
import io.degen.config.RunStatus;
import io.degen.backend.JavaBackend;
import io.degen.config.ModelConfig;
import io.degen.config.RunConfig;
import io.degen.store.RunArtifacts;
import io.degen.config.TrainConfig;
import io.degen.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DegeneracyTest {
    private final JavaBackend be = new JavaBackend();

    /** Trains and stores a tiny flip-flop network; {@code threshold} only changes the id (never reached). */
    private RunArtifacts.Stored net(Path dir, long seed, double threshold) throws Exception {
        RunConfig r = new RunConfig(Map.of("type", "flipflop", "channels", 2, "time", 20), ModelConfig.standard(10),
                new TrainConfig(1e-2, 8, 4, 2, threshold, 3, 0.5, 40, 0, 0, io.degen.backend.DType.F32), seed);
        var res = new Trainer(be).train(r, null);
        // Count every network as converged so the three levels are computed on this tiny population.
        var conv = new io.degen.train.TrainResult(io.degen.config.RunStatus.CONVERGED, res.epochs(), res.finalLoss(),
                res.lossCurve(), res.wallSeconds(), res.initialWeights(), res.finalWeights(), res.backend());
        return RunArtifacts.read(RunArtifacts.write(dir, r, conv));
    }

    private static DegeneracyOptions opts() {
        return new DegeneracyOptions(2, 1, 6, "angular", 12, 16, 2, true, 2, 7L, 2, "java");
    }

    /**
     * The metrics engine is an option: on mkl the DSA fits and d_PIF products run in MKL/LAPACK and
     * the level matrices agree with the java engine's to rounding. Skipped where MKL does not load.
     */
    @Test
    void metricsBackendMklAgreesWithJava(@TempDir Path dir) throws Exception {
        String why = io.degen.backend.Backends.unavailableReason("mkl");
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, "mkl engine unavailable: " + why);
        List<RunArtifacts.Stored> runs = new ArrayList<>();
        for (long s = 0; s < 4; s++) runs.add(net(dir, s, 1e-9));
        Map<String, Object> onJava = Degeneracy.analyse(runs, opts(), be);
        Map<String, Object> onMkl = Degeneracy.analyse(runs, opts().withMetricsBackend("mkl"), be);
        for (String level : new String[] {"dynamics", "weights"}) {
            @SuppressWarnings("unchecked") double[][] j = (double[][]) ((Map<String, Object>) onJava.get(level)).get("matrix");
            @SuppressWarnings("unchecked") double[][] m = (double[][]) ((Map<String, Object>) onMkl.get(level)).get("matrix");
            for (int a = 0; a < 4; a++) for (int b = 0; b < 4; b++) {
                assertEquals(j[a][b], m[a][b], 1e-6 * (1 + j[a][b]), level + " (" + a + ", " + b + ")");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opts().withMetricsBackend("gpu"));
        assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
    }

    @Test
    void threeLevelsOnAPopulation(@TempDir Path dir) throws Exception {
        List<RunArtifacts.Stored> runs = new ArrayList<>();
        for (long s = 0; s < 4; s++) runs.add(net(dir, s, 1e-9));
        Map<String, Object> a = Degeneracy.analyse(runs, opts(), be);
        assertEquals(4, a.get("converged"));
        @SuppressWarnings("unchecked") Map<String, Object> dyn = (Map<String, Object>) a.get("dynamics");
        @SuppressWarnings("unchecked") Map<String, Object> w = (Map<String, Object>) a.get("weights");
        double[][] dm = (double[][]) dyn.get("matrix"), wm = (double[][]) w.get("matrix");
        assertEquals(4, dm.length);
        assertEquals(6, dyn.get("pairs"));
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
            assertEquals(dm[i][j], dm[j][i], 1e-12);
            assertEquals(wm[i][j], wm[j][i], 1e-12);
            if (i != j) { assertTrue(dm[i][j] > 0); assertTrue(wm[i][j] > 0); }
        }
        assertEquals(Pairwise.meanOffDiagonal(dm), (double) dyn.get("mean"), 1e-12);
        assertEquals((double) w.get("mean") / 100.0, (double) w.get("mean_per_param"), 1e-12);
        assertTrue(Double.isFinite((double) dyn.get("null_mean")));
        @SuppressWarnings("unchecked") Map<String, Object> beh = (Map<String, Object>) a.get("behaviour");
        assertTrue((double) beh.get("sd_ood_loss") > 0);
        @SuppressWarnings("unchecked") Map<String, Object> fl = (Map<String, Object>) a.get("feature_learning");
        double ka = (double) fl.get("kernel_alignment_mean");
        assertTrue(ka > 0 && ka <= 1 + 1e-12, "kernel alignment " + ka);
        assertTrue((double) fl.get("weight_change_recurrent_mean") > 0);
        // Reproducible: the same analysis twice gives the same numbers.
        Map<String, Object> b = Degeneracy.analyse(runs, opts(), be);
        assertEquals(dyn.get("mean"), ((Map<?, ?>) b.get("dynamics")).get("mean"));
        assertEquals(w.get("mean"), ((Map<?, ?>) b.get("weights")).get("mean"));
    }

    @Test
    void identicalNetworksAreZeroApartAtEveryLevel(@TempDir Path dir) throws Exception {
        List<RunArtifacts.Stored> runs = List.of(net(dir, 5, 1e-9), net(dir, 5, 2e-9));
        assertNotEquals(runs.get(0).id(), runs.get(1).id());
        Map<String, Object> a = Degeneracy.analyse(runs, opts(), be);
        assertEquals(0.0, (double) ((Map<?, ?>) a.get("behaviour")).get("sd_ood_loss"), 1e-12);
        assertEquals(0.0, (double) ((Map<?, ?>) a.get("dynamics")).get("mean"), 1e-3);
        assertEquals(0.0, (double) ((Map<?, ?>) a.get("weights")).get("mean"), 1e-12);
    }

    @Test
    void jointMatrixBlocksEqualEachConditionsOwnMatrix(@TempDir Path dir) throws Exception {
        List<RunArtifacts.Stored> a = List.of(net(dir, 0, 1e-9), net(dir, 1, 1e-9), net(dir, 2, 1e-9));
        List<RunArtifacts.Stored> b = List.of(net(dir, 3, 1e-9), net(dir, 4, 1e-9));
        Map<String, List<RunArtifacts.Stored>> by = new java.util.LinkedHashMap<>();
        by.put("A", a);
        by.put("B", b);
        Map<String, Object> joint = Degeneracy.jointDynamics(by, opts(), be);
        double[][] j = (double[][]) joint.get("matrix");
        assertEquals(5, j.length);
        assertEquals(List.of("A", "A", "A", "B", "B"), joint.get("conditions"));
        double[][] own = (double[][]) ((Map<?, ?>) Degeneracy.analyse(a, opts(), be).get("dynamics")).get("matrix");
        for (int i = 0; i < 3; i++) for (int k = 0; k < 3; k++) assertEquals(own[i][k], j[i][k], 1e-12);
        assertTrue(j[0][4] > 0);
    }

    @Test
    void populationSdUsesOneOverN() {
        assertEquals(1.0, Degeneracy.populationSd(new double[] {1, 3}), 1e-15);
        assertEquals(Math.sqrt(2.0 / 3.0), Degeneracy.populationSd(new double[] {1, 2, 3}), 1e-15);
    }
}
