package io.degen.e2e;

import io.degen.testkit.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import io.degen.cli.Main;
import io.degen.store.Catalog;
import io.degen.util.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole pipeline across modules, as a user drives it: an EDN spec (read by the Clojure module)
 * planned, run, resumed, measured and reported through the CLI; and a run killed with SIGKILL in a
 * separate JVM that a second run completes with every network present exactly once.
 */
@Tag("e2e")
class EndToEndTest {
    static final String SPEC = """
            {:name "e2e"
             :task {:type :flipflop :channels [1 2] :time 20}
             :model {:hidden 8}
             :train {:batch 8 :steps-per-epoch 4 :max-epochs 3 :threshold 10.0 :patience 1}
             :seeds 3
             :measure {:dsa {:n-delays 2 :rank 4} :probe-trials 6 :ood-trials 8 :ntk-trials 2}}
            """;

    /** The in-process CLI (the test kit's). */
    static Cli.Result cli(String... args) { return Cli.run(args); }

    @Test
    void ednSpecPlansRunsResumesAndReports(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("e2e.edn");
        Files.writeString(spec, SPEC);
        Cli.Result plan = cli("plan", spec.toString());
        assertEquals(0, plan.code(), plan.err());
        assertEquals(2, plan.json().get("conditions").size());
        assertEquals(6, plan.json().get("runs").asInt());

        Path out = dir.resolve("store");
        Cli.Result run = cli("run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java");
        assertEquals(0, run.code(), run.err());
        assertEquals(6, run.json().get("trained").asInt());
        assertTrue(Files.exists(out.resolve("report/index.html")), "run writes the report once metrics are in");
        try (Catalog c = Catalog.open(out)) {
            assertEquals(6, c.runs().size());
            assertEquals("wal", c.journalMode().toLowerCase());
            assertFalse(c.metrics("e2e").isEmpty());
        }
        Cli.Result again = cli("run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java");
        assertEquals(0, again.code(), again.err());
        assertEquals(0, again.json().get("trained").asInt());

        Cli.Result rep = cli("report", out.toString());
        assertEquals(0, rep.code(), rep.err());
        assertTrue(Files.exists(out.resolve("report/index.html")));
        assertEquals(3, Files.readAllLines(out.resolve("report/conditions.csv")).size(), "header + 2 conditions");

        Cli.Result deg = cli("degeneracy", out.resolve("runs").toString(), "--dsa-delays", "2", "--dsa-rank", "4", "--probe-trials", "6");
        assertEquals(0, deg.code(), deg.err());
    }

    @Test
    void invalidEdnSpecIsRefusedWithThePathAndValue(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("bad.edn");
        Files.writeString(spec, SPEC.replace(":channels [1 2]", ":channels [1 -2]"));
        Cli.Result r = cli("run", spec.toString(), "--out", dir.resolve("store").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("[:task :channels 1]") && r.err().contains("-2"), r.err());
        assertFalse(Files.exists(dir.resolve("store/runs")), "nothing runs on an invalid spec");
    }

    @Test
    void killMinus9DuringARunThenResumeCompletesEveryRunExactlyOnce(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("kill.edn");
        Files.writeString(spec, SPEC.replace(":max-epochs 3", ":max-epochs 40").replace(":threshold 10.0", ":threshold 1e-9"));
        Path out = dir.resolve("store");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "io.degen.cli.Main", "run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        // Kill once at least one network is stored and others are mid-training.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && countRuns(out) < 1) Thread.sleep(50);
        p.destroyForcibly();
        p.waitFor();
        int before = countRuns(out);
        assertTrue(before >= 1 && before < 6, "killed mid-sweep with " + before + " runs stored");

        Cli.Result again = cli("run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java");
        assertEquals(0, again.code(), again.err());
        assertEquals(6 - before, again.json().get("trained").asInt(), "finished networks are not trained twice");
        assertEquals(6, countRuns(out));
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            assertTrue(s.noneMatch(q -> q.getFileName().toString().startsWith(".tmp")), "no half-written network left visible");
        }
        try (Catalog c = Catalog.open(out)) {
            assertEquals(6, c.runs().size());
        }
    }

    static int countRuns(Path out) throws Exception {
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) return 0;
        try (Stream<Path> s = Files.list(runs)) {
            return (int) s.filter(q -> !q.getFileName().toString().startsWith(".") && Files.exists(q.resolve("record.json"))).count();
        }
    }
}
