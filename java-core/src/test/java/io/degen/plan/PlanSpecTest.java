package io.degen.plan;

import io.degen.config.RunConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.degen.plan.TinySpecs.flipflop;
import static io.degen.plan.TinySpecs.list;
import static io.degen.plan.TinySpecs.with;
import static org.junit.jupiter.api.Assertions.*;

class PlanSpecTest {
    private static String error(Map<String, Object> m) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentSpec.fromMap(m).compile());
        return e.getMessage();
    }

    @Test void unknownKeysNameThePathAndValue() {
        Map<String, Object> m = flipflop();
        m.put("colour", "red");
        assertTrue(error(m).startsWith("[:colour] is not a spec key"), error(m));
        assertTrue(error(m).endsWith("got \"red\""), error(m));
        assertEquals("[:task :bogus] is not an option of task flipflop (known: channels, p, time), got 3",
                error(with(flipflop(), "task", "bogus", 3)));
        assertTrue(error(with(flipflop(), "train", "epochz", 3)).startsWith("[:train :epochz] is not a training option"));
        assertTrue(error(with(flipflop(), "model", "depth", 3)).startsWith("[:model :depth] is not a model option"));
        assertTrue(error(with(flipflop(), "measure", "dsa", Map.of("ranks", 3))).startsWith("[:measure :dsa :ranks] is not a DSA key"));
        assertEquals("[:measure :metrics-backend] must be one of java, mkl, cuda, got \"auto\"",
                error(with(flipflop(), "measure", "metrics-backend", "auto")));
        assertTrue(error(with(flipflop(), "control", "colour", list(1, 2))).startsWith("[:control :colour] is not a control knob"));
    }

    @Test void wrongTypesAndNegativeSizes() {
        assertEquals("[:task :channels 2] must be a positive integer, got -1",
                error(with(flipflop(), "task", "channels", list(1, 2, -1))));
        assertEquals("[:task :channels] must be an integer, got \"two\"", error(with(flipflop(), "task", "channels", "two")));
        assertEquals("[:task :channels] must be in [1, 64], got 100", error(with(flipflop(), "task", "channels", 100)));
        assertEquals("[:model :hidden] must be a positive integer, got -8", error(with(flipflop(), "model", "hidden", -8)));
        assertEquals("[:train :batch] must be a positive integer, got 2.5", error(with(flipflop(), "train", "batch", 2.5)));
        assertEquals("[:train :nuclear 1] must be a non-negative number, got -0.1", error(with(flipflop(), "train", "nuclear", list(0, -0.1))));
        Map<String, Object> m = flipflop();
        m.put("seeds", -1);
        assertTrue(error(m).startsWith("[:seeds] must be a positive integer"), error(m));
        m.put("seeds", list(0, 1, 1));
        assertEquals("[:seeds 2] repeats a seed, got 1", error(m));
        m = flipflop();
        m.remove("name");
        assertEquals("[:name] is required", error(m));
        m.put("name", "two words");
        assertTrue(error(m).startsWith("[:name] must be a name"), error(m));
        assertEquals("[:task :time] must not be an empty sweep, got []", error(with(flipflop(), "task", "time", list())));
    }

    @Test void impossibleCombinations() {
        assertEquals("[:task :aux] is only an option of task delayed-discrimination, not flipflop, got true",
                error(with(flipflop(), "task", "aux", true)));
        assertEquals("[:control :aux 0] is only an option of task delayed-discrimination, not flipflop, got false",
                error(with(flipflop(), "control", "aux", list(false, true))));
        assertEquals("[:model :gamma] is only used by model type mup, but [:model :type] is standard, got 1.5",
                error(with(flipflop(), "model", "gamma", 1.5)));
        assertTrue(error(with(flipflop(), "control", "gamma", list(0.5, 2))).startsWith("[:control :gamma] is only used by model type mup"));
        Map<String, Object> m = with(flipflop(), "train", "nuclear", list(0, 1e-3));
        with(m, "control", "nuclear", list(0, 1e-2));
        assertTrue(error(m).startsWith("[:control :nuclear] sets train.nuclear, which [:train :nuclear] already sweeps"), error(m));
        Map<String, Object> dd = flipflop();
        dd.put("task", new java.util.LinkedHashMap<>(Map.of("type", "delayed-discrimination", "aux", true, "delay-min", 30, "delay-max", 10)));
        assertTrue(error(dd).startsWith("[:task"), error(dd));
        dd.put("task", new java.util.LinkedHashMap<>(Map.of("type", "delayed-discrimination", "aux", list(false, true))));
        assertEquals(2, ExperimentSpec.fromMap(dd).compile().conditions().size());
    }

    @Test void metricsBackendIsAMeasureOption() {
        assertEquals("java", ExperimentSpec.fromMap(flipflop()).compile().degeneracyOptions().metricsBackend());
        Plan p = ExperimentSpec.fromMap(with(flipflop(), "measure", "metrics-backend", "mkl")).compile();
        assertEquals("mkl", p.degeneracyOptions().metricsBackend());
        // Part of the options' identity, so metric blocks of one engine never mix with another's.
        assertTrue(p.degeneracyOptions().toString().contains("metricsBackend=mkl"), p.degeneracyOptions().toString());
    }

    @Test void sweepExpansionCountAndOrder() {
        Map<String, Object> m = with(flipflop(), "task", "channels", list(1, 2));
        with(m, "model", "hidden", list(8, 16, 32));
        with(m, "control", "nuclear", list(0, 1e-3));
        m.put("seeds", list(3, 5));
        Plan p = ExperimentSpec.fromMap(m).compile();
        assertEquals(12, p.conditions().size());
        assertEquals(24, p.runs().size());
        assertEquals(List.of("task.channels", "model.hidden", "nuclear"), new ArrayList<>(p.conditions().get(0).values().keySet()));
        assertEquals(Map.of("task.channels", 1, "model.hidden", 8, "nuclear", 0), p.conditions().get(0).values());
        assertEquals(Map.of("task.channels", 1, "model.hidden", 8, "nuclear", 1e-3), p.conditions().get(1).values());
        assertEquals(Map.of("task.channels", 2, "model.hidden", 32, "nuclear", 1e-3), p.conditions().get(11).values());
        RunConfig r = p.conditions().get(11).runs().get(1);
        assertEquals(5, r.seed());
        assertEquals(32, r.model().hidden());
        assertEquals(1e-3, r.train().nuclear());
        assertEquals(2, r.taskOptions().get("channels"));
        assertEquals(r.conditionId(), p.conditions().get(11).id());
        Set<String> cids = new HashSet<>();
        for (Plan.Condition c : p.conditions()) cids.add(c.id());
        assertEquals(12, cids.size());
    }

    @Test void runIdsAreStableAndChangeWithSettings() {
        Map<String, Object> m = with(flipflop(), "control", "width", list(8, 16));
        List<String> a = ids(ExperimentSpec.fromMap(m).compile()), b = ids(ExperimentSpec.fromMap(m).compile());
        assertEquals(a, b);
        assertEquals(4, new HashSet<>(a).size());
        List<String> c = ids(ExperimentSpec.fromMap(with(m, "train", "lr", 2e-3)).compile());
        assertTrue(java.util.Collections.disjoint(a, c));
    }

    private static List<String> ids(Plan p) {
        List<String> out = new ArrayList<>();
        for (RunConfig r : p.runs()) out.add(r.id());
        return out;
    }

    @Test void profilesMergeDeepOverTheBase() {
        Map<String, Object> m = with(flipflop(), "model", "hidden", list(8, 16, 32));
        m.put("profiles", Map.of("quick", Map.of("model", Map.of("hidden", 8), "seeds", 1)));
        Plan full = ExperimentSpec.fromMap(m).compile(), quick = ExperimentSpec.fromMap(m, "quick").compile();
        assertEquals(6, full.runs().size());
        assertEquals(1, quick.runs().size());
        assertEquals("standard", quick.runs().get(0).model().type());
        assertEquals(1, quick.runs().get(0).taskOptions().get("channels"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentSpec.fromMap(m, "slow"));
        assertEquals("[:profiles] has no profile 'slow' (known: quick), got \"slow\"", e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ExperimentSpec.fromMap(flipflop(), "quick"));
        assertEquals("[:profiles] has no profile 'quick' (this spec defines no profiles), got \"quick\"", none.getMessage());
    }

    /** DSA settings that a condition's networks cannot give are refused before training, never quietly lowered. */
    @SuppressWarnings("unchecked")
    @Test void dsaSettingsMustFitEveryCondition() {
        Map<String, Object> wide = with(with(flipflop(), "model", "hidden", list(8, 16)), "measure", "dsa", Map.of("n-delays", 2, "rank", 20));
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> ExperimentSpec.fromMap(wide).compile());
        assertEquals("[:measure :dsa :rank] must be at most n-delays x units = 2 x 8 = 16 for networks of 8 units"
                + " (condition {\"model.hidden\":8}), got 20", rank.getMessage());
        assertEquals(2, ExperimentSpec.fromMap(with(flipflop(), "measure", "dsa", Map.of("n-delays", 2, "rank", 16))).compile().runs().size(),
                "rank 16 = 2 x 8 fits");
        Map<String, Object> shortTrials = with(with(flipflop(), "task", "time", 5), "measure", "dsa", Map.of("n-delays", 5, "rank", 4));
        IllegalArgumentException delays = assertThrows(IllegalArgumentException.class, () -> ExperimentSpec.fromMap(shortTrials).compile());
        assertEquals("[:measure :dsa :n-delays] needs trials of at least (n-delays - 1) x delay-interval + 2 = (5 - 1) x 1 + 2 = 6 time steps,"
                + " but the task's trials have 5, got 5", delays.getMessage());
        // With a delay interval it is the interval that is named; a swept trial length names its condition.
        Map<String, Object> spaced = with(with(flipflop(), "task", "time", list(7, 20)), "measure", "dsa", Map.of("n-delays", 3, "delay-interval", 3, "rank", 4));
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class, () -> ExperimentSpec.fromMap(spaced).compile());
        assertEquals("[:measure :dsa :delay-interval] with n-delays 3 needs trials of at least (n-delays - 1) x delay-interval + 2 = (3 - 1) x 3 + 2"
                + " = 8 time steps, but the task's trials have 7 (condition {\"task.time\":7}), got 3", interval.getMessage());
        // The fit's regression pairs: 1 probe trial of 8 steps with 5 delays gives 8 - 4 - 1 = 3.
        Map<String, Object> fewProbes = with(with(flipflop(), "task", "time", 8), "measure", "dsa", Map.of("n-delays", 5, "rank", 4));
        ((Map<String, Object>) fewProbes.get("measure")).put("probe-trials", 1);
        IllegalArgumentException pairs = assertThrows(IllegalArgumentException.class, () -> ExperimentSpec.fromMap(fewProbes).compile());
        assertEquals("[:measure :dsa :rank] must be at most probe-trials x (time - (n-delays - 1) x delay-interval - 1) = 1 x (8 - 4 - 1) = 3"
                + " (the regression pairs of the fit), got 4", pairs.getMessage());
        ((Map<String, Object>) fewProbes.get("measure")).put("probe-trials", 2);
        assertEquals(2, ExperimentSpec.fromMap(fewProbes).compile().runs().size(), "2 x 3 = 6 pairs fit rank 4");
        // A store trained before these checks still opens: its stored plan skips them.
        assertEquals(4, ExperimentSpec.fromMap(wide).compileStored().runs().size());
        // Without the dynamics level nothing is embedded, so nothing to check.
        Map<String, Object> noDsa = with(with(flipflop(), "task", "time", 5), "measure", "dsa", Map.of("n-delays", 5, "rank", 400));
        ((Map<String, Object>) noDsa.get("measure")).put("levels", list("behaviour", "weights"));
        assertEquals(2, ExperimentSpec.fromMap(noDsa).compile().runs().size());
    }

    @Test void shardsCoverEveryRunOnceAndAreBalanced() {
        Map<String, Object> m = with(flipflop(), "model", "hidden", list(8, 16, 32, 64));
        m.put("seeds", 5);
        Plan p = ExperimentSpec.fromMap(m).compile();
        for (int k : new int[] {1, 2, 3, 7}) {
            List<List<RunConfig>> s = p.shards(k);
            assertEquals(k, s.size());
            List<String> all = new ArrayList<>();
            double max = 0, min = Double.MAX_VALUE, biggest = 0;
            for (List<RunConfig> sh : s) {
                double c = 0;
                for (RunConfig r : sh) { all.add(r.id()); c += Plan.cost(r); biggest = Math.max(biggest, Plan.cost(r)); }
                max = Math.max(max, c); min = Math.min(min, c);
            }
            assertEquals(p.runs().size(), all.size());
            assertEquals(new HashSet<>(ids(p)), new HashSet<>(all));
            assertTrue(max - min <= biggest + 1e-9, "LPT imbalance bounded by the largest job: " + max + " vs " + min);
            assertEquals(s, p.shards(k), "deterministic");
        }
        assertEquals(p.shards(3).get(1), p.shard(1, 3));
        assertTrue(Plan.cost(p.runs().get(0)) > 0);
        assertEquals(p.estimatedCost(), p.runs().stream().mapToDouble(Plan::cost).sum(), 1e-6 * p.estimatedCost());
    }

    @Test void jsonReaderAndUnknownExtension(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, io.degen.util.Json.line(with(flipflop(), "control", "nuclear", list(0, 1e-3))));
        Plan p = SpecReaders.load(f, null).compile();
        assertEquals(2, p.conditions().size());
        Path y = dir.resolve("s.yaml");
        Files.writeString(y, "name: x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpecReaders.read(y));
        assertTrue(e.getMessage().startsWith("no spec reader for 's.yaml'"), e.getMessage());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\": ");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SpecReaders.read(bad)).getMessage().contains("not valid JSON"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SpecReaders.read(dir.resolve("none.json")));
    }
}
