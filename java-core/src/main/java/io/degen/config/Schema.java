package io.degen.config;

import io.degen.task.TaskOption;
import io.degen.task.TaskRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The spec schema: every key of an experiment spec with its type, range, default and meaning,
 * as data. It is the single source of the Java validator ({@code plan.ExperimentSpec}), of the
 * config records' defaults and checks, of the Clojure specs ({@code degen.spec}) and of the key
 * tables of docs/dsl.md (checked by a test). Task options come from each task type's declared
 * {@link TaskOption}s. A new built-in option is added here (or to its task's declaration), once.
 */
public final class Schema {
    private Schema() { }

    public static final long MAX_COUNT = 1_000_000;
    public static final int MAX_HIDDEN = 16384;
    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

    private static Field f(String section, String key, String type, Object def, boolean sweep, String doc, Function<Object, String> check) {
        return new Field(section, key, type, def, sweep, doc, check);
    }

    private static String seeds(Object v) {
        if (v instanceof List<?> l) {
            if (l.isEmpty() || l.size() > MAX_COUNT) return "must be a non-empty list of distinct non-negative integers";
            for (Object x : l) if (!Field.isInt(x) || ((Number) x).longValue() < 0) return "must be a non-empty list of distinct non-negative integers";
            return new java.util.HashSet<>(l).size() == l.size() ? null : "must not repeat a seed";
        }
        return Field.positiveInt(MAX_COUNT).apply(v) == null ? null : "must be a positive integer N (seeds 0..N-1) or a list of seeds";
    }

    private static Function<Object, String> listOf(List<String> values) {
        String words = "must be a non-empty list of " + String.join(", ", values);
        return v -> v instanceof List<?> l && !l.isEmpty() && values.containsAll(l) ? null : words;
    }

    private static final Function<Object, String> NAME = v -> v instanceof String s && s.matches(NAME_PATTERN) && s.length() <= 200
            ? null : "must be a name of letters, digits, '.', '_' and '-' (at most 200)";
    private static final Function<Object, String> MAP = v -> v instanceof Map ? null : "must be a map";

    /** The top-level keys. */
    public static final List<Field> TOP = List.of(
            f("", "name", "name: letters, digits, `.`, `_`, `-`", null, false, "experiment name (catalog `spec_name`); **required**", NAME),
            f("", "description", "string", null, false, "free text", Field.string()),
            f("", "task", "map", null, false, "task `type` and its options; **required**", MAP),
            f("", "model", "map", Map.of(), false, "network", MAP),
            f("", "train", "map", Map.of(), false, "optimisation", MAP),
            f("", "seeds", "positive integer N, or a list of distinct integers >= 0", 10, false, "N means seeds 0..N-1", Schema::seeds),
            f("", "control", "map knob -> value or list", Map.of(), false, "the experiment's knob(s); see below", MAP),
            f("", "measure", "map", Map.of(), false, "degeneracy analysis", MAP),
            f("", "profiles", "map name -> partial spec", Map.of(), false,
                    "selected with `--profile`; merged deep over the base (maps merge key by key, everything else is replaced); may not nest `profiles`", MAP),
            f("", "report", "map", Map.of(), false, "report settings", MAP),
            f("", "expect", "map of `behaviour`, `dynamics`, `weights` to `up` or `down`", Map.of(), false,
                    "the direction each level is expected to move as the knob grows (the paper's arrows); `degen verdict` judges each against the data", Schema::expect));

    public static final List<String> DIRECTIONS = List.of("up", "down");

    private static String expect(Object v) {
        if (!(v instanceof Map<?, ?> m)) return "must be a map of level to up or down";
        for (var e : m.entrySet()) {
            if (!List.of("behaviour", "dynamics", "weights").contains(e.getKey()) || !DIRECTIONS.contains(e.getValue())) {
                return "must map behaviour, dynamics and weights to up or down";
            }
        }
        return null;
    }

    public static final List<String> MODEL_TYPES = List.of("standard", "mup");

    public static final List<Field> MODEL = List.of(
            f("model", "type", "`standard` or `mup`", "standard", true, "PyTorch-style RNN or leaky mean-field (muP) RNN", Field.choice(MODEL_TYPES)),
            f("model", "hidden", "positive integer <= " + MAX_HIDDEN, 128, true, "hidden units", Field.positiveInt(MAX_HIDDEN)),
            f("model", "gamma", "positive number", 1.0, true, "feature-learning strength; `mup` only", Field.number(0, true, Double.POSITIVE_INFINITY, false)),
            f("model", "tau", "number in (0, 1]", 0.1, true, "time constant; `mup` only", Field.number(0, true, 1, false)));

    public static final List<String> DTYPES = List.of("float32", "float64");
    public static final List<String> STOP_RULES = List.of("task-outputs", "all-outputs");

    public static final List<Field> TRAIN = List.of(
            f("train", "lr", "number in (0, 10)", 1e-3, true, "Adam learning rate (muP: the base rate, times gamma)", Field.number(0, true, 10, true)),
            f("train", "batch", "positive integer <= " + MAX_COUNT, 64, true, "trials per step", Field.positiveInt(MAX_COUNT)),
            f("train", "steps-per-epoch", "positive integer <= " + MAX_COUNT, 128, true, "Adam steps per epoch", Field.positiveInt(MAX_COUNT)),
            f("train", "max-epochs", "positive integer <= " + MAX_COUNT, 1000, true, "epochs before a run stops unconverged", Field.positiveInt(MAX_COUNT)),
            f("train", "threshold", "positive number", null, true, "stop threshold on the epoch loss; default: the task's own", Field.number(0, true, Double.POSITIVE_INFINITY, false)),
            f("train", "patience", "integer >= 0", 3, true, "epochs trained on once the loss first falls below the threshold, whatever it does then (the paper's rule)", Field.nonNegativeInt(MAX_COUNT)),
            f("train", "plateau-factor", "number in (0, 1]", 0.5, true, "ReduceLROnPlateau factor", Field.number(0, true, 1, false)),
            f("train", "plateau-patience", "integer >= 0", 40, true, "ReduceLROnPlateau patience (epochs)", Field.nonNegativeInt(MAX_COUNT)),
            f("train", "nuclear", "number >= 0", 0, true, "nuclear-norm weight on the recurrent matrix", Field.number(0, false, Double.POSITIVE_INFINITY, false)),
            f("train", "l1", "number >= 0", 0, true, "L1 weight on the recurrent matrix", Field.number(0, false, Double.POSITIVE_INFINITY, false)),
            f("train", "dtype", "`float32` or `float64`", "float32", true, "training precision", Field.choice(DTYPES)),
            f("train", "stop-on", "`task-outputs` or `all-outputs`", null, true,
                    "which outputs' loss the stopping rule watches; default: the task's own outputs (for an auxiliary loss: not its extra "
                    + "outputs, whose loss is recorded beside it); `all-outputs` is the rule of earlier versions", Field.choice(STOP_RULES)));

    public static final List<String> METRICS_BACKENDS = List.of("java", "mkl", "cuda");
    public static final List<String> SCORES = List.of("angular", "euclidean");
    public static final List<String> PROBES = List.of("shared", "per-network");

    public static final List<Field> MEASURE = List.of(
            f("measure", "levels", "list of `behaviour`, `dynamics`, `weights`, `feature-learning`", Level.labels(), false,
                    "levels computed; a level not listed is not computed at all", listOf(Level.labels())),
            f("measure", "probe-trials", "positive integer", 64, false, "trials for the trajectories compared by DSA", Field.positiveInt(MAX_COUNT)),
            f("measure", "ood-trials", "positive integer", 256, false, "trials for the OOD loss", Field.positiveInt(MAX_COUNT)),
            f("measure", "ntk-trials", "positive integer", 8, false, "trials for the NTK kernel alignment", Field.positiveInt(MAX_COUNT)),
            f("measure", "pif-restarts", "positive integer", 4, false, "d_PIF optimiser starts", Field.positiveInt(MAX_COUNT)),
            f("measure", "seed", "integer >= 0", 12345L, false, "seed of every probe batch and optimiser start", Field.nonNegativeInt(Long.MAX_VALUE / 2)),
            f("measure", "metrics-backend", "`java`, `mkl` or `cuda`", "java", false,
                    "engine of the DSA fits and d_PIF products: `java` gives the same numbers on every machine; `mkl` agrees to rounding "
                    + "(DSA means move by ~1e-6). Not `auto`, whose engine depends on the machine. Checked to load before training starts",
                    Field.choice(METRICS_BACKENDS)),
            f("measure", "probe", "`shared` or `per-network`", "shared", false,
                    "probe trials of the DSA trajectories: the same for every network, or each network's own (drawn from the seed and its id)",
                    Field.choice(PROBES)),
            f("measure", "dsa", "map", Map.of(), false, "DSA settings, fixed within a task", MAP));

    public static final List<Field> DSA = List.of(
            f("measure.dsa", "n-delays", "positive integer", 5, false, "delay-embedding length", Field.positiveInt(MAX_COUNT)),
            f("measure.dsa", "rank", "positive integer", 20, false, "HAVOK/DMD rank (at most n-delays x units and the fit's regression pairs, probe-trials x (time - (n-delays - 1) x delay-interval - 1); checked when the plan is made)", Field.positiveInt(MAX_COUNT)),
            f("measure.dsa", "delay-interval", "positive integer", 1, false, "steps between delays", Field.positiveInt(MAX_COUNT)),
            f("measure.dsa", "score", "`angular` or `euclidean`", "angular", false, "the Procrustes score", Field.choice(SCORES)));

    public static final List<String> FORMATS = List.of("png", "svg");

    public static final List<Field> REPORT = List.of(
            f("report", "title", "string", null, false, "report heading; default: the spec name", Field.string()),
            f("report", "formats", "list of `png`, `svg`", FORMATS, false, "figure formats", listOf(FORMATS)));

    /** Control knobs that are aliases of a field: knob -> section.key. Any option of the spec's task is a knob too, and so is any dotted field. */
    public static final Map<String, String> CONTROL_ALIASES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nuclear", "train.nuclear");
        m.put("l1", "train.l1");
        m.put("lr", "train.lr");
        m.put("batch", "train.batch");
        m.put("gamma", "model.gamma");
        m.put("tau", "model.tau");
        m.put("width", "model.hidden");
        m.put("hidden", "model.hidden");
        m.put("model-type", "model.type");
        CONTROL_ALIASES = java.util.Collections.unmodifiableMap(m);
    }

    /** The fields of a section: "", "model", "train", "measure", "measure.dsa", "report". */
    public static List<Field> section(String section) {
        return switch (section) {
            case "" -> TOP;
            case "model" -> MODEL;
            case "train" -> TRAIN;
            case "measure" -> MEASURE;
            case "measure.dsa" -> DSA;
            case "report" -> REPORT;
            default -> throw new IllegalArgumentException("no schema section '" + section + "'");
        };
    }

    /** The field, or null when the section has no such key. */
    public static Field field(String section, String key) {
        for (Field x : section(section)) if (x.key().equals(key)) return x;
        return null;
    }

    public static Set<String> keys(String section) {
        Set<String> out = new TreeSet<>();
        for (Field x : section(section)) out.add(x.key());
        return out;
    }

    /** A field's default (throws for an unknown key: defaults are asked for by code, not users). */
    public static Object def(String section, String key) {
        Field x = field(section, key);
        if (x == null) throw new IllegalStateException("no schema field " + section + "." + key);
        return x.def();
    }

    /**
     * Fails with {@code section.key PROBLEM, got VALUE} when a value does not fit its field (the
     * form the config records use; the spec validator reports the spec path instead).
     */
    public static void require(String section, String key, Object v) {
        Field x = field(section, key);
        String p = x.problem(v);
        if (p != null) throw new IllegalArgumentException(x.name() + " " + p + ", got " + io.degen.util.SpecPath.show(v));
    }

    /** The declared options of a task type, or null when it declares none (a user task with free options). */
    public static List<TaskOption> task(String type) { return TaskRegistry.options(type); }

    /** Every section's fields, for docs and the Clojure specs. */
    public static List<Field> all() {
        List<Field> out = new ArrayList<>();
        for (String s : List.of("", "model", "train", "measure", "measure.dsa", "report")) out.addAll(section(s));
        return out;
    }
}
