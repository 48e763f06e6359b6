package io.degen.e2e;

import io.degen.testkit.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import io.degen.store.Catalog;
import io.degen.util.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.degen.e2e.EndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Shards write their own stores (DIR/shards/I-of-K), run concurrently without refusing each other,
 * and `degen merge DIR` + `degen run SPEC --out DIR` gives exactly the single-machine result.
 */
@Tag("e2e")
class ShardMergeTest {
    static final String SPEC = EndToEndTest.SPEC;

    @Test
    void concurrentShardsThenMergeEqualASingleMachineRun(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("s.edn");
        Files.writeString(spec, SPEC);
        Path single = dir.resolve("single"), sharded = dir.resolve("sharded");
        var one = cli("run", spec.toString(), "--out", single.toString(), "--workers", "1", "--backend", "java");
        assertEquals(0, one.code(), one.err());

        // Three shards at once on one DIR: none refuses another.
        ExecutorService ex = Executors.newFixedThreadPool(3);
        List<Future<Cli.Result>> fs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String s = i + "/3";
            fs.add(ex.submit(() -> cli("run", spec.toString(), "--out", sharded.toString(), "--workers", "1", "--backend", "java", "--shard", s)));
        }
        int trained = 0;
        for (Future<Cli.Result> f : fs) {
            Cli.Result o = f.get();
            assertEquals(0, o.code(), o.err());
            assertFalse(o.json().get("metrics").asBoolean());
            trained += o.json().get("trained").asInt();
        }
        ex.shutdown();
        assertEquals(6, trained);
        for (int i = 0; i < 3; i++) assertTrue(Files.exists(sharded.resolve("shards/" + i + "-of-3/catalog.sqlite")));
        assertFalse(Files.exists(sharded.resolve("runs")), "shards write only their own stores");

        var merge = cli("merge", sharded.toString());
        assertEquals(0, merge.code(), merge.err());
        JsonNode m = merge.json();
        assertEquals(6, m.get("moved").asInt() + m.get("copied").asInt());
        assertEquals(6, m.get("catalog_rows").asInt());
        assertEquals(0, m.get("corrupt").size());
        try (Catalog c = Catalog.open(sharded)) { assertEquals(6, c.runs().size(), "no lost or duplicated rows"); }

        // A resubmitted shard trains nothing: its runs are merged.
        var again = cli("run", spec.toString(), "--out", sharded.toString(), "--workers", "1", "--backend", "java", "--shard", "1/3");
        assertEquals(0, again.code(), again.err());
        assertEquals(0, again.json().get("trained").asInt());
        var merge2 = cli("merge", sharded.toString());
        assertEquals(0, merge2.json().get("moved").asInt() + merge2.json().get("copied").asInt());

        var fin = cli("run", spec.toString(), "--out", sharded.toString(), "--workers", "1", "--backend", "java");
        assertEquals(0, fin.code(), fin.err());
        assertEquals(0, fin.json().get("trained").asInt());
        assertTrue(fin.json().get("metrics").asBoolean());

