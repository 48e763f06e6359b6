package io.degen.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.AtomicFiles;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.config.RunConfig;
import io.degen.train.TrainResult;
import io.degen.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trained network on disk: a directory named by the run id holding {@code weights.npz} and
 * {@code init.npz} (PyTorch's parameter names), {@code loss.npy} (epoch loss curve) and
 * {@code record.json} (full configuration, outcome, backend, and a SHA-256 of every file). The
 * directory is assembled under a temporary name and renamed into place, so a crash never leaves a
 * half-written network; {@link #read} verifies the checksums and refuses a corrupt one.
 */
public final class RunArtifacts {
    public static final String RECORD = "record.json", WEIGHTS = "weights.npz", INIT = "init.npz", LOSS = "loss.npy";

    private RunArtifacts() { }

    /** A network that was read back and verified. */
    public record Stored(Path dir, JsonNode record, RunConfig config) {
        public String id() { return record.get("id").asText(); }

        public String status() { return record.get("status").asText(); }

        public boolean converged() { return "converged".equals(status()); }

        public Map<String, NdArray> weights() throws IOException { return Npy.readNpz(dir.resolve(WEIGHTS)); }

        public Map<String, NdArray> initialWeights() throws IOException { return Npy.readNpz(dir.resolve(INIT)); }

        public double[] lossCurve() throws IOException { return Npy.read(dir.resolve(LOSS)).data(); }
    }

    /** A stored network whose files do not match its record. */
    public static final class CorruptArtifactException extends IOException {
        public CorruptArtifactException(String msg) { super(msg); }
    }

    public static Path dirFor(Path runsDir, String id) { return runsDir.resolve(id); }

    public static Path write(Path runsDir, RunConfig run, TrainResult r) throws IOException {
        return write(runsDir, run, r, Map.of());
    }

    public static Path write(Path runsDir, RunConfig run, TrainResult r, Map<String, Object> extra) throws IOException {
        Files.createDirectories(runsDir);
        Path target = dirFor(runsDir, run.id());
        Path tmp = Files.createTempDirectory(runsDir, ".tmp-" + run.id() + "-");
        try {
            Npy.writeNpz(tmp.resolve(WEIGHTS), r.finalWeights());
            Npy.writeNpz(tmp.resolve(INIT), r.initialWeights());
            Npy.write(tmp.resolve(LOSS), NdArray.f64(r.lossCurve(), r.lossCurve().length));
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("id", run.id());
            rec.put("condition", run.conditionId());
            rec.put("config", run.toMap());
            rec.put("status", r.status().label());
            rec.put("epochs", r.epochs());
            rec.put("final_loss", Double.isFinite(r.finalLoss()) ? r.finalLoss() : String.valueOf(r.finalLoss()));
            rec.put("wall_seconds", r.wallSeconds());
            rec.put("backend", r.backend());
            rec.putAll(extra);
            Map<String, String> sums = new LinkedHashMap<>();
            for (String f : new String[] {WEIGHTS, INIT, LOSS}) sums.put(f, sha256(tmp.resolve(f)));
            rec.put("sha256", sums);
            AtomicFiles.writeString(tmp.resolve(RECORD), Json.pretty(rec));
            if (Files.exists(target)) deleteTree(target);
            AtomicFiles.publishDirectory(tmp, target);
            return target;
        } catch (java.nio.file.FileSystemException | CorruptArtifactException e) {
            deleteTree(tmp);
            throw e;
        } catch (IOException e) {
            deleteTree(tmp);
            // e.g. "No space left on device" from a channel write, which names no file
            throw new IOException("cannot write network " + run.id() + " under " + runsDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** Whether a complete, verified network with this id is stored. */
    public static boolean isComplete(Path runsDir, String id) {
        try {
            read(dirFor(runsDir, id));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    public static Stored read(Path dir) throws IOException {
        Path rec = dir.resolve(RECORD);
        if (!Files.isRegularFile(rec)) throw new CorruptArtifactException(dir + ": no " + RECORD + " (not a trained network)");
        JsonNode r;
        try { r = Json.read(rec); }
        catch (IOException e) { throw new CorruptArtifactException(rec + ": unreadable record (" + e.getMessage() + ")"); }
        JsonNode sums = r.get("sha256");
        if (sums == null || r.get("config") == null || r.get("id") == null) throw new CorruptArtifactException(rec + ": incomplete record");
        for (var it = sums.fields(); it.hasNext(); ) {
            var e = it.next();
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) throw new CorruptArtifactException(dir + ": missing " + e.getKey());
            String got = sha256(f);
            if (!got.equals(e.getValue().asText())) throw new CorruptArtifactException(f + ": checksum mismatch (file corrupt or truncated)");
        }
        RunConfig cfg = RunConfig.fromMap(Json.MAPPER.convertValue(r.get("config"), Map.class));
        return new Stored(dir, r, cfg);
    }

    /** Updates fields of a stored record in place (atomically), e.g. the OOD loss computed later. */
    @SuppressWarnings("unchecked")
    public static void annotate(Path dir, Map<String, Object> fields) throws IOException {
        Path rec = dir.resolve(RECORD);
        Map<String, Object> m = Json.MAPPER.readValue(rec.toFile(), LinkedHashMap.class);
        m.putAll(fields);
        AtomicFiles.writeString(rec, Json.pretty(m));
    }

    /**
     * Deletes temporary directories of networks whose writer died (kill -9, power loss). Only call
     * while holding the store lock, so no live writer's directory is removed. Returns how many.
     */
    public static int removeStaleTemporaries(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) return 0;
        int n = 0;
        try (var s = Files.list(runsDir)) {
            for (Path p : s.filter(q -> q.getFileName().toString().startsWith(".tmp-")).toList()) { deleteTree(p); n++; }
        }
        return n;
    }

    static String sha256(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = md.digest(Files.readAllBytes(f));
            StringBuilder b = new StringBuilder();
            for (byte x : d) b.append(String.format("%02x", x));
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
