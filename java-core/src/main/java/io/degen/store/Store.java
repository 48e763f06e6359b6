package io.degen.store;

import io.degen.config.RunConfig;
import io.degen.train.TrainResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trained networks of one store directory, as one process sees them: each run directory is
 * verified (record read, every checksum recomputed) at most once, the first time it is asked for;
 * what this process writes or discards updates that view. Thread-safe.
 */
public final class Store {
    private final StoreLayout layout;
    private final Map<String, Verified> seen = new ConcurrentHashMap<>();

    /** The outcome of verifying one run directory: the network, or why there is none. */
    private record Verified(StoredRun run, String problem, boolean exists) { }

    public Store(StoreLayout layout) { this.layout = layout; }

    public static Store at(Path root) { return new Store(StoreLayout.at(root)); }

    public StoreLayout layout() { return layout; }

    /** The verified network with this id, or null when it is missing or corrupt. */
    public StoredRun get(String id) { return verify(id).run(); }

    /** Whether a complete, verified network with this id is stored. */
    public boolean isComplete(String id) { return get(id) != null; }

    /** Whether the run's directory exists but does not verify; {@link #problem} says why. */
    public boolean isCorrupt(String id) {
        Verified v = verify(id);
        return v.exists() && v.run() == null;
    }

    /** Why the run is not usable ("not stored", or the verification failure), or null when it is. */
    public String problem(String id) { return verify(id).problem(); }

    private Verified verify(String id) {
        return seen.computeIfAbsent(id, k -> {
            Path d = layout.run(k);
            if (!Files.exists(d)) return new Verified(null, "not stored", false);
            try {
                StoredRun r = RunArtifacts.read(d);
                if (!r.id().equals(k)) {
                    return new Verified(null, d + " holds the record of run " + r.id() + " (run directories are named by their run id)", true);
                }
                return new Verified(r, null, true);
            } catch (IOException | RuntimeException e) {
                return new Verified(null, String.valueOf(e.getMessage()), true);
            }
        });
    }

    /** Publishes a trained network (atomically) and remembers it as verified. */
    public StoredRun write(RunConfig run, TrainResult result, String importedFrom) throws IOException {
        StoredRun s = RunArtifacts.publish(layout.runs(), run, result, importedFrom);
        seen.put(run.id(), new Verified(s, null, true));
        return s;
    }

    /** Deletes a run's directory (a corrupt network about to be trained again). */
    public void discard(String id) throws IOException {
        RunArtifacts.deleteTree(layout.run(id));
        seen.put(id, new Verified(null, "not stored", false));
    }

    /**
     * Seals the verified records of earlier versions among these ids (call only while holding the
     * store's lock); returns how many it sealed.
     */
    public int sealLegacy(Iterable<String> ids) throws IOException {
        int n = 0;
        for (String id : ids) {
            StoredRun r = get(id);
            if (r == null || r.record().seal() != null) continue;
            seen.put(id, new Verified(RunArtifacts.seal(r), null, true));
            n++;
        }
        return n;
    }

    /** Forgets what was verified about this id (after another writer, e.g. a merge, changed it). */
    public void forget(String id) { seen.remove(id); }
}
