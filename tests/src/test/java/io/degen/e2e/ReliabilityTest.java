package io.degen.e2e;

import io.degen.testkit.Cli;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.store.Catalog;
import io.degen.store.RunArtifacts;
import io.degen.util.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.degen.e2e.EndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.*;

/** Failure injection across the CLI: kill -9 at chosen moments, full and unwritable disks, heap too small, non-finite inputs. See docs/reliability.md. */
@Tag("e2e")
@Tag("slow")
class ReliabilityTest {
    static final String SPEC = EndToEndTest.SPEC.replace(":hidden 8", ":hidden 16")
            .replace(":max-epochs 3 :threshold 10.0 :patience 1", ":max-epochs 6 :threshold 10.0 :patience 5");

    static Process child(Path dir, List<String> jvmOpts, Map<String, String> env, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(jvmOpts);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.degen.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Starts `run` in a child JVM and kills it with SIGKILL once a line matches (plus a delay); returns the output seen. */
    static String runAndKill(Path dir, Path spec, Path out, Predicate<String> trigger, long delayMs) throws Exception {
        Process p = child(dir, List.of(), Map.of(), "run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java");
        StringBuilder seen = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                seen.append(line).append('\n');
                if (trigger.test(line)) {
                    if (delayMs > 0) Thread.sleep(delayMs);
                    p.destroyForcibly();
                    seen.append("<killed>\n");
                    break;
                }
            }
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
        return seen.toString();
    }

