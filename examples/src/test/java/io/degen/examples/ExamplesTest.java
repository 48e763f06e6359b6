package io.degen.examples;

import io.degen.backend.Backend;
import io.degen.backend.JavaBackend;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.Plan;
import io.degen.plan.SpecReaders;
import io.degen.pipeline.Experiment;
import io.degen.pipeline.RunSummary;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs every example so none rots: each EDN spec (and each of its profiles) is read through the
 * Clojure EDN reader, validated and compiled, then run end to end at a tiny size (2 seeds, a few
 * steps, a threshold every network meets so all three levels are computed).
 */
@Tag("e2e")
class ExamplesTest {
    static final Path EXAMPLES = Path.of("").toAbsolutePath();
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    static List<Path> specs() throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(EXAMPLES, 2)) {
            // consumer/ is a project of its own (its deps.edn is no spec): ConsumerExampleTest builds it.
            s.filter(p -> p.toString().endsWith(".edn") && !p.toString().contains("/target/") && !p.startsWith(EXAMPLES.resolve("consumer")))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> tiny(Map<String, Object> spec) {
        Map<String, Object> m = new LinkedHashMap<>(spec);
        m.put("seeds", 2);
        Map<String, Object> model = new LinkedHashMap<>((Map<String, Object>) m.getOrDefault("model", Map.of()));
        model.put("hidden", 8);
        m.put("model", model);
        Map<String, Object> control = new LinkedHashMap<>((Map<String, Object>) m.getOrDefault("control", Map.of()));
        if (control.containsKey("width")) control.put("width", List.of(6, 8));
        if (control.containsKey("hidden")) control.put("hidden", List.of(6, 8));
        m.put("control", control);
        Map<String, Object> train = new LinkedHashMap<>((Map<String, Object>) m.getOrDefault("train", Map.of()));
        train.put("batch", 8);
        train.put("steps-per-epoch", 3);
        train.put("max-epochs", 2);
        train.put("threshold", 100.0);
        train.put("patience", 0);
        m.put("train", train);
        m.put("measure", Map.of("dsa", Map.of("n-delays", 2, "rank", 4), "probe-trials", 6, "ood-trials", 8, "ntk-trials", 2));
        m.remove("profiles");
        return m;
    }

    @TestFactory
    Stream<DynamicTest> everySpecAndProfileCompiles() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : specs()) {
            tests.add(DynamicTest.dynamicTest(EXAMPLES.relativize(p).toString(), () -> {
                Map<String, Object> raw = SpecReaders.read(p);
                Plan plan = ExperimentSpec.fromMap(raw).compile();
                assertFalse(plan.runs().isEmpty());
                Object profiles = raw.get("profiles");
                if (profiles instanceof Map<?, ?> ps) {
                    for (Object name : ps.keySet()) {
                        Plan q = ExperimentSpec.fromMap(raw, name.toString()).compile();
                        assertTrue(q.runs().size() <= plan.runs().size(), "profile " + name + " is not smaller");
                    }
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everySpecRunsEndToEndAtATinySize(@TempDir Path dir) throws Exception {
        Backend be = new JavaBackend();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : specs()) {
            tests.add(DynamicTest.dynamicTest(EXAMPLES.relativize(p).toString(), () -> {
                Plan plan = ExperimentSpec.fromMap(tiny(SpecReaders.read(p))).compile();
                Path out = dir.resolve(p.getFileName().toString());
                var res = Experiment.run(plan, out, Experiment.TrainOptions.workers(2), false, be, QUIET);
                assertEquals(plan.runs().size(), res.trained());
                assertTrue(res.metrics());
                try (Stream<Path> ms = Files.list(out.resolve("metrics"))) {
                    assertEquals(plan.conditions().size(), ms.count());
                }
            }));
        }
        return tests.stream();
    }

    /**
     * The REPL walk-through runs as written and shows numbers: every network it trains converges, so
     * each condition has a finite DSA distance, d_PIF and OOD-loss spread, and the report misses no figure.
     */
    @Test
    void replWalkThroughConvergesAndShowsNumbers(@TempDir Path dir) throws Exception {
        String script = Files.readString(EXAMPLES.resolve("repl.clj"))
                .replace("\"examples/repl-flipflop.edn\"", "\"" + EXAMPLES.resolve("repl-flipflop.edn") + "\"")
                .replace("\"out/repl-tiny\"", "\"" + dir.resolve("repl-tiny") + "\"");
        // as in `./degen repl` then (load-file "examples/repl.clj"): evaluated in the REPL's prepared `user`
        clojure.java.api.Clojure.var("clojure.core", "require").invoke(clojure.java.api.Clojure.read("degen.repl"));
        clojure.java.api.Clojure.var("degen.repl", "setup-user!").invoke();
        Object last;
        clojure.lang.Var.pushThreadBindings(clojure.lang.RT.map(clojure.lang.RT.CURRENT_NS,
                clojure.lang.Namespace.findOrCreate(clojure.lang.Symbol.intern("user"))));
        try {
            last = clojure.java.api.Clojure.var("clojure.core", "load-string").invoke(script);
        } finally {
            clojure.lang.Var.popThreadBindings();
        }
        assertNotNull(last, "the walk-through ends with the report summary");
        assertTrue(Files.exists(dir.resolve("repl-tiny/report/index.html")));
        assertEquals(List.of(), get(last, "notes"), "every figure of the report is drawn");

        List<?> runs = (List<?>) clojure.java.api.Clojure.var("degen.core", "runs").invoke(dir.resolve("repl-tiny").toString());
        assertEquals(6, runs.size(), "2 conditions x 3 seeds");
        for (Object r : runs) assertEquals("converged", get(r, "status"), "run " + get(r, "id"));

        List<?> summary = (List<?>) ((clojure.lang.IDeref) clojure.java.api.Clojure.var("user", "summary")).deref(); // a lazy seq is a List
        assertEquals(2, summary.size(), "one row per condition");
        for (Object row : summary) {
            assertEquals(3L, ((Number) get(row, "converged")).longValue(), "converged networks of " + row);
            for (String level : List.of("dsa", "pif", "sd-ood")) {
                double value = ((Number) ((List<?>) get(row, level)).get(0)).doubleValue();
                assertTrue(Double.isFinite(value) && value > 0, level + " of " + row);
                assertNotNull(((List<?>) get(row, level)).get(1), "a standard error over 3 networks: " + row);
            }
        }
    }

    /** {@code (get m :key)} of Clojure data. */
    private static Object get(Object m, String key) {
        return clojure.lang.RT.get(m, clojure.lang.Keyword.intern(key));
    }
}
