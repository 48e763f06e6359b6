package io.degen.store;

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
    public static final String RECORD = "record.json", WEIGHTS = "weights.npz", INIT = "init.npz", LOSS = "loss.npy",
            AUX_LOSS = "aux_loss.npy";

    private RunArtifacts() { }

    /** A stored network whose files do not match its record. */
    public static final class CorruptArtifactException extends IOException {
        public CorruptArtifactException(String msg) { super(msg); }
    }

    public static Path dirFor(Path runsDir, String id) { return runsDir.resolve(id); }

    public static Path write(Path runsDir, RunConfig run, TrainResult r) throws IOException {
        return write(runsDir, run, r, null);
    }

    /** Writes a trained network under {@code runsDir/ID} (replacing any); {@code importedFrom} names its source file, or null. */
    public static Path write(Path runsDir, RunConfig run, TrainResult r, String importedFrom) throws IOException {
        return publish(runsDir, run, r, importedFrom).dir();
    }

    /** As {@link #write}, returning the network as written (its checksums computed from the files just published). */
    public static StoredRun publish(Path runsDir, RunConfig run, TrainResult r, String importedFrom) throws IOException {
        Files.createDirectories(runsDir);
        Path target = dirFor(runsDir, run.id());
        Path tmp = Files.createTempDirectory(runsDir, ".tmp-" + run.id() + "-");
        try {
            io.degen.io.FileModes.asNewDirectory(tmp);
            Npy.writeNpz(tmp.resolve(WEIGHTS), r.finalWeights());
            Npy.writeNpz(tmp.resolve(INIT), r.initialWeights());
            Npy.write(tmp.resolve(LOSS), NdArray.f64(r.lossCurve(), r.lossCurve().length));
            if (r.auxLossCurve() != null) Npy.write(tmp.resolve(AUX_LOSS), NdArray.f64(r.auxLossCurve(), r.auxLossCurve().length));
            Map<String, String> sums = new LinkedHashMap<>();
            for (String f : r.auxLossCurve() == null ? new String[] {WEIGHTS, INIT, LOSS} : new String[] {WEIGHTS, INIT, LOSS, AUX_LOSS}) {
                sums.put(f, sha256(tmp.resolve(f)));
            }
            double[] aux = r.auxLossCurve();
            RunRecord rec = new RunRecord(run.id(), run.conditionId(), run.toMap(), r.status(), r.epochs(), r.finalLoss(),
                    aux == null || aux.length == 0 ? null : aux[aux.length - 1], r.wallSeconds(), r.backend(), importedFrom, sums).sealed();
            AtomicFiles.writeString(tmp.resolve(RECORD), Json.pretty(rec));
            if (Files.exists(target)) deleteTree(target);
            AtomicFiles.publishDirectory(tmp, target);
            return new StoredRun(target, rec, run);
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

    /** Reads a network's record and verifies every artifact against it; a mismatch is a {@link CorruptArtifactException}. */
    public static StoredRun read(Path dir) throws IOException {
        Path rec = dir.resolve(RECORD);
        if (!Files.isRegularFile(rec)) throw new CorruptArtifactException(dir + ": no " + RECORD + " (not a trained network)");
        RunRecord r;
        try {
            r = Json.MAPPER.readValue(rec.toFile(), RunRecord.class);
        } catch (IOException | RuntimeException e) {
            throw new CorruptArtifactException(rec + ": unreadable record (" + e.getMessage() + ")");
        }
        if (r.sha256() == null || r.config() == null || r.id() == null || r.status() == null) {
            throw new CorruptArtifactException(rec + ": incomplete record");
        }
        for (var e : r.sha256().entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) throw new CorruptArtifactException(dir + ": missing " + e.getKey());
            if (!sha256(f).equals(e.getValue())) throw new CorruptArtifactException(f + ": checksum mismatch (file corrupt or truncated)");
        }
        RunConfig cfg;
        try {
            cfg = RunConfig.fromMap(r.config());
        } catch (RuntimeException e) {
            throw new CorruptArtifactException(rec + ": bad configuration (" + e.getMessage() + ")");
        }
        if (!cfg.id().equals(r.id())) {
            throw new CorruptArtifactException(rec + ": id " + r.id() + " is not the hash of its configuration (" + cfg.id() + ")");
        }
        if (r.seal() != null && !r.seal().equals(r.computeSeal())) {
            throw new CorruptArtifactException(rec + ": the record does not match its seal (it was changed after it was written)");
        }
        return new StoredRun(dir, r, cfg);
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

    /** Seals a verified record of an earlier version in place (atomically); call only while holding the store's lock. */
    public static StoredRun seal(StoredRun s) throws IOException {
        if (s.record().seal() != null) return s;
        RunRecord sealed = s.record().sealed();
        AtomicFiles.writeString(s.dir().resolve(RECORD), Json.pretty(sealed));
        return new StoredRun(s.dir(), sealed, s.config());
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(Path f) throws IOException { return sha256(Files.readAllBytes(f)); }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
