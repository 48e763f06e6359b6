package io.degen.e2e;

import io.degen.testkit.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import io.degen.util.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `degen metric-block` splits a condition's pairwise matrices over jobs; `degen run` assembles them,
 * and the metrics file equals the one computed in one process.
 */
@Tag("e2e")
class MetricBlocksTest {
    static final String SPEC = """
            {:name "blocks"
             :task {:type :flipflop :channels 1 :time 20}
             :model {:hidden 8}
             :train {:batch 8 :steps-per-epoch 3 :max-epochs 2 :threshold 10.0 :patience 1}
             :seeds 4
             :measure {:dsa {:n-delays 2 :rank 4} :probe-trials 6 :ood-trials 8 :ntk-trials 2}}
            """;

    @Test
    void conditionFromThreeBlocksEqualsWholeAndBlocksResumeAndRepair(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("s.edn");
        Files.writeString(spec, SPEC);
        Path whole = dir.resolve("whole"), blocked = dir.resolve("blocked");
        var one = cli("run", spec.toString(), "--out", whole.toString(), "--workers", "1", "--backend", "java");
        assertEquals(0, one.code(), one.err());
        Path metricsFile;
        try (Stream<Path> s = Files.list(whole.resolve("metrics"))) { metricsFile = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow(); }
        String cid = metricsFile.getFileName().toString().replace(".json", "");
        assertEquals(4, Json.read(metricsFile).get("analysis").get("converged").asInt(), "all four networks converge");

        // The same networks in a second store (what a merge produces), then 3 blocks per level.
        copyTree(whole.resolve("runs"), blocked.resolve("runs"));
        for (String level : new String[] {"dynamics", "weights"}) {
            for (int b = 0; b < 3; b++) {
                var r = cli("metric-block", spec.toString(), "--out", blocked.toString(), "--condition", cid, "--level", level,
                        "--block", b + "/3", "--workers", "1", "--backend", "java");
                assertEquals(0, r.code(), r.err());
                assertFalse(r.json().get("skipped").asBoolean());
                assertEquals(2, r.json().get("pairs").asInt(), "6 pairs in 3 blocks");
                Path f = blocked.resolve("blocks").resolve(cid).resolve(level + "-" + b + "-of-3.json");
                JsonNode j = Json.read(f);
                assertEquals(4, j.get("ids").size());
                assertEquals(2, j.get("pairs").size());
                assertEquals(2, j.get("distances").size());
            }
        }
        var fin = cli("run", spec.toString(), "--out", blocked.toString(), "--workers", "1", "--backend", "java");
        assertEquals(0, fin.code(), fin.err());
        assertEquals(0, fin.json().get("trained").asInt());
        assertTrue(fin.err().contains("dynamics: matrix assembled from 3 block file(s)"), fin.err());
        assertTrue(fin.err().contains("weights: matrix assembled from 3 block file(s)"), fin.err());
        JsonNode a = Json.read(metricsFile), b = Json.read(blocked.resolve("metrics").resolve(cid + ".json"));
        assertClose(a.get("analysis"), b.get("analysis"), "analysis");
        assertClose(a.get("metrics"), b.get("metrics"), "metrics");

        // Resubmitting a finished block skips it (the file is left as it is).
        Path f0 = blocked.resolve("blocks").resolve(cid).resolve("dynamics-0-of-3.json");
        String before = Files.readString(f0);
        var again = cli("metric-block", spec.toString(), "--out", blocked.toString(), "--condition", cid, "--level", "dynamics",
                "--block", "0/3", "--workers", "1", "--backend", "java");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.json().get("skipped").asBoolean(), again.out());
        assertEquals(before, Files.readString(f0));

        // A corrupt block file is not used by the analysis, and a resubmitted block recomputes it.
        Path f1 = blocked.resolve("blocks").resolve(cid).resolve("weights-1-of-3.json");
        String good = Files.readString(f1);
        Files.writeString(f1, good.substring(0, good.length() / 2));
        var fin2 = cli("run", spec.toString(), "--out", blocked.toString(), "--workers", "1", "--backend", "java");
        assertEquals(0, fin2.code(), fin2.err());
        assertTrue(fin2.err().contains("weights: block files") && fin2.err().contains("not used"), fin2.err());
        assertClose(a.get("analysis"), Json.read(blocked.resolve("metrics").resolve(cid + ".json")).get("analysis"), "analysis (fallback)");
        var repair = cli("metric-block", spec.toString(), "--out", blocked.toString(), "--condition", cid, "--level", "weights",
                "--block", "1/3", "--workers", "1", "--backend", "java");
        assertEquals(0, repair.code(), repair.err());
        assertFalse(repair.json().get("skipped").asBoolean());
        assertTrue(repair.err().contains("does not verify"), repair.err());
        assertClose(Json.parse(good), Json.read(f1), "recomputed block");

        // Usage errors.
        assertEquals(2, cli("metric-block", spec.toString(), "--out", blocked.toString(), "--condition", "nope", "--level", "weights",
                "--block", "0/3").code());
        assertEquals(2, cli("metric-block", spec.toString(), "--out", blocked.toString(), "--condition", cid, "--level", "weights",
                "--block", "3/3").code());
        assertEquals(2, cli("metric-block", spec.toString(), "--out", blocked.toString(), "--condition", cid, "--level", "behaviour",
                "--block", "0/3").code());
    }

    /** Runs the CLI in-process (the commands' progress is in the result's err). */
    static Cli.Result cli(String... args) { return Cli.run(args); }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    /** Same JSON structure; numbers equal to 1e-12 (relative for large values). */
    static void assertClose(JsonNode a, JsonNode b, String where) {
        assertNotNull(a, where);
        assertNotNull(b, where);
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble(), y = b.asDouble();
            assertEquals(x, y, 1e-12 * Math.max(1, Math.abs(x)), where);
            return;
        }
        assertEquals(a.getNodeType(), b.getNodeType(), where);
        if (a.isObject()) {
            assertEquals(a.size(), b.size(), where);
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                var e = it.next();
                assertClose(e.getValue(), b.get(e.getKey()), where + "." + e.getKey());
            }
        } else if (a.isArray()) {
            assertEquals(a.size(), b.size(), where);
            for (int i = 0; i < a.size(); i++) assertClose(a.get(i), b.get(i), where + "[" + i + "]");
        } else {
            assertEquals(a.asText(), b.asText(), where);
        }
    }
}