    /** Every visible run directory verifies, the catalog opens without duplicates, every metrics file is whole JSON. */
    static int checkStoreConsistent(Path out, String context) throws Exception {
        int n = 0;
        Path runs = out.resolve("runs");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> s = Files.list(runs)) {
                for (Path d : s.filter(q -> !q.getFileName().toString().startsWith(".")).toList()) {
                    RunArtifacts.read(d); // throws on a half-written or corrupt network
                    n++;
                }
            }
        }
        if (Files.exists(out.resolve("catalog.sqlite"))) {
            try (Catalog c = Catalog.open(out)) {
                List<Map<String, Object>> rows = c.runs();
                assertEquals(rows.size(), rows.stream().map(r -> r.get("run_id")).distinct().count(), context);
                assertTrue(rows.size() <= 6, context);
            }
        }
        Path metrics = out.resolve("metrics");
        if (Files.isDirectory(metrics)) {
            try (Stream<Path> s = Files.list(metrics)) {
                for (Path f : s.filter(q -> q.toString().endsWith(".json")).toList()) assertNotNull(Json.read(f).get("analysis"), f + " " + context);
            }
        }
        return n;
    }

    @Test
    void killMinus9AtManyMomentsThenRunFinishesWithEveryRunOnce(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("kill.edn");
        Files.writeString(spec, SPEC);
        Path out = dir.resolve("store");
        Random rnd = new Random(20261128L);
        record Kill(String what, Predicate<String> trigger, long delay) { }
        List<Kill> kills = List.of(
                new Kill("during training (first epoch line)", l -> l.contains(" epoch "), 0),
                new Kill("right after a network is published and recorded", l -> l.startsWith("[1/") || l.startsWith("[2/"), 0),
                new Kill("at a random moment of training", l -> l.contains(" epoch "), 50 + rnd.nextInt(400)),
                new Kill("around artifact and catalog writes (random delay after a finished run)", l -> l.matches("\\[\\d+/\\d+\\].*"), rnd.nextInt(30)),
                new Kill("during the metrics", l -> l.startsWith("[metrics 1/"), rnd.nextInt(100)),
                new Kill("during the metrics of the last condition", l -> l.startsWith("[metrics 2/"), 0));
        long t0 = System.nanoTime();
        for (Kill k : kills) {
            String seen = runAndKill(dir, spec, out, k.trigger(), k.delay());
            int stored = checkStoreConsistent(out, k.what() + "\n" + seen);
            System.err.printf("kill -9 %s: %d network(s) stored, killed=%s%s%n", k.what(), stored, seen.contains("<killed>"),
                    seen.contains("<killed>") ? "" : "; the run ended first:\n" + seen);
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(50)) break;
        }
        Cli.Result fin = cli("run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java");
        assertEquals(0, fin.code(), fin.err());
        assertTrue(fin.json().get("metrics").asBoolean());
        assertEquals(6, checkStoreConsistent(out, "final"));
        try (Catalog c = Catalog.open(out)) {
            assertEquals(6, c.runs().size(), "every run exactly once");
            assertEquals(6, c.query("SELECT DISTINCT run_id FROM runs").size());
        }
        try (Stream<Path> s = Files.list(out.resolve("metrics"))) { assertEquals(2, s.filter(q -> q.toString().endsWith(".json")).count()); }
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            assertTrue(s.noneMatch(q -> q.getFileName().toString().startsWith(".tmp")), "half-written networks removed");
        }
        Cli.Result again = cli("run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java");
        assertEquals(0, again.json().get("trained").asInt(), "nothing trained twice");
    }

    @Test
    void anOutputUnderARegularFileIsRefusedNamingThePath(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("s.edn");
        Files.writeString(spec, SPEC);
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Path out = file.resolve("sub");
        Cli.Result r = cli("run", spec.toString(), "--out", out.toString(), "--backend", "java");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cannot write") && r.err().contains(file.toString()), r.err());
    }

    @Test
    void aFullDiskStopsWithAClearMessageKeepsFinishedRunsAndResumesWithSpace(@TempDir Path dir) throws Exception {
        Path disk = dir.resolve("disk");
        Files.createDirectories(disk);
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "tmpfs needs Linux");
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()).redirectErrorStream(true).start();
        String mountOut = new String(m.getInputStream().readAllBytes());
        Assumptions.assumeTrue(m.waitFor() == 0, "cannot mount a tmpfs here (needs root): " + mountOut);
        try {
            Path spec = dir.resolve("big.edn");
            // hidden 200: weights.npz + init.npz are 0.3-0.6 MB per network; 6 networks overflow 1 MB.
            Files.writeString(spec, EndToEndTest.SPEC.replace(":hidden 8", ":hidden 200").replace(":max-epochs 3", ":max-epochs 1"));
            Path out = disk.resolve("store");
            Cli.Result full = cli("run", spec.toString(), "--out", out.toString(), "--workers", "1", "--backend", "java");
            assertNotEquals(0, full.code(), full.err());
            System.err.println("full disk: exit " + full.code() + ": " + full.err().strip().lines().reduce((a, b) -> b).orElse(""));
            String msg = full.err().toLowerCase();
            assertTrue(msg.contains("no space left") && full.err().contains(disk.toString()), full.err());
            assertFalse(msg.contains("exception:") && !msg.contains("no space left"), full.err());
            int kept = checkStoreConsistent(out, full.err());
            assertTrue(kept >= 1 && kept < 6, "finished networks kept and verifiable: " + kept);
            try (Stream<Path> s = Files.list(out.resolve("runs"))) {
                assertTrue(s.noneMatch(q -> q.getFileName().toString().startsWith(".tmp")), "no half-written network left");
            }
            Process re = new ProcessBuilder("mount", "-o", "remount,size=64m", disk.toString()).redirectErrorStream(true).start();
            re.getInputStream().readAllBytes();
            assertEquals(0, re.waitFor());
            Cli.Result ok = cli("run", spec.toString(), "--out", out.toString(), "--workers", "1", "--backend", "java");
            assertEquals(0, ok.code(), ok.err());
            assertEquals(6 - kept, ok.json().get("trained").asInt());
            assertTrue(ok.json().get("metrics").asBoolean());
            assertEquals(6, checkStoreConsistent(out, "after remount"));
        } finally {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
        }
    }

    @Test
    void aModelThatCannotFitTheHeapIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("huge.edn");
        Files.writeString(spec, EndToEndTest.SPEC.replace(":hidden 8", ":hidden 16384"));
        Path out = dir.resolve("store");
        Process p = child(dir, List.of("-Xmx512m"), Map.of(), "run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java");
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), text);
        assertTrue(text.contains("not enough memory") && text.contains("max heap") && text.contains("bytes"), text);
        assertEquals(0, EndToEndTest.countRuns(out), "nothing trained");
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheFileAndValue(@TempDir Path dir) throws Exception {
        int h = 4;
        Map<String, NdArray> w = new LinkedHashMap<>();
        double[] whh = new double[h * h];
        whh[5] = Double.NaN;
        w.put("weight_hh_l0", NdArray.f64(whh, h, h));
        w.put("weight_ih_l0", NdArray.f64(new double[h * 2], h, 2));
        w.put("bias_ih_l0", NdArray.f64(new double[h], h));
        w.put("bias_hh_l0", NdArray.f64(new double[h], h));
        w.put("readout.weight", NdArray.f64(new double[2 * h], 2, h));
        w.put("readout.bias", NdArray.f64(new double[2], 2));
        Path state = dir.resolve("nan-state.npz");
        Npy.writeNpz(state, w);
        Cli.Result r = cli("import-torch", state.toString(), "--task", "flipflop", "--channels", "2", "--out", dir.resolve("net").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(state.toString()) && r.err().contains("NaN") && r.err().contains("weight_hh_l0"), r.err());
        assertFalse(Files.exists(dir.resolve("net")));

        // A stored network with NaN weights (as a diverged run leaves): simulate refuses it too.
        whh[5] = 0.1;
        Path good = dir.resolve("state.npz");
        Npy.writeNpz(good, w);
        Cli.Result imp = cli("import-torch", good.toString(), "--task", "flipflop", "--channels", "2", "--out", dir.resolve("net").toString());
        assertEquals(0, imp.code(), imp.err());
        Path net = dir.resolve("net");
        Map<String, NdArray> stored = Npy.readNpz(net.resolve("weights.npz"));
        NdArray rec = stored.values().iterator().next();
        rec.data()[0] = Double.POSITIVE_INFINITY;
        Npy.writeNpz(net.resolve("weights.npz"), stored);
        // keep the checksum and the record's seal valid, so the finiteness check (not the checksum) is what refuses it
        String sum = sha256(net.resolve("weights.npz"));
        io.degen.store.RunRecord rec0 = io.degen.util.Json.MAPPER.readValue(net.resolve("record.json").toFile(), io.degen.store.RunRecord.class);
        Map<String, String> sums = new java.util.LinkedHashMap<>(rec0.sha256());
        sums.put("weights.npz", sum);
        rec0 = new io.degen.store.RunRecord(rec0.id(), rec0.condition(), rec0.config(), rec0.status(), rec0.epochs(), rec0.finalLoss(),
                rec0.finalAuxLoss(), rec0.wallSeconds(), rec0.backend(), rec0.importedFrom(), sums).sealed();
        Files.writeString(net.resolve("record.json"), io.degen.util.Json.pretty(rec0));
        Cli.Result sim = cli("simulate", "--net", net.toString(), "--trials", "2", "--out", dir.resolve("t.npy").toString());
        assertEquals(2, sim.code(), sim.err());
        assertTrue(sim.err().contains("weights.npz") && sim.err().contains("Infinity"), sim.err());
    }

    @Test
    void slurmScriptsAreWrittenAndSubmitNeedsSbatch(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("s.edn");
        Files.writeString(spec, EndToEndTest.SPEC);
        Path launcher = Path.of("..", "degen").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isExecutable(launcher), "needs the repository's ./degen");
        Path out = dir.resolve("store");
        Cli.Result w = cli("slurm", spec.toString(), "--shards", "3", "--out", out.toString(), "--launcher", launcher.toString(),
                "--gpus", "1", "--time", "01:00:00", "--mem", "4G", "--partition", "gpu");
        assertEquals(0, w.code(), w.err());
        String array = Files.readString(out.resolve("slurm/array.sbatch"));
        assertTrue(array.contains("#SBATCH --array=0-2"), array);
        assertTrue(array.contains("#SBATCH --gres=gpu:1") && array.contains("--backend cuda"), array);
        assertTrue(array.contains("--shard \"$SLURM_ARRAY_TASK_ID/3\"") && array.contains(launcher.toString()), array);
        assertTrue(array.contains("#SBATCH --output=" + out.resolve("slurm/logs")), array);
        String finish = Files.readString(out.resolve("slurm/finish.sbatch"));
        assertTrue(finish.indexOf(" merge ") < finish.indexOf(" measure ") && finish.indexOf(" measure ") < finish.indexOf(" report "), finish);
        assertFalse(finish.contains(" run "), "the finish job trains nothing: " + finish);
        assertTrue(w.json().get("commands").get(1).asText().contains("--dependency=afterok:"));

        // --submit: no sbatch on PATH is a usage error; a stand-in sbatch gets the array then the dependent finish job.
        Process p = child(dir, List.of(), Map.of("PATH", dir.resolve("nobin").toString()), "slurm", spec.toString(), "--shards", "3",
                "--out", out.toString(), "--launcher", launcher.toString(), "--submit");
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), text);
        assertTrue(text.contains("sbatch") && text.contains("PATH"), text);

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("sbatch");
        Files.writeString(fake, "#!/bin/sh\necho \"$@\" >> " + dir.resolve("sbatch.log") + "\nn=$(wc -l < " + dir.resolve("sbatch.log") + ")\necho \"$((100 + n));cluster\"\n");
        fake.toFile().setExecutable(true);
        p = child(dir, List.of(), Map.of("PATH", bin + ":/usr/bin:/bin"), "slurm", spec.toString(), "--shards", "3",
                "--out", out.toString(), "--launcher", launcher.toString(), "--submit");
        text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), text);
        String[] lines = text.strip().split("\n");
        var j = Json.parse(lines[lines.length - 1]);
        assertEquals("101", j.get("array_job").asText());
        assertEquals("102", j.get("finish_job").asText());
        List<String> calls = Files.readAllLines(dir.resolve("sbatch.log"));
        assertEquals("--parsable " + out.resolve("slurm/array.sbatch"), calls.get(0));
        assertEquals("--parsable --dependency=afterok:101 " + out.resolve("slurm/finish.sbatch"), calls.get(1));

        // --metric-blocks B: a merge job after the array, a metric-block array after the merge, the finish job after that.
        Path out2 = dir.resolve("store2");
        Cli.Result wb = cli("slurm", spec.toString(), "--shards", "3", "--out", out2.toString(), "--launcher", launcher.toString(),
                "--gpus", "1", "--mem", "4G", "--metric-blocks", "4");
        assertEquals(0, wb.code(), wb.err());
        assertEquals(2 * 2 * 4, wb.json().get("block_tasks").asInt(), "2 conditions x 2 pairwise levels x 4 blocks");
        assertEquals(4, wb.json().get("commands").size());
        assertTrue(wb.json().get("commands").get(3).asText().contains("--dependency=afterok:${BLOCKS"), wb.out());
        String merge = Files.readString(out2.resolve("slurm/merge.sbatch"));
        assertTrue(merge.contains(" merge '" + out2 + "'") && !merge.contains("--gres"), merge);
        String blocks = Files.readString(out2.resolve("slurm/blocks.sbatch"));
        assertTrue(blocks.contains("#SBATCH --array=0-15"), blocks);
        assertTrue(blocks.contains(" metric-block ") && blocks.contains("--block \"$b/$B\"") && blocks.contains("B=4"), blocks);
        assertTrue(blocks.contains("LEVELS=(dynamics weights)") && !blocks.contains("--gres") && !blocks.contains("cuda"), blocks);
        var plan = cli("plan", spec.toString()).json();
        for (var c : plan.get("conditions")) assertTrue(blocks.contains(c.get("id").asText()), blocks);
        // The task index decodes to every (condition, level, block) once.
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int t = 0; t < 16; t++) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", blocks.substring(blocks.indexOf("CONDITIONS=("), blocks.indexOf("exec "))
                    + "echo \"$c $l $b/$B\"").redirectErrorStream(true);
            pb.environment().put("SLURM_ARRAY_TASK_ID", String.valueOf(t));
            Process b = pb.start();
            String line = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, b.waitFor(), line);
            assertTrue(line.matches("[0-9a-f]+ (dynamics|weights) [0-3]/4"), line);
            seen.add(line);
        }
        assertEquals(16, seen.size(), "every (condition, level, block) once");
        Files.deleteIfExists(dir.resolve("sbatch.log"));
        p = child(dir, List.of(), Map.of("PATH", bin + ":/usr/bin:/bin"), "slurm", spec.toString(), "--shards", "3",
                "--out", out2.toString(), "--launcher", launcher.toString(), "--metric-blocks", "4", "--submit");
        text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), text);
        lines = text.strip().split("\n");
        j = Json.parse(lines[lines.length - 1]);
        assertEquals("101", j.get("array_job").asText());
        assertEquals("102", j.get("merge_job").asText());
        assertEquals("103", j.get("blocks_job").asText());
        assertEquals("104", j.get("finish_job").asText());
        calls = Files.readAllLines(dir.resolve("sbatch.log"));
        assertEquals("--parsable " + out2.resolve("slurm/array.sbatch"), calls.get(0));
        assertEquals("--parsable --dependency=afterok:101 " + out2.resolve("slurm/merge.sbatch"), calls.get(1));
        assertEquals("--parsable --dependency=afterok:102 " + out2.resolve("slurm/blocks.sbatch"), calls.get(2));
        assertEquals("--parsable --dependency=afterok:103 " + out2.resolve("slurm/finish.sbatch"), calls.get(3));
    }

    static String sha256(Path f) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
        StringBuilder b = new StringBuilder();
        for (byte x : d) b.append(String.format("%02x", x));
        return b.toString();
    }
}