        assertEquals(runIds(single), runIds(sharded));
        assertEquals(catalogRows(single), catalogRows(sharded));
        assertEquals(metrics(single), metrics(sharded));
        assertEquals(2, metrics(sharded).size());
    }

    @Test
    void corruptShardArtifactIsReportedNotCopiedAndRetrainedOnResubmission(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("s.edn");
        Files.writeString(spec, SPEC);
        Path out = dir.resolve("store");
        for (int i = 0; i < 2; i++) {
            var r = cli("run", spec.toString(), "--out", out.toString(), "--workers", "1", "--backend", "java", "--shard", i + "/2");
            assertEquals(0, r.code(), r.err());
        }
        Path victim;
        try (Stream<Path> s = Files.list(out.resolve("shards/0-of-2/runs"))) { victim = s.sorted().findFirst().orElseThrow(); }
        Path w = victim.resolve("weights.npz");
        byte[] b = Files.readAllBytes(w);
        Files.write(w, java.util.Arrays.copyOf(b, b.length / 2));
        var merge = cli("merge", out.toString());
        assertEquals(0, merge.code(), merge.err());
        assertEquals(1, merge.json().get("corrupt").size());
        assertTrue(merge.json().get("corrupt").get(0).asText().endsWith(victim.getFileName().toString()), merge.out());
        assertFalse(Files.exists(out.resolve("runs").resolve(victim.getFileName())), "a corrupt artifact is never copied");
        assertEquals(5, merge.json().get("moved").asInt() + merge.json().get("copied").asInt());

        var re = cli("run", spec.toString(), "--out", out.toString(), "--workers", "1", "--backend", "java", "--shard", "0/2");
        assertEquals(0, re.code(), re.err());
        assertEquals(1, re.json().get("trained").asInt(), "only the corrupt one is retrained");
        assertEquals(1, cli("merge", out.toString()).json().get("moved").asInt());
        var fin = cli("run", spec.toString(), "--out", out.toString(), "--workers", "1", "--backend", "java");
        assertEquals(0, fin.json().get("trained").asInt());
        assertTrue(fin.json().get("metrics").asBoolean());
        try (Catalog c = Catalog.open(out)) { assertEquals(6, c.runs().size()); }
    }

    @Test
    void aShardStillRunningIsLeftAloneAndMergedLater(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("s.edn");
        Files.writeString(spec, SPEC);
        Path out = dir.resolve("store");
        for (int i = 0; i < 2; i++) assertEquals(0, cli("run", spec.toString(), "--out", out.toString(), "--workers", "1", "--backend", "java", "--shard", i + "/2").code());
        try (io.degen.store.StoreLock held = io.degen.store.StoreLock.acquire(out.resolve("shards/1-of-2"))) {
            var m = cli("merge", out.toString());
            assertEquals(0, m.code(), m.err());
            assertEquals("1-of-2", m.json().get("busy_shards").get(0).asText());
            assertEquals(1, m.json().get("shards").size());
        }
        var m2 = cli("merge", out.toString());
        assertEquals(0, m2.json().get("busy_shards").size());
        var fin = cli("run", spec.toString(), "--out", out.toString(), "--workers", "1", "--backend", "java");
        assertEquals(0, fin.json().get("trained").asInt());
        try (Catalog c = Catalog.open(out)) { assertEquals(6, c.runs().size()); }
    }

    @Test
    void mergeAcrossFilesystemsCopiesAndVerifies(@TempDir Path dir) throws Exception {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm)
                && !Files.getFileStore(shm).equals(Files.getFileStore(dir)), "needs /dev/shm on another filesystem");
        Path spec = dir.resolve("s.edn");
        Files.writeString(spec, SPEC.replace(":seeds 3", ":seeds 1"));
        Path out = dir.resolve("store");
        Path remote = Files.createTempDirectory(shm, "degen-shards-");
        try {
            Files.createDirectories(out);
            Files.createSymbolicLink(out.resolve("shards"), remote);
            var r = cli("run", spec.toString(), "--out", out.toString(), "--workers", "1", "--backend", "java", "--shard", "0/2");
            assertEquals(0, r.code(), r.err());
            var merge = cli("merge", out.toString());
            assertEquals(0, merge.code(), merge.err());
            assertEquals(r.json().get("trained").asInt(), merge.json().get("copied").asInt(), merge.err());
            assertEquals(0, merge.json().get("moved").asInt());
            try (Stream<Path> s = Files.list(remote.resolve("0-of-2/runs"))) { assertEquals(0, s.count(), "sources removed after the verified copy"); }
        } finally {
            try (Stream<Path> s = Files.walk(remote)) { for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p); }
        }
    }

    static TreeSet<String> runIds(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    static List<String> catalogRows(Path out) throws Exception {
        try (Catalog c = Catalog.open(out)) {
            List<String> rows = new ArrayList<>();
            for (Map<String, Object> r : c.query("SELECT run_id, condition_id, seed, status, epochs, final_loss, ood_loss FROM runs ORDER BY run_id")) {
                rows.add(r.toString());
            }
            return rows;
        }
    }

    static Map<String, String> metrics(Path out) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(out.resolve("metrics"))) {
            for (Path p : s.filter(q -> q.toString().endsWith(".json")).toList()) {
                JsonNode n = Json.read(p);
                m.put(p.getFileName().toString(), Json.line(n.get("analysis")) + Json.line(n.get("metrics")) + Json.line(n.get("runs")));
            }
        }
        return m;
    }
}
