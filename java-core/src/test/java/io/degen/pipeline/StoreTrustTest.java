package io.degen.pipeline;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.config.RunConfig;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.Plan;
import io.degen.store.RunArtifacts;
import io.degen.store.Store;
import io.degen.store.StoreLayout;
import io.degen.train.Trainer;
import io.degen.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.degen.plan.TinySpecs.flipflop;
import static io.degen.plan.TinySpecs.list;
import static io.degen.plan.TinySpecs.with;
import static org.junit.jupiter.api.Assertions.*;

/** Nothing stored is trusted: edited records, swapped directories and weights that do not fit are found, named and retrained. */
class StoreTrustTest {
    static Plan plan() { return ExperimentSpec.fromMap(with(flipflop(), "control", "nuclear", list(0, 1e-3))).compile(); }

    static RunSummary run(Plan p, Path out, ByteArrayOutputStream log) throws Exception {
        try (Backend be = Backends.create("java")) {
            return Experiment.run(p, out, Experiment.TrainOptions.workers(2), false, be, new PrintStream(log, true));
        }
    }

    static Path record(Path out, String id) { return StoreLayout.at(out).run(id).resolve(RunArtifacts.RECORD); }

    @Test void anEditedRecordIsCorruptAndRetrained(@TempDir Path out) throws Exception {
        Plan p = plan();
        run(p, out, new ByteArrayOutputStream());
        List<RunConfig> rs = p.runs();
        String status = rs.get(0).id(), epochs = rs.get(1).id(), seed = rs.get(2).id();
        Files.writeString(record(out, status), Files.readString(record(out, status)).replaceFirst("\"status\" : \"(not-converged|converged)\"", "\"status\" : \"Converged\""));
        Files.writeString(record(out, epochs), Files.readString(record(out, epochs)).replaceFirst("\"epochs\" : (\\d+)", "\"epochs\" : 999"));
        Files.writeString(record(out, seed), Files.readString(record(out, seed)).replaceFirst("\"seed\" : (\\d+)", "\"seed\" : 77"));
        Store store = Store.at(out);
        assertTrue(store.isCorrupt(status), "a status not spelled as written");
        assertTrue(store.problem(epochs).contains("does not match its seal"), store.problem(epochs));
        assertTrue(store.problem(seed).contains("is not the hash of its configuration"), store.problem(seed));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunSummary r = run(p, out, log);
        assertEquals(Set.of(status, epochs, seed), Set.copyOf(r.corrupt()), log.toString());
        assertEquals(3, r.trained());
        for (String id : List.of(status, epochs, seed)) assertTrue(Store.at(out).isComplete(id), id);
    }

    @Test void swappedRunDirectoriesAreBothRetrained(@TempDir Path out) throws Exception {
        Plan p = plan();
        run(p, out, new ByteArrayOutputStream());
        String a = p.runs().get(0).id(), b = p.runs().get(3).id();
        Path da = StoreLayout.at(out).run(a), db = StoreLayout.at(out).run(b), tmp = out.resolve("swap");
        Files.move(da, tmp);
        Files.move(db, da);
        Files.move(tmp, db);
        assertTrue(Store.at(out).problem(a).contains("holds the record of run " + b), Store.at(out).problem(a));
        RunSummary r = run(p, out, new ByteArrayOutputStream());
        assertEquals(Set.of(a, b), Set.copyOf(r.corrupt()));
    }

