package io.degen.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.config.Level;
import io.degen.config.MeasureOptions;
import io.degen.degeneracy.PairBlocks;
import io.degen.io.AtomicFiles;
import io.degen.util.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The block files of a condition's pairwise matrices, {@code DIR/blocks/CID/LEVEL-I-of-K.json}
 * ({@link PairBlocks} cuts the pairs): each names its level, block, the converged network ids, the
 * options that change distances and the pair list, so a file is used only for exactly the matrix it
 * was computed for. {@link #assemble} rebuilds a matrix from a complete, verified set.
 */
public final class BlockFiles {
    private static final Pattern NAME = Pattern.compile("(dynamics|weights)-(\\d+)-of-(\\d+)\\.json");

    private BlockFiles() { }

    public static Path file(Path blocksDir, Level level, int index, int k) {
        return blocksDir.resolve(level.label() + "-" + index + "-of-" + k + ".json");
    }

    /**
     * The settings that change distances, as canonical JSON (threads excluded; the levels measured
     * do not change a pair's distance either). A block file computed under other settings is never used.
     */
    public static String key(MeasureOptions o) {
        Map<String, Object> k = new LinkedHashMap<>(o.toMap());
        k.remove("threads");
        return Json.line(k);
    }

    /**
     * The key files written before the JSON policy carried (on the java engine, the only one then):
     * accepted, so existing block files stay valid.
     */
    static String legacyKey(MeasureOptions o) {
        if (!o.metricsBackend().equals("java") || !o.probe().equals(MeasureOptions.SHARED)) return null;
        return String.format(Locale.ROOT, "DegeneracyOptions[dsaDelays=%d, dsaDelayInterval=%d, dsaRank=%d, dsaScore=%s, probeTrials=%d, "
                        + "oodTrials=%d, pifRestarts=%d, ntk=%b, ntkTrials=%d, seed=%d, threads=1]", o.dsaDelays(), o.dsaDelayInterval(),
                o.dsaRank(), o.dsaScore(), o.probeTrials(), o.oodTrials(), o.pifRestarts(), o.ntk(), o.ntkTrials(), o.seed());
    }

    /** Writes a block file atomically. */
    public static void write(Path blocksDir, String conditionId, Level level, int index, int k, List<String> ids, MeasureOptions o,
                             double[] distances) throws IOException {
        List<int[]> pairs = PairBlocks.block(ids.size(), index, k);
        if (pairs.size() != distances.length) throw new IllegalArgumentException(pairs.size() + " pairs but " + distances.length + " distances");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("condition_id", conditionId);
        m.put("level", level.label());
        m.put("block", index);
        m.put("blocks", k);
        m.put("options", key(o));
        m.put("ids", ids);
        m.put("pairs", pairs);
        m.put("distances", distances);
        AtomicFiles.writeString(file(blocksDir, level, index, k), Json.pretty(m));
    }

    /** Reads and verifies a block file; the distances in pair order, or an exception naming what does not match. */
    public static double[] read(Path f, Level level, int index, int k, List<String> ids, MeasureOptions o) throws IOException {
        JsonNode j;
        try { j = Json.read(f); } catch (IOException | RuntimeException e) { throw new IOException("unreadable: " + e.getMessage(), e); }
        if (j == null || !j.isObject()) throw new IOException("not a JSON object");
        if (!level.label().equals(j.path("level").asText()) || j.path("block").asInt(-1) != index || j.path("blocks").asInt(-1) != k) {
            throw new IOException("level/block do not match the file name");
        }
        String got = j.path("options").asText();
        if (!key(o).equals(got) && !got.equals(legacyKey(o))) throw new IOException("computed with other degeneracy options");
        JsonNode jid = j.path("ids");
        if (!jid.isArray() || jid.size() != ids.size()) throw new IOException("different networks");
        for (int i = 0; i < ids.size(); i++) if (!ids.get(i).equals(jid.get(i).asText())) throw new IOException("different networks");
        List<int[]> pairs = PairBlocks.block(ids.size(), index, k);
        JsonNode jp = j.path("pairs"), jd = j.path("distances");
        if (!jp.isArray() || jp.size() != pairs.size() || !jd.isArray() || jd.size() != pairs.size()) throw new IOException("pair list does not match");
        double[] d = new double[pairs.size()];
        for (int q = 0; q < pairs.size(); q++) {
            JsonNode p = jp.get(q);
            if (!p.isArray() || p.size() != 2 || p.get(0).asInt(-1) != pairs.get(q)[0] || p.get(1).asInt(-1) != pairs.get(q)[1]) {
                throw new IOException("pair list does not match");
            }
            JsonNode v = jd.get(q);
            boolean legacyText = v.isTextual() && java.util.Set.of("NaN", "Infinity", "-Infinity").contains(v.asText());
            if (!v.isNumber() && !v.isNull() && !legacyText) throw new IOException("distance " + q + " is not a number");
            d[q] = Json.number(v);
        }
        return d;
    }

    /** True when the block file exists and verifies. */
    public static boolean valid(Path blocksDir, Level level, int index, int k, List<String> ids, MeasureOptions o) {
        try { read(file(blocksDir, level, index, k), level, index, k, ids, o); return true; }
        catch (IOException | RuntimeException e) { return false; }
    }

    /**
     * The full symmetric matrix from a complete set of verified block files for {@code level} (several
     * K present: the largest complete one), or null when there is none; says on {@code err} what it
     * used or why it could not.
     */
    public static double[][] assemble(Path blocksDir, Level level, List<String> ids, MeasureOptions o, PrintStream err) {
        if (blocksDir == null || !Files.isDirectory(blocksDir)) return null;
        TreeMap<Integer, TreeSet<Integer>> byK = new TreeMap<>();
        try (var s = Files.list(blocksDir)) {
            for (Path f : s.toList()) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).equals(level.label())) {
                    try { byK.computeIfAbsent(Integer.parseInt(m.group(3)), x -> new TreeSet<>()).add(Integer.parseInt(m.group(2))); }
                    catch (NumberFormatException ignored) { }
                }
            }
        } catch (IOException e) {
            if (err != null) err.printf("cannot list %s (%s): computing %s in this process%n", blocksDir, e.getMessage(), level.label());
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
                    List<int[]> pairs = PairBlocks.block(n, b, k);
                    for (int q = 0; q < v.length; q++) { int[] p = pairs.get(q); d[p[0]][p[1]] = v[q]; d[p[1]][p[0]] = v[q]; }
                } catch (IOException | RuntimeException e) {
                    why = "block " + b + "/" + k + ": " + e.getMessage();
                }
            }
            if (why == null) {
                if (err != null) err.printf("%s: matrix assembled from %d block file(s) in %s%n", level.label(), k, blocksDir);
                return d;
            }
            if (err != null) err.printf("%s: block files in %s not used (%s); computing the matrix in this process%n", level.label(), blocksDir, why);
        }
        return null;
    }

    /** The precomputed matrices of a condition's pairwise levels among {@code levels}, where complete block files exist. */
    public static Map<Level, double[][]> assembleAll(Path blocksDir, Iterable<Level> levels, List<String> ids, MeasureOptions o, PrintStream err) {
        Map<Level, double[][]> out = new LinkedHashMap<>();
        for (Level l : levels) {
            if (!l.pairwise()) continue;
            double[][] d = assemble(blocksDir, l, ids, o, err);
            if (d != null) out.put(l, d);
        }
        return out;
    }
}
