package io.degen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metric/bench commands, run the way Main runs them (Args in, JSON line out). */
class PifCliTest {

    static Path fixture(String name) throws Exception {
        return Path.of(PifCliTest.class.getResource("/fixtures/" + name).toURI());
    }

    static JsonNode run(Command c, String... argv) throws Exception {
        Args args = new Args(List.of(argv), c.flags());
        return Json.parse(Json.line(c.run(args)));
    }

    @Test
    void metricPifOnFixtures() throws Exception {
        JsonNode exp = Json.read(fixture("pif/expected.json"));
        JsonNode r = run(new MetricPifCommand(), fixture("pif/W1.npy").toString(), fixture("pif/W2.npy").toString());
        assertEquals(exp.get("d_W1_W2_planted").asDouble(), r.get("distance").asDouble(), 1e-9);
        assertEquals(25, r.get("permutation").size());
        JsonNode norm = run(new MetricPifCommand(), fixture("pif/W1.npy").toString(), fixture("pif/W3.npy").toString(),
                "--normalize", "--restarts", "4", "--seed", "0");
        assertTrue(norm.get("distance").asDouble() <= exp.get("d_W1_W3_scipy_faq").asDouble() * 1.02 / 625);
        assertEquals("metric pif", new MetricPifCommand().name());
    }

