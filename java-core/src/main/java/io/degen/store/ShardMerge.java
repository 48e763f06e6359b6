package io.degen.store;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code degen merge DIR}: gathers the shard stores {@code DIR/shards/*} into {@code DIR}. Under DIR's
 * lock, and skipping any shard whose own lock is held (it is still running), every verified run
 * directory of {@code DIR/shards/S/runs} is moved into {@code DIR/runs} (one atomic rename on the same
 * filesystem; across filesystems: copied under a temporary name, verified, renamed into place, then the
 * source deleted). An id already present and verified in {@code DIR/runs} is skipped; a corrupt shard
 * artifact is reported and never copied. The catalog rows of the moved (and already present) runs and
 * the conditions are upserted from the shard catalogs into {@code DIR/catalog.sqlite}. Merging twice is a
 * no-op; a merge interrupted by a crash is finished by the next one.
 */
public final class ShardMerge {
    private ShardMerge() { }

    /** What a merge did. */
    public record Result(Path out, List<String> shards, List<String> busyShards, int moved, int copied, int alreadyPresent,
                         List<String> corrupt, int catalogRows, int missingRows) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("out", out.toString());
            m.put("shards", shards);
            m.put("busy_shards", busyShards);
            m.put("moved", moved);
            m.put("copied", copied);
            m.put("already_present", alreadyPresent);
            m.put("corrupt", corrupt);
            m.put("catalog_rows", catalogRows);
            m.put("rows_missing", missingRows);
            return m;
        }
    }

    public static Result merge(Path out, PrintStream err) throws IOException, SQLException {
        StoreLayout layout = StoreLayout.at(out);
        Path shardsDir = layout.shards();
        if (!Files.isDirectory(shardsDir)) throw new IllegalArgumentException("nothing to merge: " + shardsDir + " does not exist");
        List<String> shards = new ArrayList<>(), busy = new ArrayList<>(), corrupt = new ArrayList<>();
        int moved = 0, copied = 0, present = 0, rows = 0, missing = 0;
        try (StoreLock lock = StoreLock.acquire(out); Catalog catalog = Catalog.open(out)) {
            Path runs = layout.runs();
            Files.createDirectories(runs);
            RunArtifacts.removeStaleTemporaries(runs);
            List<Path> list;
            try (var s = Files.list(shardsDir)) { list = s.filter(Files::isDirectory).sorted().toList(); }
            for (Path shard : list) {
                String name = shard.getFileName().toString();
                StoreLock shardLock;
                try {
                    shardLock = StoreLock.acquire(shard);
                } catch (StoreLock.LockedException e) {
                    err.printf("shard %s is still running (%s): skipped; merge again when it is done%n", name, e.getMessage());
                    busy.add(name);
                    continue;
                }
                try (shardLock) {
                    shards.add(name);
                    adoptPlan(layout, StoreLayout.at(shard), err);
                    Path src = StoreLayout.at(shard).runs();
                    if (!Files.isDirectory(src)) continue;
                    RunArtifacts.removeStaleTemporaries(src);
                    List<Path> dirs;
                    try (var s = Files.list(src)) { dirs = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList(); }
                    List<String> ids = new ArrayList<>();
                    for (Path d : dirs) {
                        String id = d.getFileName().toString();
                        try {
                            RunArtifacts.read(d);
                        } catch (IOException | RuntimeException e) {
                            err.printf("corrupt shard artifact %s (%s): not merged (its shard trains it again when resubmitted)%n", d, e.getMessage());
                            corrupt.add(name + "/" + id);
                            continue;
                        }
                        Path target = RunArtifacts.dirFor(runs, id);
                        if (Files.exists(target)) {
                            if (RunArtifacts.isComplete(runs, id)) { present++; ids.add(id); continue; }
                            err.printf("replacing corrupt %s with the shard's verified copy%n", target);
                            RunArtifacts.deleteTree(target);
                        }
                        if (move(d, target, runs)) moved++; else copied++;
                        ids.add(id);
                    }
                    // Catalog rows: from the shard catalog (a row it missed is recorded by the next `degen run`).
                    if (Files.exists(StoreLayout.at(shard).catalog())) {
                        try (Catalog sc = Catalog.open(shard)) {
                            List<Map<String, Object>> conds = sc.query("SELECT * FROM conditions");
                            Map<String, Catalog.RunRow> byId = new LinkedHashMap<>();
                            for (Map<String, Object> r : sc.runs()) byId.put((String) r.get("run_id"), Catalog.RunRow.of(r));
                            int[] n = {0, 0};
                            catalog.transaction(() -> {
                                for (Map<String, Object> c : conds) {
                                    catalog.upsertCondition((String) c.get("condition_id"), (String) c.get("spec_name"), (String) c.get("values_json"));
                                }
                                for (String id : ids) {
                                    Catalog.RunRow r = byId.get(id);
                                    if (r == null) { n[1]++; continue; }
                                    catalog.upsertRun(r);
                                    n[0]++;
                                }
                                return null;
                            });
                            rows += n[0]; missing += n[1];
                        }
                    } else {
                        missing += ids.size();
                    }
                }
            }
        }
        err.printf("merged %d shard(s) into %s: %d moved, %d copied, %d already present, %d corrupt skipped, %d busy shard(s)%n",
                shards.size(), out, moved, copied, present, corrupt.size(), busy.size());
        return new Result(out, shards, busy, moved, copied, present, corrupt, rows, missing);
    }

    /**
     * The shards were trained from one plan: the first shard's {@code plan.json} becomes the
     * store's when it has none, so {@code degen measure DIR} finds it. A shard of another plan is
     * reported (its runs merge all the same: they are identified by their configuration).
     */
    static void adoptPlan(StoreLayout main, StoreLayout shard, PrintStream err) throws IOException {
        if (!Files.isRegularFile(shard.plan())) return;
        byte[] plan = Files.readAllBytes(shard.plan());
        if (!Files.exists(main.plan())) {
            io.degen.io.AtomicFiles.write(main.plan(), plan);
            return;
        }
        String a = io.degen.util.Json.parse(new String(plan, java.nio.charset.StandardCharsets.UTF_8)).path("spec_hash").asText(),
                b = io.degen.util.Json.read(main.plan()).path("spec_hash").asText();
        if (!a.equals(b)) err.printf("shard %s was trained from another spec (hash %s) than %s (hash %s)%n", shard.root(), a, main.plan(), b);
    }

    /** Moves a run directory into place; true for a rename, false for copy + verify + delete. */
    static boolean move(Path from, Path target, Path runs) throws IOException {
        try {
            Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (AtomicMoveNotSupportedException e) {
            // other filesystem: fall through to copy
        } catch (FileSystemException e) {
            if (!"Invalid cross-device link".equals(e.getReason())) throw e;
        }
        Path tmp = Files.createTempDirectory(runs, ".tmp-" + target.getFileName() + "-merge-");
        try {
            io.degen.io.FileModes.asNewDirectory(tmp);
            try (var s = Files.list(from)) {
                for (Path f : s.toList()) Files.copy(f, tmp.resolve(f.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
            RunArtifacts.read(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            RunArtifacts.deleteTree(tmp);
            throw e;
        }
        RunArtifacts.deleteTree(from);
        return false;
    }
}
