package io.degen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.bench.DsaSweep;
import io.degen.bench.TrainSweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench sweep} on tiny workloads: files, columns and fits, never the timings themselves. */
class BenchSweepTest {

    private static JsonNode sweep(Path dir, String... argv) throws Exception {
        // --warmup 0 unless the test gives its own (an option may be given once)
        List<String> all = new java.util.ArrayList<>(List.of("--out", dir.toString()));
        if (!java.util.Arrays.asList(argv).contains("--warmup")) all.addAll(List.of("--warmup", "0"));
        all.addAll(java.util.Arrays.asList(argv));
        return PifCliTest.run(new BenchSweepCommand(), all.toArray(String[]::new));
    }

    private static List<String> csv(Path dir, String what) throws Exception {
        return Files.readAllLines(dir.resolve("sweep-" + what + ".csv"));
    }

    private static void assertPositiveFinite(JsonNode row, String... keys) {
        for (String k : keys) {
            double v = row.get(k).asDouble();
            assertTrue(v > 0 && Double.isFinite(v), k + " = " + v + " in " + row);
        }
    }

    @Test
    void valuesAreSortedAndChecked() {
        int[] range = {1, 100};
        assertEquals(List.of(8, 16, 32), BenchSweepCommand.values(" 32,8 ,16", range));
        for (String bad : new String[] {"", "8", "8,", "8,x", "8,8", "0,8", "8,101", "8;16"}) {
            UsageException e = assertThrows(UsageException.class, () -> BenchSweepCommand.values(bad, range), bad);
            assertTrue(e.getMessage().contains("--values"), e.getMessage());
        }
        UsageException e = assertThrows(UsageException.class, () -> BenchSweepCommand.values("8,101", range));
        assertTrue(e.getMessage().contains("101") && e.getMessage().contains("[1, 100]"), e.getMessage());
    }