    @Test
    void metricPifBadInput(@TempDir Path dir) throws Exception {
        Path w1 = fixture("pif/W1.npy").toAbsolutePath();
        Path rect = dir.resolve("rect.npy");
        Npy.write(rect, NdArray.f64(new double[6], 2, 3));
        UsageException e = assertThrows(UsageException.class, () -> run(new MetricPifCommand(), w1.toString(), rect.toString()));
        assertTrue(e.getMessage().contains("rect.npy") && e.getMessage().contains("square"), e.getMessage());
        Path small = dir.resolve("small.npy");
        Npy.write(small, NdArray.f64(new double[9], 3, 3));
        e = assertThrows(UsageException.class, () -> run(new MetricPifCommand(), w1.toString(), small.toString()));
        assertTrue(e.getMessage().contains("small.npy") && e.getMessage().contains("same size"), e.getMessage());
        Path vec = dir.resolve("vec.npy");
        Npy.write(vec, NdArray.f64(new double[4], 4));
        e = assertThrows(UsageException.class, () -> run(new MetricPifCommand(), vec.toString(), w1.toString()));
        assertTrue(e.getMessage().contains("vec.npy") && e.getMessage().contains("[4]"), e.getMessage());
        Path junk = dir.resolve("junk.npy");
        Files.writeString(junk, "not numpy at all");
        e = assertThrows(UsageException.class, () -> run(new MetricPifCommand(), junk.toString(), w1.toString()));
        assertTrue(e.getMessage().contains("junk.npy"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(new MetricPifCommand(), w1.toString(), w1.toString(), "--restarts", "0"));
        assertTrue(e.getMessage().contains("--restarts") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(new MetricPifCommand(), w1.toString(), w1.toString(), "--restart", "3"));
        assertTrue(e.getMessage().contains("--restart"), e.getMessage());
        assertThrows(UsageException.class, () -> run(new MetricPifCommand(), w1.toString()));
    }

    @Test
    void similarityCommands() throws Exception {
        JsonNode exp = Json.read(fixture("similarity/expected.json"));
        String x = fixture("similarity/X.npy").toString(), y = fixture("similarity/Y.npy").toString();
        assertEquals(exp.get("linear_cka").asDouble(), run(new MetricSimilarityCommand("cka"), x, y).get("value").asDouble(), 1e-9);
        assertEquals(exp.get("procrustes_angular").asDouble(), run(new MetricSimilarityCommand("procrustes"), x, y).get("value").asDouble(), 1e-9);
        assertEquals(exp.get("svcca_k4").asDouble(), run(new MetricSimilarityCommand("svcca"), x, y, "--k", "4").get("value").asDouble(), 1e-9);
        assertEquals(Set.of("metric cka", "metric procrustes", "metric svcca"),
                Set.copyOf(MetricSimilarityCommand.all().stream().map(Command::name).toList()));
        UsageException e = assertThrows(UsageException.class, () -> run(new MetricSimilarityCommand("cka"), x, y, "--k", "4"));
        assertTrue(e.getMessage().contains("--k"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MetricSimilarityCommand("rsa"));
    }

    @Test
    void similarityAcceptsTrajectories(@TempDir Path dir) throws Exception {
        NdArray xa = Npy.read(fixture("similarity/X.npy"));
        Path x3 = dir.resolve("x3.npy");
        Npy.write(x3, NdArray.f64(xa.data(), 40, 5, 10));
        String y = fixture("similarity/Y.npy").toString();
        JsonNode exp = Json.read(fixture("similarity/expected.json"));
        assertEquals(exp.get("linear_cka").asDouble(), run(new MetricSimilarityCommand("cka"), x3.toString(), y).get("value").asDouble(), 1e-9);
        Path shortY = dir.resolve("short.npy");
        Npy.write(shortY, NdArray.f64(new double[30], 10, 3));
        UsageException e = assertThrows(UsageException.class, () -> run(new MetricSimilarityCommand("procrustes"), x3.toString(), shortY.toString()));
        assertTrue(e.getMessage().contains("short.npy") && e.getMessage().contains("200") && e.getMessage().contains("10"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(new MetricSimilarityCommand("svcca"), x3.toString(), y, "--k", "11"));
        assertTrue(e.getMessage().contains("k = 11"), e.getMessage());
    }

    @Test
    void benchPifSmall() throws Exception {
        JsonNode r = run(new BenchPifCommand(), "--n", "16", "--pairs", "2", "--restarts", "2", "--warmup", "0");
        assertTrue(r.get("s_per_pair").asDouble() > 0);
        assertTrue(r.get("mean_distance").asDouble() > 0);
        assertEquals(16, r.get("n").asInt());
        assertEquals(io.degen.bench.Machine.current().cpu(), r.get("machine").get("cpu").asText());
        // Every pair allocates at least its permutation and result; counted only when the pairs run on the caller.
        assertTrue(r.get("allocated_bytes_per_pair").asDouble() > 16 * 4, r.toString());
        assertFalse(run(new BenchPifCommand(), "--n", "16", "--pairs", "2", "--restarts", "2", "--warmup", "0", "--threads", "2").has("allocated_bytes_per_pair"));
        assertThrows(UsageException.class, () -> run(new BenchPifCommand(), "--n", "0"));
    }

    @Test
    void benchPifRepeatsReportTheMedianPass() throws Exception {
        JsonNode one = run(new BenchPifCommand(), "--n", "16", "--pairs", "3", "--restarts", "2", "--warmup", "0");
        JsonNode r = run(new BenchPifCommand(), "--n", "16", "--pairs", "3", "--restarts", "2", "--warmup", "0", "--repeats", "3");
        assertEquals(3, r.get("repeats").asInt());
        List<Double> passes = new ArrayList<>();
        r.get("s_per_pair_passes").forEach(x -> passes.add(x.asDouble()));
        assertEquals(3, passes.size());
        Collections.sort(passes);
        assertEquals(passes.get(1), r.get("s_per_pair").asDouble(), 0.0);
        assertEquals(0.0, r.get("max_pass_difference").asDouble(), 0.0, "the java engine is deterministic");
        // The same pairs every pass, and the same as a single pass.
        assertEquals(one.get("mean_distance").asDouble(), r.get("mean_distance").asDouble(), 0.0);
        assertTrue(one.get("repeats") == null, "a single pass lists no passes");
        UsageException e = assertThrows(UsageException.class, () -> run(new BenchPifCommand(), "--repeats", "0"));
        assertTrue(e.getMessage().contains("repeats"), e.getMessage());
    }

    @Test
    void benchPifThreadsRunPairsConcurrentlyWithTheSameDistances() throws Exception {
        // Enough work (tens of ms of CPU) that the process CPU clock, which counts in 10 ms ticks on
        // Linux, moves: 5 pairs of n = 24 sometimes finished within one tick and reported 0.
        JsonNode one = run(new BenchPifCommand(), "--n", "64", "--pairs", "8", "--restarts", "3", "--warmup", "1", "--threads", "1");
        JsonNode two = run(new BenchPifCommand(), "--n", "64", "--pairs", "8", "--restarts", "3", "--warmup", "1", "--threads", "2");
        assertEquals(2, two.get("threads").asInt());
        // Each pair is solved on one thread with the same seeds: the mean is bit-identical.
        assertEquals(one.get("mean_distance").asDouble(), two.get("mean_distance").asDouble(), 0.0);
        assertTrue(two.get("cpu_s_per_pair").asDouble() > 0);
    }

    @Test
    void benchPifOnGivenPairs(@TempDir Path dir) throws Exception {
        // Pair 0: the fixture's planted pair; pair 1: W1 against itself.
        Files.copy(fixture("pif/W1.npy"), dir.resolve("A0.npy"));
        Files.copy(fixture("pif/W2.npy"), dir.resolve("B0.npy"));
        Files.copy(fixture("pif/W1.npy"), dir.resolve("A1.npy"));
        Files.copy(fixture("pif/W1.npy"), dir.resolve("B1.npy"));
        JsonNode exp = Json.read(fixture("pif/expected.json"));
        JsonNode r = run(new BenchPifCommand(), "--data", dir.toString(), "--pairs", "2", "--warmup", "1");
        assertEquals(25, r.get("n").asInt());
        assertEquals(exp.get("d_W1_W2_planted").asDouble() / 2, r.get("mean_distance").asDouble(), 1e-9);
        // A missing file surfaces as NoSuchFileException, which Main reports as "no such file: PATH" (exit 2).
        java.nio.file.NoSuchFileException e = assertThrows(java.nio.file.NoSuchFileException.class,
                () -> run(new BenchPifCommand(), "--data", dir.toString(), "--pairs", "3"));
        assertTrue(e.getFile().endsWith("A2.npy"), e.getFile());
        Npy.write(dir.resolve("A2.npy"), NdArray.f64(new double[9], 3, 3));
        Files.copy(fixture("pif/W1.npy"), dir.resolve("B2.npy"));
        UsageException u = assertThrows(UsageException.class, () -> run(new BenchPifCommand(), "--data", dir.toString(), "--pairs", "3"));
        assertTrue(u.getMessage().contains("A2.npy") && u.getMessage().contains("3 x 3"), u.getMessage());
    }
}
