package io.degen.pipeline;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.Plan;
import io.degen.config.RunConfig;
import io.degen.store.Catalog;
import io.degen.store.RunArtifacts;
import io.degen.store.StoreLock;
import io.degen.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.degen.plan.TinySpecs.flipflop;
import static io.degen.plan.TinySpecs.list;
import static io.degen.plan.TinySpecs.with;
import static org.junit.jupiter.api.Assertions.*;

class ExperimentTest {
    static Plan tinyPlan() {
        return ExperimentSpec.fromMap(with(flipflop(), "control", "nuclear", list(0, 1e-3))).compile();
    }

    /** A metrics engine that does not load here fails the run before any training, naming the field. */
    @Test void unusableMetricsEngineFailsBeforeTraining(@TempDir Path dir) throws Exception {
        String why = Backends.unavailableReason("cuda");
        org.junit.jupiter.api.Assumptions.assumeTrue(why != null, "cuda loads on this machine");
        Plan plan = ExperimentSpec.fromMap(with(flipflop(), "measure", "metrics-backend", "cuda")).compile();
        Path out = dir.resolve("out");
        try (Backend be = Backends.create("java")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Experiment.run(plan, out, Experiment.TrainOptions.workers(1), false, be, new PrintStream(new ByteArrayOutputStream())));
            assertTrue(e.getMessage().contains("measure.metrics-backend cuda"), e.getMessage());
        }
        assertFalse(Files.exists(out), "nothing may be written");
    }

    @Test void endToEndResumableAndRepairsCorruptNetworks(@TempDir Path out) throws Exception {
        Plan plan = tinyPlan();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(log, true);
        try (Backend be = Backends.create("java")) {
            RunSummary r1 = Experiment.run(plan, out, Experiment.TrainOptions.workers(2), false, be, err);
            assertEquals(4, r1.runs());
            assertEquals(4, r1.trained());
            assertTrue(r1.metrics());
            assertEquals(2, r1.conditionsAnalysed());
            for (RunConfig r : plan.runs()) assertTrue(RunArtifacts.isComplete(out.resolve("runs"), r.id()));
            assertTrue(Files.isRegularFile(out.resolve("plan.json")));
            assertEquals(4, Json.read(out.resolve("plan.json")).get("runs").size());
            for (Plan.Condition c : plan.conditions()) {
                var m = Json.read(out.resolve("metrics").resolve(c.id() + ".json"));
                assertEquals(c.id(), m.get("condition_id").asText());
                assertEquals(2, m.get("analysis").get("networks").asInt());
                assertTrue(m.get("metrics").has("share_converged"));
            }
            try (Catalog cat = Catalog.open(out)) {
                assertEquals(4, cat.runs().size());
                assertEquals(2, cat.query("SELECT * FROM conditions").size());
                assertEquals(2, cat.query("SELECT * FROM condition_metrics WHERE metric = 'share_converged'").size());
                for (var row : cat.runs()) assertEquals("tiny", row.get("spec_name"));
            }
            assertTrue(log.toString().contains("[metrics 2/2]"), log.toString());

            RunSummary r2 = Experiment.run(plan, out, Experiment.TrainOptions.workers(2), false, be, err);
            assertEquals(0, r2.trained());
            assertEquals(4, r2.skipped());
            assertTrue(r2.outcomes().stream().allMatch(TrainingPool.Outcome::skipped));

            RunConfig victim = plan.runs().get(1), gone = plan.runs().get(2);
            Path w = RunArtifacts.dirFor(out.resolve("runs"), victim.id()).resolve(RunArtifacts.WEIGHTS);
            byte[] bytes = Files.readAllBytes(w);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(w, bytes);
            Files.delete(RunArtifacts.dirFor(out.resolve("runs"), gone.id()).resolve(RunArtifacts.WEIGHTS));
            RunSummary r3 = Experiment.run(plan, out, Experiment.TrainOptions.workers(2), false, be, err);
            assertEquals(java.util.Set.of(victim.id(), gone.id()), new java.util.HashSet<>(r3.corrupt()));
            assertEquals(2, r3.trained());
            assertEquals(2, r3.skipped());
            assertTrue(RunArtifacts.isComplete(out.resolve("runs"), victim.id()));
            assertTrue(RunArtifacts.isComplete(out.resolve("runs"), gone.id()));
            assertTrue(log.toString().contains("corrupt stored network " + victim.id()));
            try (Catalog cat = Catalog.open(out)) { assertEquals(4, cat.runs().size()); }
        }
    }

    @Test void shardsTrainTheirRunsAndMetricsWaitForAll(@TempDir Path out) throws Exception {
        Plan plan = tinyPlan();
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true);
        try (Backend be = Backends.create("java")) {
            RunSummary a = Experiment.run(plan, out, new Experiment.TrainOptions(1, 1, 0, 2), false, be, err);
            assertEquals(plan.shard(0, 2).size(), a.trained());
            assertFalse(a.metrics());
            assertFalse(Files.exists(out.resolve("metrics")));
            RunSummary b = Experiment.run(plan, out, new Experiment.TrainOptions(1, 1, 1, 2), false, be, err);
            assertEquals(plan.shard(1, 2).size(), b.trained());
            assertEquals(4, a.trained() + b.trained());
            assertFalse(b.metrics(), "shards write their own stores; metrics wait for the merge");
            assertTrue(Files.isDirectory(io.degen.store.StoreLayout.at(out).shard(0, 2).root().resolve("runs")));
            assertTrue(Files.isDirectory(io.degen.store.StoreLayout.at(out).shard(1, 2).root().resolve("runs")));
            var m = io.degen.store.ShardMerge.merge(out, err);
            assertEquals(4, m.moved() + m.copied());
            RunSummary c = Experiment.run(plan, out, Experiment.TrainOptions.workers(1), false, be, err);
            assertEquals(0, c.trained());
            assertTrue(c.metrics());
        }
    }

    @Test void aLockedStoreIsRefused(@TempDir Path out) throws Exception {
        try (StoreLock l = StoreLock.acquire(out); Backend be = Backends.create("java")) {
            var e = assertThrows(StoreLock.LockedException.class,
                    () -> Experiment.run(tinyPlan(), out, Experiment.TrainOptions.workers(1), false, be, new PrintStream(new ByteArrayOutputStream())));
            assertTrue(e.getMessage().startsWith("another degen run holds"));
        }
    }

    @Test void metricsSkipUnavailableLevels() {
        var beh = new io.degen.degeneracy.Behaviour(3, 0.1, 0.5, 0.02);
        var w = new io.degen.degeneracy.Weights(0, 0, 0, 0.3, 0.01, 0.3, 0.01, 0, null);
        var perRun = new java.util.LinkedHashMap<String, io.degen.degeneracy.NetworkResult>();
        perRun.put("a", new io.degen.degeneracy.NetworkResult(0.4, null, null, null));
        perRun.put("b", new io.degen.degeneracy.NetworkResult(0.6, null, null, null));
        var a = new io.degen.degeneracy.ConditionResult(4, 3, 1, 0, java.util.List.of(), beh, null, w, null, perRun);
        var ms = a.metrics();
        var names = ms.stream().map(io.degen.degeneracy.MetricValue::metric).toList();
        assertEquals(java.util.List.of("behaviour_sd_ood", "behaviour_mean_ood", "weights_pif", "weights_pif_per_param", "share_converged"), names);
        assertEquals(0.75, ms.get(4).value(), 1e-12);
        assertEquals(0.1, ms.get(1).se(), 1e-12);
    }

    /** A spec that asks for behaviour only computes no DSA and no d_PIF: its metrics files hold neither level. */
    @Test void behaviourOnlySpecComputesNoPairwiseLevel(@TempDir Path out) throws Exception {
        Map<String, Object> spec = with(with(flipflop(), "measure", "levels", list("behaviour")), "train", "threshold", 10.0);
        Plan plan = ExperimentSpec.fromMap(spec).compile();
        try (Backend be = Backends.create("java")) {
            RunSummary r = Experiment.run(plan, out, Experiment.TrainOptions.workers(2), false, be, new PrintStream(new ByteArrayOutputStream()));
            assertTrue(r.metrics());
        }
        for (Plan.Condition c : plan.conditions()) {
            var m = Json.read(out.resolve("metrics").resolve(c.id() + ".json")).get("analysis");
            assertEquals(2, m.get("converged").asInt(), "every network is below the threshold of 10");
            assertTrue(m.has("behaviour"), m.toString());
            assertFalse(m.has("dynamics") || m.has("weights") || m.has("feature_learning"), m.toString());
        }
        assertFalse(Files.exists(out.resolve("joint-dsa.json")));
    }

    /** {@code measure} alone analyses a trained store from the plan it holds, and refuses one whose networks are missing. */
    @Test void measureATrainedStore(@TempDir Path out) throws Exception {
        Plan plan = tinyPlan();
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true);
        try (Backend be = Backends.create("java")) {
            Experiment.train(plan, out, Experiment.TrainOptions.workers(2), be, err);
            assertFalse(Files.exists(out.resolve("metrics")));
            MeasureSummary m = Experiment.measure(out, 2, be, err);
            assertEquals(2, m.conditions());
            assertTrue(m.jointDsa());
            for (Plan.Condition c : plan.conditions()) assertTrue(Files.isRegularFile(out.resolve("metrics").resolve(c.id() + ".json")));
            RunArtifacts.deleteTree(out.resolve("runs").resolve(plan.runs().get(0).id()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.measure(out, 2, be, err));
            assertTrue(e.getMessage().contains(plan.runs().get(0).id()) && e.getMessage().contains("not stored"), e.getMessage());
        }
    }
}