    @Test
    void hiddenSweepWritesCsvPlotAndExponents(@TempDir Path dir) throws Exception {
        JsonNode r = sweep(dir, "--what", "hidden", "--values", "16,8", "--steps", "2", "--repeats", "1", "--backend", "java",
                "--time", "10", "--batch", "4");
        List<String> lines = csv(dir, "hidden");
        assertEquals("hidden," + String.join(",", TrainSweep.COLUMNS), lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).startsWith("8,") && lines.get(2).startsWith("16,"), lines.toString());
        assertTrue(Files.size(dir.resolve("sweep-hidden.png")) > 0);
        assertTrue(Files.isRegularFile(dir.resolve("sweep-hidden.svg")));
        assertEquals(2, r.get("rows").size());
        for (JsonNode row : r.get("rows")) assertPositiveFinite(row, "ms_per_step", "cpu_ms_per_step", "gflops", "cpu_gflops", "mflop_per_step");
        // the FLOP count is the model's, so it is exact: 2 * B * T * (3 H^2 + 2 I H + 3 O H) with I = O = 3
        assertEquals(2.0 * 4 * 10 * (3 * 64 + 2 * 3 * 8 + 3 * 3 * 8) / 1e6, r.get("rows").get(0).get("mflop_per_step").asDouble(), 1e-12);
        assertTrue(Double.isFinite(r.get("exponents").get("ms_per_step").asDouble()));
        assertTrue(r.get("exponents").has("cpu_ms_per_step"));
        assertEquals(8, r.get("upper_half_from").asInt());
        assertEquals("java", r.get("backend").asText());
        assertEquals(10, r.get("time").asInt());
    }

    @Test
    void timeSweepVariesTrialLength(@TempDir Path dir) throws Exception {
        JsonNode r = sweep(dir, "--what", "time", "--values", "5,10,20", "--hidden", "6", "--steps", "1", "--repeats", "1",
                "--backend", "java", "--batch", "2", "--warmup", "0.2");
        List<String> lines = csv(dir, "time");
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("time,ms_per_step,"), lines.get(0));
        JsonNode rows = r.get("rows");
        // work is linear in T at fixed H
        assertEquals(2 * rows.get(0).get("mflop_per_step").asDouble(), rows.get(1).get("mflop_per_step").asDouble(), 1e-12);
        for (JsonNode row : rows) assertPositiveFinite(row, "ms_per_step", "gflops");
        assertEquals(6, r.get("hidden").asInt());
        assertEquals(10, r.get("upper_half_from").asInt());
        assertTrue(Files.isRegularFile(dir.resolve("sweep-time.png")));
    }

    @Test
    void networksSweepSplitsFitsFromPairs(@TempDir Path dir) throws Exception {
        JsonNode r = sweep(dir, "--what", "networks", "--values", "3,4", "--units", "6", "--trials", "2", "--time", "20",
                "--n-delays", "2", "--rank", "4", "--threads", "1", "--warmup", "0.2");
        List<String> lines = csv(dir, "networks");
        assertEquals("networks," + String.join(",", DsaSweep.COLUMNS), lines.get(0));
        assertTrue(lines.get(1).startsWith("3,3,") && lines.get(2).startsWith("4,6,"), lines.toString());
        for (JsonNode row : r.get("rows")) {
            assertPositiveFinite(row, "seconds", "fit_seconds", "matrix_seconds", "fit_s_per_network", "ms_per_pair");
            assertEquals(row.get("fit_seconds").asDouble() + row.get("matrix_seconds").asDouble(), row.get("seconds").asDouble(), 1e-12);
        }
        assertTrue(Files.isRegularFile(dir.resolve("sweep-networks.png")));
        JsonNode wall = r.get("model").get("wall");
        assertPositiveFinite(wall, "fit_s_per_network", "ms_per_pair", "pairs_dominate_beyond_networks");
        assertPositiveFinite(wall.get("predicted_seconds"), "150", "500");
        // process CPU time ticks in 10 ms on Linux, so a tiny run may read 0 and have no CPU model
        JsonNode cpu = r.get("model").get("cpu");
        assertTrue(cpu == null || cpu.get("ms_per_pair").asDouble() >= 0, String.valueOf(cpu));
        assertTrue(r.get("exponents").has("matrix_seconds"));
        assertEquals(4, r.get("rank").asInt());
    }

    @Test
    void badInputNamesTheOption(@TempDir Path dir) {
        Object[][] cases = {
                {new String[] {}, "--what"},
                {new String[] {"--what", "weights"}, "hidden|time|networks"},
                {new String[] {"--what", "hidden", "--values", ""}, "--values"},
                {new String[] {"--what", "hidden", "--values", "8,sixteen"}, "sixteen"},
                {new String[] {"--what", "hidden", "--values", "8,20000"}, "20000"},
                {new String[] {"--what", "hidden", "--hidden", "64"}, "--hidden"},
                {new String[] {"--what", "time", "--time", "64"}, "--time"},
                {new String[] {"--what", "hidden", "--rank", "4"}, "--rank"},
                {new String[] {"--what", "networks", "--steps", "4"}, "--steps"},
                {new String[] {"--what", "networks", "--warmup", "-1"}, "--warmup"},
                {new String[] {"--what", "time", "--task", "delayed-discrimination"}, "time"},
                {new String[] {"extra", "--what", "hidden"}, "extra"}};
        for (Object[] c : cases) {
            String[] argv = (String[]) c[0];
            UsageException e = assertThrows(UsageException.class, () -> sweep(dir, argv), String.join(" ", argv));
            assertTrue(e.getMessage().contains((String) c[1]), String.join(" ", argv) + " -> " + e.getMessage());
        }
        UsageException e = assertThrows(UsageException.class, () -> sweep(dir, "--what", "hidden", "--rank", "4"));
        assertTrue(e.getMessage().contains("--what hidden"), e.getMessage());
    }

    @Test
    void registeredWithTheOtherBenchmarks() {
        assertTrue(Commands.builtIn().stream().anyMatch(c -> c.name().equals("bench sweep")));
    }
}
