package io.degen.run;

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

class ExperimentRunnerTest {
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
                    () -> ExperimentRunner.run(plan, out, 1, be, new PrintStream(new ByteArrayOutputStream())));
            assertTrue(e.getMessage().contains("measure.metrics-backend cuda"), e.getMessage());
        }
        assertFalse(Files.exists(out), "nothing may be written");
    }

    @Test void endToEndResumableAndRepairsCorruptNetworks(@TempDir Path out) throws Exception {
        Plan plan = tinyPlan();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(log, true);
        try (Backend be = Backends.create("java")) {
            ExperimentRunner.Result r1 = ExperimentRunner.run(plan, out, 2, be, err);
            assertEquals(4, r1.total());
            assertEquals(4, r1.trained());
            assertTrue(r1.metricsComputed());
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

            ExperimentRunner.Result r2 = ExperimentRunner.run(plan, out, 2, be, err);
            assertEquals(0, r2.trained());
            assertEquals(4, r2.skipped());
            assertTrue(r2.outcomes().stream().allMatch(TrainingPool.Outcome::skipped));

            RunConfig victim = plan.runs().get(1), gone = plan.runs().get(2);
            Path w = RunArtifacts.dirFor(out.resolve("runs"), victim.id()).resolve(RunArtifacts.WEIGHTS);
            byte[] bytes = Files.readAllBytes(w);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(w, bytes);
            Files.delete(RunArtifacts.dirFor(out.resolve("runs"), gone.id()).resolve(RunArtifacts.WEIGHTS));
            ExperimentRunner.Result r3 = ExperimentRunner.run(plan, out, 2, be, err);
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
            ExperimentRunner.Result a = ExperimentRunner.run(plan, out, 1, be, err, 0, 2);
            assertEquals(plan.shard(0, 2).size(), a.trained());
            assertFalse(a.metricsComputed());
            assertFalse(Files.exists(out.resolve("metrics")));
            ExperimentRunner.Result b = ExperimentRunner.run(plan, out, 1, be, err, 1, 2);
            assertEquals(plan.shard(1, 2).size(), b.trained());
            assertEquals(4, a.trained() + b.trained());
            assertFalse(b.metricsComputed(), "shards write their own stores; metrics wait for the merge");
            assertTrue(Files.isDirectory(ExperimentRunner.shardStore(out, 0, 2).resolve("runs")));
            assertTrue(Files.isDirectory(ExperimentRunner.shardStore(out, 1, 2).resolve("runs")));
            var m = io.degen.store.ShardMerge.merge(out, err);
            assertEquals(4, m.moved() + m.copied());
            ExperimentRunner.Result c = ExperimentRunner.run(plan, out, 1, be, err);
            assertEquals(0, c.trained());
            assertTrue(c.metricsComputed());
        }
    }

    @Test void aLockedStoreIsRefused(@TempDir Path out) throws Exception {
        try (StoreLock l = StoreLock.acquire(out); Backend be = Backends.create("java")) {
            var e = assertThrows(StoreLock.LockedException.class,
                    () -> ExperimentRunner.run(tinyPlan(), out, 1, be, new PrintStream(new ByteArrayOutputStream())));
            assertTrue(e.getMessage().startsWith("another degen run holds"));
        }
    }

    @Test void metricsSkipUnavailableLevels() {
        Map<String, Object> a = Map.of("networks", 4, "converged", 3,
                "behaviour", Map.of("sd_ood_loss", 0.1, "mean_ood_loss", 0.5, "se_sd_ood_loss", 0.02, "n", 3),
                "dynamics", Map.of("available", false), "weights", Map.of("mean", 0.3, "se", 0.01),
                "per_run", Map.of("a", Map.of("ood_loss", 0.4), "b", Map.of("ood_loss", 0.6)));
        var ms = ExperimentRunner.metrics(a);
        var names = ms.stream().map(ExperimentRunner.MetricValue::metric).toList();
        assertEquals(java.util.List.of("behaviour_sd_ood", "behaviour_mean_ood", "weights_pif", "share_converged"), names);
        assertEquals(0.75, ms.get(3).value(), 1e-12);
        assertEquals(0.1, ms.get(1).se(), 1e-12);
    }
}
