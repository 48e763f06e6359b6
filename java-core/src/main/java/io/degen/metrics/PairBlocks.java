package io.degen.metrics;

import io.degen.config.DegeneracyOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.degen.backend.Backend;
import io.degen.io.AtomicFiles;
import io.degen.io.NdArray;
import io.degen.metrics.dsa.DsaMetric;
import io.degen.metrics.dsa.Operator;
import io.degen.util.Json;
import io.degen.util.Mat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition's pairwise matrix (DSA or d_PIF) split over K independent jobs. The pairs (i &lt; j) of
 * n networks, in row-major order, are cut into K contiguous runs whose sizes differ by at most one
 * ({@link #split}); block I's distances go to {@code DIR/blocks/<CID>/<level>-<I>-of-<K>.json}
 * ({@link #write}). When a complete, verified set of block files with the same network ids exists,
 * {@link #assemble} rebuilds the matrix, which equals the one computed in one process because each
 * pair's distance depends only on the two networks (operators are fitted from each network's own
 * weights and the fixed probe trials; d_PIF starts are seeded per comparison). Layout: docs/store.md.
 */
public final class PairBlocks {
    public static final List<String> LEVELS = List.of("dynamics", "weights");
    private static final Pattern NAME = Pattern.compile("(dynamics|weights)-(\\d+)-of-(\\d+)\\.json");

    private PairBlocks() { }

    /** Every pair (i, j), i &lt; j &lt; n, in row-major order. */
    public static List<int[]> pairs(int n) {
        List<int[]> p = new ArrayList<>();
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) p.add(new int[] {i, j});
        return p;
    }

    /** The K blocks of the pairs of n items: contiguous, sizes differ by at most one (blocks are empty when K exceeds the pairs). */
    public static List<List<int[]>> split(int n, int k) {
        if (n < 0 || k < 1) throw new IllegalArgumentException("need n >= 0 and k >= 1, got n=" + n + " k=" + k);
        List<int[]> all = pairs(n);
        long p = all.size();
        List<List<int[]>> out = new ArrayList<>();
        for (int b = 0; b < k; b++) out.add(new ArrayList<>(all.subList((int) (b * p / k), (int) ((b + 1) * p / k))));
        return out;
    }

    /** Block {@code index}'s pairs. */
    public static List<int[]> block(int n, int index, int k) {
        if (index < 0 || index >= k) throw new IllegalArgumentException("block index must be in [0, " + k + "), got " + index);
        return split(n, k).get(index);
    }

    public static Path dir(Path out, String conditionId) { return out.resolve("blocks").resolve(conditionId); }

    public static Path file(Path blocksDir, String level, int index, int k) {
        return blocksDir.resolve(level + "-" + index + "-of-" + k + ".json");
    }

    /**
     * Settings that change distances (thread count excluded): a block file computed under others is
     * not reused. The default java engine is left out of the key, so block files written before the
     * engine became an option (all of them on java) stay valid; any other engine is part of it.
     */
    static String optionsKey(DegeneracyOptions o) {
        String key = o.withThreads(1).toString();
        String javaSuffix = ", metricsBackend=java]";
        return key.endsWith(javaSuffix) ? key.substring(0, key.length() - javaSuffix.length()) + "]" : key;
    }

    /** Distances of block {@code index}/{@code k} of the DSA matrix: fits only the operators its pairs need. */
    public static double[] dynamics(List<NdArray> trajectories, DegeneracyOptions o, int index, int k) {
        List<int[]> pairs = block(trajectories.size(), index, k);
        if (pairs.isEmpty()) return new double[0];
        try (Backend engine = DegeneracyLevels.engine(o)) {
            return dynamics(trajectories, o, pairs, new DsaMetric(DegeneracyLevels.dsaParams(o, trajectories.get(0).dim(2)), engine));
        }
    }

    private static double[] dynamics(List<NdArray> trajectories, DegeneracyOptions o, List<int[]> pairs, DsaMetric dsa) {
        TreeSet<Integer> need = new TreeSet<>();
        for (int[] p : pairs) { need.add(p[0]); need.add(p[1]); }
        List<Integer> idx = new ArrayList<>(need);
        List<NdArray> sys = new ArrayList<>();
        for (int i : idx) sys.add(trajectories.get(i));
        List<Operator> fitted = dsa.fitAll(sys, o.threads());
        List<Operator> ops = new ArrayList<>(java.util.Collections.nCopies(trajectories.size(), (Operator) null));
        for (int q = 0; q < idx.size(); q++) ops.set(idx.get(q), fitted.get(q));
        return Pairwise.distances(ops, dsa, pairs, o.threads());
    }

    /** Distances of block {@code index}/{@code k} of the d_PIF matrix. */
    public static double[] weights(List<Mat> recurrent, DegeneracyOptions o, int index, int k) {
        List<int[]> pairs = block(recurrent.size(), index, k);
        try (Backend engine = DegeneracyLevels.engine(o)) {
            return Pairwise.distances(recurrent, DegeneracyLevels.pif(o, engine), pairs, o.threads());
        }
    }

    /** Writes a block file atomically. */
    public static void write(Path blocksDir, String conditionId, String level, int index, int k, List<String> ids,
                             DegeneracyOptions o, double[] distances) throws IOException {
        List<int[]> pairs = block(ids.size(), index, k);
        if (pairs.size() != distances.length) throw new IllegalArgumentException(pairs.size() + " pairs but " + distances.length + " distances");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("condition_id", conditionId);
        m.put("level", level);
        m.put("block", index);
        m.put("blocks", k);
        m.put("options", optionsKey(o));
        m.put("ids", ids);
        m.put("pairs", pairs);
        List<Object> d = new ArrayList<>();
        for (double x : distances) d.add(Double.isFinite(x) ? (Object) x : String.valueOf(x));
        m.put("distances", d);
        AtomicFiles.writeString(file(blocksDir, level, index, k), Json.pretty(m));
    }

    /**
     * Reads and verifies a block file (level, block, ids, options and pair list as expected); the
     * distances in pair order, or an exception naming what does not match.
     */
    public static double[] read(Path f, String level, int index, int k, List<String> ids, DegeneracyOptions o) throws IOException {
        JsonNode j;
        try { j = Json.read(f); } catch (IOException | RuntimeException e) { throw new IOException("unreadable: " + e.getMessage(), e); }
        if (j == null || !j.isObject()) throw new IOException("not a JSON object");
        if (!level.equals(j.path("level").asText()) || j.path("block").asInt(-1) != index || j.path("blocks").asInt(-1) != k) {
            throw new IOException("level/block do not match the file name");
        }
        if (!optionsKey(o).equals(j.path("options").asText())) throw new IOException("computed with other degeneracy options");
        JsonNode jid = j.path("ids");
        if (!jid.isArray() || jid.size() != ids.size()) throw new IOException("different networks");
        for (int i = 0; i < ids.size(); i++) if (!ids.get(i).equals(jid.get(i).asText())) throw new IOException("different networks");
        List<int[]> pairs = block(ids.size(), index, k);
        JsonNode jp = j.path("pairs"), jd = j.path("distances");
        if (!jp.isArray() || jp.size() != pairs.size() || !jd.isArray() || jd.size() != pairs.size()) throw new IOException("pair list does not match");
        double[] d = new double[pairs.size()];
        for (int q = 0; q < pairs.size(); q++) {
            JsonNode p = jp.get(q);
            if (!p.isArray() || p.size() != 2 || p.get(0).asInt(-1) != pairs.get(q)[0] || p.get(1).asInt(-1) != pairs.get(q)[1]) {
                throw new IOException("pair list does not match");
            }
            JsonNode v = jd.get(q);
            if (v.isNumber()) d[q] = v.asDouble();
            else if (v.isTextual()) {
                try { d[q] = Double.parseDouble(v.asText()); } catch (NumberFormatException e) { throw new IOException("distance " + q + " is not a number"); }
            } else throw new IOException("distance " + q + " is not a number");
        }
        return d;
    }

    /** True when the block file exists and verifies. */
    public static boolean valid(Path blocksDir, String level, int index, int k, List<String> ids, DegeneracyOptions o) {
        try { read(file(blocksDir, level, index, k), level, index, k, ids, o); return true; }
        catch (IOException | RuntimeException e) { return false; }
    }

    /**
     * The full symmetric matrix from a complete set of verified block files for {@code level} in
     * {@code blocksDir} (several K present: the largest complete one), or null when there is none;
     * says on {@code err} what it used or why it could not.
     */
    public static double[][] assemble(Path blocksDir, String level, List<String> ids, DegeneracyOptions o, PrintStream err) {
        if (blocksDir == null || !Files.isDirectory(blocksDir)) return null;
        TreeMap<Integer, TreeSet<Integer>> byK = new TreeMap<>();
        try (var s = Files.list(blocksDir)) {
            for (Path f : s.toList()) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).equals(level)) {
                    try { byK.computeIfAbsent(Integer.parseInt(m.group(3)), x -> new TreeSet<>()).add(Integer.parseInt(m.group(2))); }
                    catch (NumberFormatException ignored) { }
                }
            }
        } catch (IOException e) {
            if (err != null) err.printf("cannot list %s (%s): computing %s in this process%n", blocksDir, e.getMessage(), level);
            return null;
        }
        int n = ids.size();
        for (int k : byK.descendingKeySet()) {
            if (k < 1) continue;
            String why = null;
            double[][] d = new double[n][n];
            for (int b = 0; b < k && why == null; b++) {
                if (!byK.get(k).contains(b)) { why = "block " + b + "/" + k + " is missing"; break; }
                try {
                    double[] v = read(file(blocksDir, level, b, k), level, b, k, ids, o);
                    List<int[]> pairs = block(n, b, k);
                    for (int q = 0; q < v.length; q++) { int[] p = pairs.get(q); d[p[0]][p[1]] = v[q]; d[p[1]][p[0]] = v[q]; }
                } catch (IOException | RuntimeException e) {
                    why = "block " + b + "/" + k + ": " + e.getMessage();
                }
            }
            if (why == null) {
                if (err != null) err.printf("%s: matrix assembled from %d block file(s) in %s%n", level, k, blocksDir);
                return d;
            }
            if (err != null) err.printf("%s: block files in %s not used (%s); computing the matrix in this process%n", level, blocksDir, why);
        }
        return null;
    }

    /** For tests and messages: the pair counts of each block. */
    public static int[] sizes(int n, int k) {
        return split(n, k).stream().mapToInt(List::size).toArray();
    }
}
