package io.degen.e2e;

import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.SpecReaders;
import io.degen.store.RunArtifacts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzing with fixed seeds: mutated spec maps (ExperimentSpec.fromMap + compile), mutated EDN text
 * (the Clojure reader through SpecReaders) and mutated .npy/.npz bytes (Npy.read/readNpz). Every
 * input must either be accepted or be refused with IllegalArgumentException, NpyFormatException or
 * CorruptArtifactException carrying a message; anything else fails with the offending input.
 */
@Tag("e2e")
class FuzzTest {
    static final String[] KEYS = {"name", "task", "model", "train", "seeds", "measure", "levels", "profiles", "report", "type", "channels",
            "time", "hidden", "gamma", "tau", "batch", "lr", "max-epochs", "steps-per-epoch", "threshold", "patience", "dsa", "n-delays",
            "rank", "probe-trials", "ood-trials", "ntk-trials", "dtype", "nuclear", "l1", "quick", "sweep", "bogus"};

    final List<String> failures = new ArrayList<>();
    int count;
    String label;

    void check(String what, Object input, ThrowingRunnable body) {
        count++;
        label = what;
        try {
            body.run();
        } catch (IllegalArgumentException | Npy.NpyFormatException | RunArtifacts.CorruptArtifactException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) failures.add(what + ": empty message from " + e + " on " + show(input));
        } catch (Throwable t) {
            failures.add(what + ": " + t + " on " + show(input));
        }
        if (failures.size() > 20) fail(String.join("\n", failures));
    }

    interface ThrowingRunnable { void run() throws Exception; }

    static String show(Object o) {
        String s = o instanceof byte[] b ? java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 160)) + (b.length > 160 ? "..." : "") : String.valueOf(o);
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    static Map<String, Object> base() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "fuzz");
        m.put("task", new LinkedHashMap<>(Map.of("type", "flipflop", "channels", new ArrayList<>(List.of(1, 2)), "time", 20)));
        m.put("model", new LinkedHashMap<>(Map.of("hidden", 8)));
        m.put("train", new LinkedHashMap<>(Map.of("batch", 8, "steps-per-epoch", 4, "max-epochs", 3, "threshold", 10.0)));
        m.put("seeds", 3);
        m.put("measure", new LinkedHashMap<>(Map.of("dsa", new LinkedHashMap<>(Map.of("n-delays", 2, "rank", 4)), "probe-trials", 6)));
        m.put("profiles", new LinkedHashMap<>(Map.of("quick", new LinkedHashMap<>(Map.of("seeds", 2)))));
        return m;
    }

    static Object randomValue(Random r, int depth) {
        switch (r.nextInt(depth > 3 ? 12 : 15)) {
            case 0: return null;
            case 1: return r.nextInt(2000) - 1000;
            case 2: return Long.MAX_VALUE - r.nextInt(10);
            case 3: return -r.nextDouble() * 1e12;
            case 4: return new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e308 * 10}[r.nextInt(4)];
            case 5: return r.nextBoolean();
            case 6: return KEYS[r.nextInt(KEYS.length)];
            case 7: { StringBuilder b = new StringBuilder(); int n = r.nextInt(12); for (int i = 0; i < n; i++) b.append((char) (r.nextInt(0x2ff) + 1)); return b.toString(); }
            case 8: return Integer.MAX_VALUE;
            case 9: return 0;
            case 10: return 1 + r.nextInt(4);
            case 11: return "";
            case 12: { List<Object> l = new ArrayList<>(); int n = r.nextInt(4); for (int i = 0; i < n; i++) l.add(randomValue(r, depth + 1)); return l; }
            case 13: { Map<String, Object> m = new LinkedHashMap<>(); int n = r.nextInt(4); for (int i = 0; i < n; i++) m.put(KEYS[r.nextInt(KEYS.length)], randomValue(r, depth + 1)); return m; }
            default: { Object v = randomValue(r, depth + 1); for (int i = 0; i < 30 + r.nextInt(200); i++) { Object w = v; v = r.nextBoolean() ? java.util.Collections.singletonList(w) : java.util.Collections.singletonMap("task", w); } return v; }
        }
    }

    @SuppressWarnings("unchecked")
    static void mutate(Map<String, Object> m, Random r, int depth) {
        int op = r.nextInt(5);
        List<String> keys = new ArrayList<>(m.keySet());
        if (op == 0 && !keys.isEmpty()) { m.remove(keys.get(r.nextInt(keys.size()))); return; }
        if (op == 1) { m.put(KEYS[r.nextInt(KEYS.length)], randomValue(r, depth)); return; }
        if (op == 2 && !keys.isEmpty()) { m.put(keys.get(r.nextInt(keys.size())), randomValue(r, depth)); return; }
        if (!keys.isEmpty()) {
            Object v = m.get(keys.get(r.nextInt(keys.size())));
            if (v instanceof Map<?, ?> sub) {
                try { mutate((Map<String, Object>) sub, r, depth + 1); } catch (UnsupportedOperationException e) { /* immutable nested value */ }
            } else if (v instanceof List<?> l && !l.isEmpty()) {
                try { ((List<Object>) l).set(r.nextInt(l.size()), randomValue(r, depth + 1)); } catch (UnsupportedOperationException e) { /* immutable */ }
            } else {
                m.put(keys.get(r.nextInt(keys.size())), randomValue(r, depth));
            }
        }
    }

    @Test
    void mutatedSpecMapsCompileOrAreRefusedWithAMessage() {
        Random r = new Random(1);
        long t0 = System.nanoTime();
        for (int i = 0; i < 4000 && System.nanoTime() - t0 < 8e9; i++) {
            Map<String, Object> m = base();
            int n = 1 + r.nextInt(4);
            for (int k = 0; k < n; k++) mutate(m, r, 0);
            String profile = r.nextInt(5) == 0 ? (r.nextBoolean() ? "quick" : "nope") : null;
            String shown = m + " profile " + profile;
            check("ExperimentSpec.fromMap", shown, () -> ExperimentSpec.fromMap(m, profile).compile());
        }
        System.err.println(label + ": " + count + " mutated inputs");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void mutatedEdnTextReadsOrIsRefusedWithAMessage(@TempDir Path dir) throws Exception {
        String base = EndToEndTest.SPEC;
        String alphabet = "{}[]()#:\"\\;^@~`'%&!0123456789-+.eE aZ/\n";
        Random r = new Random(2);
        Path f = dir.resolve("fuzz.edn");
        long t0 = System.nanoTime();
        for (int i = 0; i < 1500 && System.nanoTime() - t0 < 8e9; i++) {
            StringBuilder b = new StringBuilder(base);
            int n = 1 + r.nextInt(4);
            for (int k = 0; k < n; k++) {
                int pos = r.nextInt(b.length());
                switch (r.nextInt(4)) {
                    case 0 -> b.deleteCharAt(pos);
                    case 1 -> b.insert(pos, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 2 -> b.setCharAt(pos, alphabet.charAt(r.nextInt(alphabet.length())));
                    default -> b.insert(pos, new String[] {"-1", "99999999999999999999", "1e999", "##NaN", "nil", ":x", "\"s\"", "[[[[", "{:a}",
                            "#{1 1}", "#inst \"x\"", "#=(+ 1 2)", "1/0", "0x", "\\u"}[r.nextInt(15)]);
                }
            }
            String text = b.toString();
            Files.writeString(f, text, StandardCharsets.UTF_8);
            check("EDN spec", text, () -> SpecReaders.load(f, null).compile());
        }
        System.err.println(label + ": " + count + " mutated inputs");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void mutatedNpyAndNpzBytesParseOrAreRefusedWithAMessage(@TempDir Path dir) throws Exception {
        byte[] npy = Npy.toBytes(NdArray.f64(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        byte[] npy32 = Npy.toBytes(NdArray.f32(new double[] {1, 2, 3}, 3));
        Path npzFile = dir.resolve("a.npz");
        Npy.writeNpz(npzFile, Map.of("w", NdArray.f64(new double[] {1, 2, 3, 4}, 2, 2), "b", NdArray.f64(new double[] {1}, 1)));
        byte[] npz = Files.readAllBytes(npzFile);
        Random r = new Random(3);
        String[] headerEdits = {"'shape': (99999999999, 99999999999)", "'shape': (-1,)", "'shape': (2, x)", "'shape': ()", "'descr': '<c16'",
                "'descr': '|b1'", "'fortran_order': True", "'shape': (2,3,", "'descr': '<f8'", "'shape': (4294967297,)", "'shape': (2147483648,)"};
        long t0 = System.nanoTime();
        for (int i = 0; i < 6000 && System.nanoTime() - t0 < 8e9; i++) {
            byte[] src = i % 3 == 0 ? npz : (i % 3 == 1 ? npy : npy32);
            byte[] b = src.clone();
            switch (r.nextInt(4)) {
                case 0 -> { int n = 1 + r.nextInt(8); for (int k = 0; k < n; k++) { int p = r.nextInt(b.length); b[p] ^= (byte) (1 << r.nextInt(8)); } }
                case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
                case 2 -> { int p = r.nextInt(Math.min(b.length, 80)); b[p] = (byte) r.nextInt(256); }
                default -> {
                    String h = new String(b, StandardCharsets.ISO_8859_1);
                    String e = headerEdits[r.nextInt(headerEdits.length)];
                    String key = e.substring(0, e.indexOf(':'));
                    int at = h.indexOf(key);
                    if (at >= 0) {
                        int end = h.indexOf(key.equals("'shape'") ? ")" : ",", at) + 1;
                        if (key.equals("'shape'") && end > 0) end = Math.min(h.length(), end);
                        if (end > at) h = h.substring(0, at) + e + h.substring(end);
                    }
                    b = h.getBytes(StandardCharsets.ISO_8859_1);
                }
            }
            byte[] in = b;
            if (src == npz) {
                Path f = dir.resolve("m.npz");
                Files.write(f, in);
                check("Npy.readNpz", in, () -> Npy.readNpz(f));
            } else {
                check("Npy.read", in, () -> Npy.read(new ByteArrayInputStream(in), "fuzz.npy"));
            }
        }
        System.err.println(label + ": " + count + " mutated inputs");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * Mutated run records (seed 4): bytes, keys and values of a stored record.json changed at random.
     * The store must say each record is corrupt (with a message) or verify it; a record that still
     * verifies must be exactly as written (the seal), never a silently changed one.
     */
    @Test
    void mutatedRunRecordsAreCorruptOrUnchanged(@TempDir Path dir) throws Exception {
        io.degen.config.RunConfig run = new io.degen.config.RunConfig(Map.of("type", "flipflop", "channels", 1, "time", 8),
                io.degen.config.ModelConfig.standard(4), io.degen.config.TrainConfig.defaults().withBatch(2).withStepsPerEpoch(1).withMaxEpochs(2), 0);
        var res = new io.degen.train.Trainer(io.degen.testkit.Engines.JAVA).train(run, null);
        Path store = dir.resolve("store");
        Path d = RunArtifacts.write(store.resolve("runs"), run, res);
        byte[] original = Files.readAllBytes(d.resolve(RunArtifacts.RECORD));
        String text = new String(original, StandardCharsets.UTF_8);
        Random r = new Random(4);
        String[] edits = {"\"converged\"", "\"Converged\"", "\"not-converged\"", "\"diverged\"", "999", "0.5", "-1", "1e400", "null", "\"x\"", "{}", "[]"};
        int unchanged = 0;
        for (int k = 0; k < 300; k++) {
            String m;
            switch (r.nextInt(3)) {
                case 0 -> { // replace one JSON value
                    var values = java.util.regex.Pattern.compile(": ([^,\\n{}\\[\\]]+)").matcher(text).results().toList();
                    var v = values.get(r.nextInt(values.size()));
                    m = text.substring(0, v.start(1)) + edits[r.nextInt(edits.length)] + text.substring(v.end(1));
                }
                case 1 -> { // flip one byte
                    byte[] b = original.clone();
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                    m = new String(b, StandardCharsets.ISO_8859_1);
                }
                default -> { // delete a span
                    int a = r.nextInt(text.length()), e = Math.min(text.length(), a + 1 + r.nextInt(40));
                    m = text.substring(0, a) + text.substring(e);
                }
            }
            Files.write(d.resolve(RunArtifacts.RECORD), m.getBytes(StandardCharsets.ISO_8859_1));
            final String mutated = m;
            check("mutated record", mutated, () -> {
                io.degen.store.Store st = io.degen.store.Store.at(store);
                if (st.isComplete(run.id())) {
                    var rec = st.get(run.id()).record();
                    assertEquals(res.epochs(), rec.epochs(), "a verified record keeps its epochs: " + mutated);
                    assertEquals(res.status(), rec.status());
                } else if (st.problem(run.id()) == null || st.problem(run.id()).isBlank()) {
                    throw new AssertionError("corrupt without a reason");
                }
            });
            if (io.degen.store.Store.at(store).isComplete(run.id())) unchanged++;
        }
        assertEquals(List.of(), failures);
        System.out.printf("mutated records: %d tried, %d still verify (only edits the seal does not cover, e.g. whitespace)%n", 300, unchanged);
    }

    /** Damaged catalogs (seed 5): random bytes, truncation, a foreign file: the store moves it aside and rebuilds it. */
    @Test
    void damagedCatalogsAreRebuilt(@TempDir Path dir) throws Exception {
        Random r = new Random(5);
        for (int k = 0; k < 20; k++) {
            Path store = dir.resolve("s" + k);
            try (io.degen.store.Catalog c = io.degen.store.Catalog.open(store)) {
                c.upsertCondition("c", "spec", "{}");
            }
            Path f = store.resolve("catalog.sqlite");
            for (String side : new String[] {"-wal", "-shm"}) Files.deleteIfExists(store.resolve("catalog.sqlite" + side));
            byte[] b = Files.readAllBytes(f);
            switch (k % 3) {
                case 0 -> { for (int i = 0; i < 64; i++) b[r.nextInt(b.length)] = (byte) r.nextInt(256); }
                case 1 -> b = java.util.Arrays.copyOf(b, 1 + r.nextInt(Math.max(1, b.length / 2)));
                default -> b = ("not a database " + k).repeat(50).getBytes(StandardCharsets.UTF_8);
            }
            Files.write(f, b);
            byte[] damaged = b;
            check("damaged catalog", damaged, () -> {
                java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
                try (io.degen.store.Catalog c = io.degen.store.Catalog.openOrRecover(store, new java.io.PrintStream(log))) {
                    c.upsertCondition("c2", "spec", "{}");
                    assertTrue(c.query("SELECT * FROM conditions WHERE condition_id = 'c2'").size() == 1);
                }
            });
        }
        assertEquals(List.of(), failures);
    }

    /** JSON specs with hostile numbers and shapes (seed 6): each reads or is refused with a message, never an infinite or fractional value where it may not be. */
    @Test
    void hostileJsonSpecs(@TempDir Path dir) throws Exception {
        String[] numbers = {"1e400", "-1e400", "1e-400", "16.0", "16", "-0", "9223372036854775808", "1e15", "0.5", "NaN", "Infinity", "0x10", "1_000"};
        String[] keys = {"hidden", "batch", "max-epochs", "threshold", "lr", "patience", "seeds"};
        Random r = new Random(6);
        for (int k = 0; k < 300; k++) {
            String key = keys[r.nextInt(keys.length)], num = numbers[r.nextInt(numbers.length)];
            String section = key.equals("hidden") ? "model" : key.equals("seeds") ? null : "train";
            String body = section == null ? "\"" + key + "\": " + num : "\"" + section + "\": {\"" + key + "\": " + num + "}";
            String json = switch (r.nextInt(4)) {
                case 0 -> "{\"name\": \"h\", \"task\": {\"type\": \"flipflop\"}, " + body + "}";
                case 1 -> "{\"name\": \"h\", \"name\": \"g\", \"task\": {\"type\": \"flipflop\"}, " + body + "}";
                case 2 -> "{\"name\": \"h\", \"task\": {\"type\": \"flipflop\"}, " + body + "} {\"more\": 1}";
                default -> "{\"name\": \"h\", \"task\": {\"type\": \"flipflop\", \"x\": " + "[".repeat(1 + r.nextInt(200)) + "1" + "]".repeat(1 + r.nextInt(200)) + "}}";
            };
            Path f = dir.resolve("s" + k + ".json");
            Files.writeString(f, json);
            check("hostile JSON", json, () -> {
                var spec = SpecReaders.load(f, null);
                var run = spec.compile().runs().get(0);
                assertTrue(Double.isFinite(run.train().lr()) && Double.isFinite(run.train().nuclear()), json);
            });
        }
        assertEquals(List.of(), failures);
    }
}