    @Test void weightsThatDoNotFitTheirConfigurationAreNamedAndRetrained(@TempDir Path out) throws Exception {
        Plan p = plan();
        run(p, out, new ByteArrayOutputStream());
        RunConfig victim = p.runs().get(1);
        // A whole, consistently sealed network whose weights belong to another width.
        RunConfig narrow = new RunConfig(victim.taskOptions(), io.degen.config.ModelConfig.standard(6), victim.train(), victim.seed());
        var res = new Trainer(io.degen.testkit.Engines.JAVA).train(narrow, null);
        Path tmp = out.resolve("elsewhere");
        Path written = RunArtifacts.write(tmp, narrow, res);
        @SuppressWarnings("unchecked") Map<String, Object> rec = Json.MAPPER.readValue(written.resolve(RunArtifacts.RECORD).toFile(), java.util.LinkedHashMap.class);
        io.degen.store.RunRecord forged = Json.MAPPER.convertValue(rec, io.degen.store.RunRecord.class);
        forged = new io.degen.store.RunRecord(victim.id(), victim.conditionId(), victim.toMap(), forged.status(), forged.epochs(), forged.finalLoss(),
                forged.finalAuxLoss(), forged.wallSeconds(), forged.backend(), null, forged.sha256()).sealed();
        Path dir = StoreLayout.at(out).run(victim.id());
        RunArtifacts.deleteTree(dir);
        Files.move(written, dir);
        Files.writeString(dir.resolve(RunArtifacts.RECORD), Json.pretty(forged));
        assertTrue(Store.at(out).isComplete(victim.id()), "it verifies: only its weights give it away");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Backend be = Backends.create("java")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.measure(out, 2, be, new PrintStream(log)));
            assertTrue(e.getMessage().contains(victim.id()) && e.getMessage().contains("has shape [6") && e.getMessage().contains("expected [8"), e.getMessage());
        }
        RunSummary r = run(p, out, log);
        assertTrue(r.metrics(), log.toString());
        assertTrue(r.corrupt().contains(victim.id()), r.toString());
        assertTrue(log.toString().contains("corrupt stored network " + victim.id()), log.toString());
    }

    @Test void recordsOfEarlierVersionsAreVerifiedThenSealed(@TempDir Path out) throws Exception {
        Plan p = plan();
        run(p, out, new ByteArrayOutputStream());
        String id = p.runs().get(0).id();
        String text = Files.readString(record(out, id));
        Files.writeString(record(out, id), text.replaceFirst(",\\s*\"seal\" : \"[0-9a-f]+\"", ""));
        assertFalse(Files.readString(record(out, id)).contains("\"seal\""));
        assertTrue(Store.at(out).isComplete(id), "an unsealed record of an earlier version still reads");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunSummary r = run(p, out, log);
        assertEquals(0, r.trained());
        assertTrue(log.toString().contains("sealed 1 record(s) written by an earlier version"), log.toString());
        assertTrue(Files.readString(record(out, id)).contains("\"seal\""));
    }

    @Test void aDamagedCatalogIsMovedAsideAndRebuilt(@TempDir Path out) throws Exception {
        Plan p = plan();
        run(p, out, new ByteArrayOutputStream());
        Path cat = out.resolve("catalog.sqlite");
        for (String side : new String[] {"-wal", "-shm"}) Files.deleteIfExists(out.resolve("catalog.sqlite" + side));
        Files.write(cat, "this is not a database at all, it is a damaged file of some length".repeat(100).getBytes());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunSummary r = run(p, out, log);
        assertEquals(0, r.trained());
        assertTrue(r.metrics());
        assertTrue(log.toString().contains("was damaged") && log.toString().contains("catalog rebuilt: 4 run(s), 2 condition(s)"), log.toString());
        try (var files = Files.list(out)) { assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("catalog.sqlite.corrupt-")).count()); }
        try (io.degen.store.Catalog c = io.degen.store.Catalog.open(out)) {
            assertEquals(4, c.runs().size());
            assertEquals(2, c.query("SELECT * FROM condition_metrics WHERE metric = 'share_converged'").size());
        }
    }

    @Test void reindexRemovesOrphanRows(@TempDir Path out) throws Exception {
        Plan p = plan();
        run(p, out, new ByteArrayOutputStream());
        String gone = p.runs().get(2).id();
        RunArtifacts.deleteTree(StoreLayout.at(out).run(gone));
        var r = Experiment.reindex(out, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(3, r.runs());
        assertEquals(1, r.removed());
        try (io.degen.store.Catalog c = io.degen.store.Catalog.open(out)) {
            assertEquals(3, c.runs().size());
            assertTrue(c.runs().stream().noneMatch(row -> gone.equals(row.get("run_id"))));
        }
    }

    /** A store holds one study: a spec of other conditions is refused before anything is written; the same conditions may change the rest. */
    @Test void aStoreIsBoundToOneStudy(@TempDir Path out) throws Exception {
        run(plan(), out, new ByteArrayOutputStream());
        Plan other = ExperimentSpec.fromMap(with(flipflop(), "control", "l1", list(0, 1e-3))).compile();
        String before = Files.readString(out.resolve("plan.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(other, out, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("holds the study tiny") && e.getMessage().contains("its own --out"), e.getMessage());
        assertEquals(before, Files.readString(out.resolve("plan.json")), "nothing written");
        Map<String, Object> described = with(flipflop(), "control", "nuclear", list(0, 1e-3));
        described.put("description", "the same study, described");
        RunSummary r = run(ExperimentSpec.fromMap(described).compile(), out, new ByteArrayOutputStream());
        assertEquals(0, r.trained());
        assertTrue(Files.readString(out.resolve("plan.json")).contains("the same study, described"));
    }

    @Test void staleTemporariesAreCleanedAndFilesFollowTheUmask(@TempDir Path out) throws Exception {
        Plan p = plan();
        run(p, out, new ByteArrayOutputStream());
        Files.writeString(out.resolve(".plan.json.12345.tmp"), "{\"half");
        Files.createDirectories(out.resolve("metrics"));
        Files.writeString(out.resolve("metrics").resolve(".abc.json.999.tmp"), "{");
        Files.createDirectories(out.resolve("report"));
        Files.writeString(out.resolve("report").resolve(".knob.42.tmp.svg"), "<svg");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        run(p, out, log);
        assertTrue(log.toString().contains("removed 3 temporary file(s)"), log.toString());
        Experiment.report(out);
        try (var s = Files.walk(out)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().contains(".tmp")).toList(), "no temporary file left");
        }
        // Whatever the umask lets a new file have, published files and run directories have too (0644 / 0755 under 022).
        Path probe = Files.createFile(out.resolve("probe"));
        var fileMode = Files.getPosixFilePermissions(probe);
        assertEquals(fileMode, Files.getPosixFilePermissions(out.resolve("plan.json")));
        Path runDir = StoreLayout.at(out).run(p.runs().get(0).id());
        assertEquals(fileMode, Files.getPosixFilePermissions(runDir.resolve(RunArtifacts.RECORD)));
        var dirMode = Files.getPosixFilePermissions(Files.createDirectory(out.resolve("probe-dir")));
        assertEquals(dirMode, Files.getPosixFilePermissions(runDir));
        assertTrue(Files.list(out.resolve("report")).anyMatch(f -> f.toString().endsWith(".png")));
        for (Path f : Files.list(out.resolve("report")).toList()) assertEquals(fileMode, Files.getPosixFilePermissions(f), f.toString());
    }

    @Test void aLockThatIsALinkIsRefusedAndNotFollowed(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("store"), victim = dir.resolve("victim");
        Files.createDirectories(out);
        Files.writeString(victim, "precious");
        Files.createSymbolicLink(out.resolve(".lock"), victim);
        var e = assertThrows(io.degen.store.StoreLock.LockedException.class, () -> run(plan(), out, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertEquals("precious", Files.readString(victim));
        try (Backend be = Backends.create("java")) {
            assertThrows(io.degen.store.StoreLock.LockedException.class, () -> Experiment.trainRuns(plan().runs(), out, 1, 1, be,
                    new PrintStream(new ByteArrayOutputStream())), "degen train takes the lock too");
        }
        assertEquals("precious", Files.readString(victim));
    }
}
