package io.degen.plan;

import io.degen.config.RunConfig;
import io.degen.config.SpecPath;
import io.degen.config.MeasureOptions;
import io.degen.config.ModelConfig;
import io.degen.task.TaskRegistry;
import io.degen.config.TrainConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An experiment: a population of networks per condition, conditions being the cartesian product of
 * every sweep axis. Built from plain data (what {@link SpecReaders} returns for an EDN or JSON file)
 * and validated completely on construction; every problem is an {@link IllegalArgumentException}
 * naming the path and value, e.g. {@code [:task :channels 2] must be a positive integer, got -1}.
 *
 * <p>Keys (see docs/dsl.md for defaults): {@code name} (required), {@code description}, {@code task}
 * (map with {@code type} and that task's options), {@code model} ({@code type standard|mup},
 * {@code hidden}, {@code gamma}, {@code tau}), {@code train} (the {@link TrainConfig#KEYS}),
 * {@code seeds} (N meaning 0..N-1, or a list), {@code control}, {@code measure}, {@code profiles},
 * {@code report}. Any list value inside task/model/train/control is a sweep axis.
 *
 * <p>{@code control} names the knob of the experiment: each entry overrides one model/train/task
 * field; a list sweeps it. Knobs: {@code nuclear}, {@code l1}, {@code lr}, {@code batch} (train),
 * {@code gamma}, {@code tau}, {@code width} / {@code hidden}, {@code model-type} (model), any option
 * of the spec's task ({@code aux}, {@code channels}, ...), or an explicit dotted field such as
 * {@code train.max-epochs}. Example: {@code {"nuclear": [0, 1e-3]}} trains every condition without
 * and with the nuclear-norm regulariser.
 */
public final class ExperimentSpec {
    public static final Set<String> TOP_KEYS = Set.of("name", "description", "task", "model", "train", "seeds", "control",
            "measure", "profiles", "report");
    public static final Set<String> MODEL_KEYS = Set.of("type", "hidden", "gamma", "tau");
    public static final Set<String> MEASURE_KEYS = Set.of("dsa", "levels", "probe-trials", "ood-trials", "ntk-trials",
            "pif-restarts", "seed", "metrics-backend");
    public static final Set<String> DSA_KEYS = Set.of("n-delays", "rank", "delay-interval", "score");
    public static final Set<String> LEVELS = Set.of("behaviour", "dynamics", "weights", "feature-learning");
    public static final Set<String> REPORT_KEYS = Set.of("title", "formats");
    public static final int DEFAULT_SEEDS = 10;
    private static final Map<String, String> CONTROL_ALIASES = Map.of(
            "nuclear", "train.nuclear", "l1", "train.l1", "lr", "train.lr", "batch", "train.batch",
            "gamma", "model.gamma", "tau", "model.tau", "width", "model.hidden", "hidden", "model.hidden",
            "model-type", "model.type");

    /** One sweep axis: its display name, the field it sets (section, key), its values and where it was given. */
    public record Axis(String name, String section, String key, List<Object> values, List<Object> source) { }

    private final String name;
    private final String profile;
    private final Map<String, Object> spec;
    private final String taskType;
    private final Map<String, Object> task = new LinkedHashMap<>(), model = new LinkedHashMap<>(), train = new LinkedHashMap<>();
    private final List<Axis> axes = new ArrayList<>();
    private final List<Long> seeds = new ArrayList<>();
    private final MeasureOptions options;
    private final List<String> levels = new ArrayList<>();
    private final Map<String, Object> report = new LinkedHashMap<>();

    private ExperimentSpec(Map<String, Object> m, String profile) {
        this.spec = m;
        this.profile = profile;
        for (String k : m.keySet()) {
            if (!TOP_KEYS.contains(k)) throw SpecPath.error(List.of(k), "is not a spec key (known: " + new TreeSet<>(TOP_KEYS) + ")", m.get(k));
        }
        Object n = m.get("name");
        if (!(n instanceof String s) || !s.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw SpecPath.error(List.of("name"), "must be a name of letters, digits, '.', '_' and '-'", n);
        }
        this.name = s;
        if (m.containsKey("description") && !(m.get("description") instanceof String)) {
            throw SpecPath.error(List.of("description"), "must be a string", m.get("description"));
        }
        Map<String, Object> t = map(m, "task", true);
        Object type = t.get("type");
        if (type instanceof List) throw SpecPath.error(List.of("task", "type"), "cannot be swept (write one spec per task type)", type);
        if (!(type instanceof String ts) || !TaskRegistry.has(ts)) {
            throw SpecPath.error(List.of("task", "type"), "must be one of " + TaskRegistry.types(), type);
        }
        this.taskType = ts;
        Map<String, Object> taskDefaults = taskDefaults(ts);
        for (var e : t.entrySet()) {
            if (e.getKey().equals("type")) continue;
            collect("task", e.getKey(), e.getValue(), List.of("task", e.getKey()), "task." + e.getKey(), taskDefaults);
        }
        Map<String, Object> mo = map(m, "model", false);
        for (var e : mo.entrySet()) collect("model", e.getKey(), e.getValue(), List.of("model", e.getKey()), "model." + e.getKey(), taskDefaults);
        Map<String, Object> tr = map(m, "train", false);
        for (var e : tr.entrySet()) collect("train", e.getKey(), e.getValue(), List.of("train", e.getKey()), "train." + e.getKey(), taskDefaults);
        Map<String, Object> co = map(m, "control", false);
        for (var e : co.entrySet()) {
            String knob = e.getKey();
            String field = CONTROL_ALIASES.get(knob);
            if (field == null && knob.matches("(task|model|train)\\.[A-Za-z0-9-]+")) field = knob;
            if (field == null && taskDefaults != null && taskDefaults.containsKey(knob)) field = "task." + knob;
            if (field == null && knob.equals("aux")) field = "task.aux";
            if (field == null) {
                Set<String> known = new TreeSet<>(CONTROL_ALIASES.keySet());
                if (taskDefaults != null) { known.addAll(taskDefaults.keySet()); known.remove("type"); }
                throw SpecPath.error(List.of("control", knob), "is not a control knob (known: " + known
                        + ", or a field such as train.max-epochs)", e.getValue());
            }
            String section = field.substring(0, field.indexOf('.')), key = field.substring(field.indexOf('.') + 1);
            if (section.equals("task") && key.equals("type")) throw SpecPath.error(List.of("control", knob), "cannot change the task type", e.getValue());
            Map<String, Object> target = section(section);
            for (Axis a : axes) {
                if (a.section().equals(section) && a.key().equals(key)) {
                    throw SpecPath.error(List.of("control", knob), "sets " + field + ", which " + SpecPath.of(a.source()) + " already sweeps", e.getValue());
                }
            }
            target.remove(key);
            collect(section, key, e.getValue(), List.of("control", knob), knob, taskDefaults);
        }
        mupOnly();
        seeds(m.get("seeds"));
        this.options = measure(map(m, "measure", false));
        report(map(m, "report", false));
        Object profiles = m.get("profiles");
        if (profiles != null) {
            if (!(profiles instanceof Map<?, ?> pm)) throw SpecPath.error(List.of("profiles"), "must be a map of name to partial spec", profiles);
            for (var e : pm.entrySet()) {
                if (!(e.getValue() instanceof Map)) throw SpecPath.error(List.of("profiles", e.getKey()), "must be a map (a partial spec)", e.getValue());
            }
        }
    }

    /** The spec without profile. */
    public static ExperimentSpec fromMap(Map<String, ?> m) { return fromMap(m, null); }

    /** The spec with {@code profiles[profile]} merged deep over the base (maps merge, other values replace). */
    @SuppressWarnings("unchecked")
    public static ExperimentSpec fromMap(Map<String, ?> m, String profile) {
        if (m == null) throw new IllegalArgumentException("[] the spec must be a map, got nil");
        Map<String, Object> base = (Map<String, Object>) deepCopy(m);
        if (profile != null && !profile.isEmpty()) {
            Object ps = base.get("profiles");
            if (!(ps instanceof Map<?, ?> pm) || !pm.containsKey(profile)) {
                Set<String> known = ps instanceof Map<?, ?> pm2 ? new TreeSet<>((Set<String>) pm2.keySet()) : Set.of();
                throw SpecPath.error(List.of("profiles"), "has no profile '" + profile + "' (known: " + known + ")", profile);
            }
            Object p = pm.get(profile);
            if (!(p instanceof Map)) throw SpecPath.error(List.of("profiles", profile), "must be a map (a partial spec)", p);
            if (((Map<String, Object>) p).containsKey("profiles")) throw SpecPath.error(List.of("profiles", profile, "profiles"), "profiles cannot nest", "...");
            base = merge(base, (Map<String, Object>) p);
        }
        return new ExperimentSpec(base, profile == null || profile.isEmpty() ? null : profile);
    }

    public String name() { return name; }

    public String profile() { return profile; }

    public String taskType() { return taskType; }

    public List<Axis> axes() { return List.copyOf(axes); }

    public List<Long> seeds() { return List.copyOf(seeds); }

    public MeasureOptions degeneracyOptions() { return options; }

    public List<String> levels() { return List.copyOf(levels); }

    public Map<String, Object> report() { return report; }

    /** The effective spec (profile merged), as given. */
    public Map<String, Object> toMap() { return spec; }

    /** Hash of the effective spec: the catalog's spec_hash. */
    public String hash() {
        Map<String, Object> m = new LinkedHashMap<>(spec);
        m.remove("profiles");
        return RunConfig.hash(io.degen.util.Json.line(RunConfig.sortDeep(m)));
    }

    /** Expands the sweep axes (first axis varies slowest) and the seeds into runs. */
    public Plan compile() {
        List<Plan.Condition> conds = new ArrayList<>();
        int nc = 1;
        for (Axis a : axes) nc = Math.multiplyExact(nc, a.values().size());
        if ((long) nc * seeds.size() > 10_000_000L) throw SpecPath.error(List.of("seeds"), "makes more than 10 million runs", (long) nc * seeds.size());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int c = 0; c < nc; c++) {
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, Object> tk = new LinkedHashMap<>(task), md = new LinkedHashMap<>(model), tn = new LinkedHashMap<>(train);
            tk.put("type", taskType);
            int rest = c;
            int[] idx = new int[axes.size()];
            for (int a = axes.size() - 1; a >= 0; a--) {
                idx[a] = rest % axes.get(a).values().size();
                rest /= axes.get(a).values().size();
            }
            for (int a = 0; a < axes.size(); a++) {
                Axis ax = axes.get(a);
                Object v = ax.values().get(idx[a]);
                values.put(ax.name(), v);
                (ax.section().equals("task") ? tk : ax.section().equals("model") ? md : tn).put(ax.key(), v);
            }
            String where = values.isEmpty() ? "" : " (condition " + io.degen.util.Json.line(values) + ")";
            Object mt = md.getOrDefault("type", "standard");
            if ("standard".equals(mt)) {
                for (String k : List.of("gamma", "tau")) {
                    if (md.containsKey(k)) throw SpecPath.error(sourceOf("model", k), "is only used by model type mup, but [:model :type] is standard" + where, md.get(k));
                }
            }
            RunConfig base;
            try {
                base = new RunConfig(tk, ModelConfig.fromMap(md), TrainConfig.fromMap(tn), seeds.get(0));
            } catch (IllegalArgumentException e) {
                String msg = String.valueOf(e.getMessage());
                java.util.regex.Matcher x = java.util.regex.Pattern.compile("^(task|model|train)\\.([A-Za-z0-9-]+) ").matcher(msg);
                List<Object> p = x.find() ? sourceOf(x.group(1), x.group(2)) : List.of("task");
                throw new IllegalArgumentException(SpecPath.rewrite(e, p).getMessage() + where, e);
            }
            String cid = base.conditionId();
            Integer prev = seen.put(cid, c);
            if (prev != null) {
                throw new IllegalArgumentException(SpecPath.of("control") + " conditions " + prev + " and " + c
                        + " are the same configuration, got " + io.degen.util.Json.line(values));
            }
            List<RunConfig> runs = new ArrayList<>();
            for (long s : seeds) runs.add(base.withSeed(s));
            conds.add(new Plan.Condition(c, cid, values, runs));
        }
        return new Plan(this, conds);
    }

    /** gamma and tau exist only in the muP parameterisation. */
    private void mupOnly() {
        List<Object> types = new ArrayList<>();
        types.add(model.getOrDefault("type", "standard"));
        for (Axis a : axes) if (a.section().equals("model") && a.key().equals("type")) { types.clear(); types.addAll(a.values()); }
        if (!types.contains("standard")) return;
        for (String k : List.of("gamma", "tau")) {
            List<Object> src = sourceOf("model", k);
            Object v = model.containsKey(k) ? model.get(k) : null;
            for (Axis a : axes) if (a.section().equals("model") && a.key().equals(k)) v = a.values();
            if (v != null) throw SpecPath.error(src, "is only used by model type mup, but [:model :type] is standard", v);
        }
    }

    private List<Object> sourceOf(String section, String key) {
        for (Axis a : axes) if (a.section().equals(section) && a.key().equals(key)) return a.source();
        return List.of(section, key);
    }

    private Map<String, Object> section(String s) {
        return switch (s) { case "task" -> task; case "model" -> model; default -> train; };
    }

    /** Validates one task/model/train value (or list of values) and records it as fixed or as an axis. */
    private void collect(String section, String key, Object v, List<Object> path, String axisName, Map<String, Object> taskDefaults) {
        if (v instanceof List<?> list) {
            if (list.isEmpty()) throw SpecPath.error(path, "a sweep list must not be empty", v);
            List<Object> vals = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < list.size(); i++) {
                List<Object> p = new ArrayList<>(path);
                p.add(i);
                Object x = list.get(i);
                if (x instanceof List || x instanceof Map) throw SpecPath.error(p, "a sweep value must be a number, string or boolean", x);
                check(section, key, x, p, taskDefaults);
                if (!seen.add(io.degen.util.Json.line(RunConfig.sortDeep(x)))) throw SpecPath.error(p, "repeats a value of the sweep", x);
                vals.add(x);
            }
            axes.add(new Axis(axisName, section, key, vals, path));
        } else {
            check(section, key, v, path, taskDefaults);
            section(section).put(key, v);
        }
    }

    private void check(String section, String key, Object v, List<Object> p, Map<String, Object> taskDefaults) {
        switch (section) {
            case "model" -> {
                switch (key) {
                    case "type" -> { if (!"standard".equals(v) && !"mup".equals(v)) throw SpecPath.error(p, "must be standard or mup", v); }
                    case "hidden" -> positiveInt(v, p, 16384);
                    case "gamma" -> { if (!(v instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) throw SpecPath.error(p, "must be a positive number", v); }
                    case "tau" -> { if (!(v instanceof Number n) || !(n.doubleValue() > 0 && n.doubleValue() <= 1)) throw SpecPath.error(p, "must be a number in (0, 1]", v); }
                    default -> throw SpecPath.error(p, "is not a model option (known: " + new TreeSet<>(MODEL_KEYS) + ")", v);
                }
            }
            case "train" -> {
                switch (key) {
                    case "lr" -> { if (!(v instanceof Number n) || !(n.doubleValue() > 0 && n.doubleValue() < 10)) throw SpecPath.error(p, "must be a number in (0, 10)", v); }
                    case "batch", "steps-per-epoch", "max-epochs" -> positiveInt(v, p, 1_000_000_000);
                    case "patience", "plateau-patience" -> { if (!isInt(v) || ((Number) v).longValue() < 0) throw SpecPath.error(p, "must be a non-negative integer", v); }
                    case "threshold" -> { if (!(v instanceof Number n) || !(n.doubleValue() > 0)) throw SpecPath.error(p, "must be a positive number", v); }
                    case "plateau-factor" -> { if (!(v instanceof Number n) || !(n.doubleValue() > 0 && n.doubleValue() <= 1)) throw SpecPath.error(p, "must be a number in (0, 1]", v); }
                    case "nuclear", "l1" -> { if (!(v instanceof Number n) || !(n.doubleValue() >= 0) || Double.isInfinite(n.doubleValue())) throw SpecPath.error(p, "must be a non-negative number", v); }
                    case "dtype" -> { if (!"float32".equals(v) && !"float64".equals(v)) throw SpecPath.error(p, "must be float32 or float64", v); }
                    default -> throw SpecPath.error(p, "is not a training option (known: " + new TreeSet<>(TrainConfig.KEYS) + ")", v);
                }
            }
            default -> checkTask(key, v, p, taskDefaults);
        }
    }

    private void checkTask(String key, Object v, List<Object> p, Map<String, Object> defaults) {
        if (defaults == null) return; // a user task that needs options: its constructor validates at compile()
        if (!defaults.containsKey(key)) {
            if (key.equals("aux")) throw SpecPath.error(p, "aux is only available on task delayed-discrimination, task is " + taskType, v);
            Set<String> known = new TreeSet<>(defaults.keySet());
            known.remove("type");
            throw SpecPath.error(p, "is not an option of task " + taskType + " (known: " + known + ")", v);
        }
        Object d = defaults.get(key);
        if (d instanceof Boolean) {
            if (!(v instanceof Boolean)) throw SpecPath.error(p, "must be true or false", v);
        } else if (d instanceof Integer || d instanceof Long) {
            if (!isInt(v)) throw SpecPath.error(p, "must be an integer", v);
            if (((Number) v).longValue() < 0) {
                throw SpecPath.error(p, accepts(key, 0) ? "must be a non-negative integer" : "must be a positive integer", v);
            }
        } else if (d instanceof Number) {
            if (!(v instanceof Number)) throw SpecPath.error(p, "must be a number", v);
        }
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("type", taskType);
        one.put(key, v);
        try {
            TaskRegistry.create(one);
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("task." + key + " ")) throw SpecPath.rewrite(e, p);
            // other messages are about combinations (e.g. delay-min > delay-max): checked per condition
        }
    }

    private boolean accepts(String key, int value) {
        try {
            TaskRegistry.create(Map.of("type", taskType, key, value));
            return true;
        } catch (IllegalArgumentException e) {
            return !String.valueOf(e.getMessage()).startsWith("task." + key + " ");
        }
    }

    private static Map<String, Object> taskDefaults(String type) {
        try { return TaskRegistry.create(Map.of("type", type)).options(); }
        catch (RuntimeException e) { return null; }
    }

    private static boolean isInt(Object v) {
        return v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 9e15;
    }

    private static void positiveInt(Object v, List<Object> p, long max) {
        if (!isInt(v) || ((Number) v).longValue() < 1) throw SpecPath.error(p, "must be a positive integer", v);
        if (((Number) v).longValue() > max) throw SpecPath.error(p, "must be at most " + max, v);
    }

    private void seeds(Object s) {
        if (s == null) { for (long i = 0; i < DEFAULT_SEEDS; i++) seeds.add(i); return; }
        if (s instanceof List<?> l) {
            if (l.isEmpty()) throw SpecPath.error(List.of("seeds"), "must not be empty", s);
            Set<Long> seen = new LinkedHashSet<>();
            for (int i = 0; i < l.size(); i++) {
                Object x = l.get(i);
                if (!isInt(x) || ((Number) x).longValue() < 0) throw SpecPath.error(List.of("seeds", i), "must be a non-negative integer", x);
                if (!seen.add(((Number) x).longValue())) throw SpecPath.error(List.of("seeds", i), "repeats a seed", x);
            }
            seeds.addAll(seen);
            return;
        }
        if (!isInt(s) || ((Number) s).longValue() < 1) throw SpecPath.error(List.of("seeds"), "must be a positive integer N (seeds 0..N-1) or a list of seeds", s);
        if (((Number) s).longValue() > 1_000_000) throw SpecPath.error(List.of("seeds"), "must be at most 1000000", s);
        for (long i = 0; i < ((Number) s).longValue(); i++) seeds.add(i);
    }

    private MeasureOptions measure(Map<String, Object> m) {
        for (String k : m.keySet()) {
            if (!MEASURE_KEYS.contains(k)) throw SpecPath.error(List.of("measure", k), "is not a measure key (known: " + new TreeSet<>(MEASURE_KEYS) + ")", m.get(k));
        }
        MeasureOptions d = MeasureOptions.defaults();
        Object dv = m.getOrDefault("dsa", Map.of());
        if (!(dv instanceof Map)) throw SpecPath.error(List.of("measure", "dsa"), "must be a map", dv);
        @SuppressWarnings("unchecked") Map<String, Object> dsa = (Map<String, Object>) dv;
        for (String k : dsa.keySet()) {
            if (!DSA_KEYS.contains(k)) throw SpecPath.error(List.of("measure", "dsa", k), "is not a DSA key (known: " + new TreeSet<>(DSA_KEYS) + ")", dsa.get(k));
        }
        int delays = posInt(dsa, "n-delays", d.dsaDelays(), List.of("measure", "dsa", "n-delays"));
        int rank = posInt(dsa, "rank", d.dsaRank(), List.of("measure", "dsa", "rank"));
        int interval = posInt(dsa, "delay-interval", d.dsaDelayInterval(), List.of("measure", "dsa", "delay-interval"));
        Object score = dsa.getOrDefault("score", d.dsaScore());
        if (!"angular".equals(score) && !"euclidean".equals(score)) throw SpecPath.error(List.of("measure", "dsa", "score"), "must be angular or euclidean", score);
        Object lv = m.get("levels");
        if (lv == null) levels.addAll(List.of("behaviour", "dynamics", "weights", "feature-learning"));
        else {
            if (!(lv instanceof List<?> l) || l.isEmpty()) throw SpecPath.error(List.of("measure", "levels"), "must be a non-empty list of " + new TreeSet<>(LEVELS), lv);
            for (int i = 0; i < l.size(); i++) {
                if (!LEVELS.contains(l.get(i))) throw SpecPath.error(List.of("measure", "levels", i), "must be one of " + new TreeSet<>(LEVELS), l.get(i));
                if (!levels.contains((String) l.get(i))) levels.add((String) l.get(i));
            }
        }
        int probe = posInt(m, "probe-trials", d.probeTrials(), List.of("measure", "probe-trials"));
        int ood = posInt(m, "ood-trials", d.oodTrials(), List.of("measure", "ood-trials"));
        int ntkTrials = posInt(m, "ntk-trials", d.ntkTrials(), List.of("measure", "ntk-trials"));
        int restarts = posInt(m, "pif-restarts", d.pifRestarts(), List.of("measure", "pif-restarts"));
        Object seed = m.getOrDefault("seed", d.seed());
        if (!isInt(seed) || ((Number) seed).longValue() < 0) throw SpecPath.error(List.of("measure", "seed"), "must be a non-negative integer", seed);
        Object engine = m.getOrDefault("metrics-backend", d.metricsBackend());
        if (!(engine instanceof String) || !MeasureOptions.METRICS_BACKENDS.contains(engine)) {
            throw SpecPath.error(List.of("measure", "metrics-backend"), "must be one of " + new TreeSet<>(MeasureOptions.METRICS_BACKENDS), engine);
        }
        return new MeasureOptions(delays, interval, rank, (String) score, probe, ood, restarts, levels.contains("feature-learning"),
                ntkTrials, ((Number) seed).longValue(), d.threads(), (String) engine);
    }

    private static int posInt(Map<String, Object> m, String k, int def, List<Object> p) {
        Object v = m.getOrDefault(k, def);
        positiveInt(v, p, 1_000_000);
        return ((Number) v).intValue();
    }

    private void report(Map<String, Object> r) {
        for (String k : r.keySet()) {
            if (!REPORT_KEYS.contains(k)) throw SpecPath.error(List.of("report", k), "is not a report key (known: " + new TreeSet<>(REPORT_KEYS) + ")", r.get(k));
        }
        Object title = r.getOrDefault("title", name);
        if (!(title instanceof String)) throw SpecPath.error(List.of("report", "title"), "must be a string", title);
        Object f = r.getOrDefault("formats", List.of("png", "svg"));
        if (!(f instanceof List<?> fl) || fl.isEmpty()) throw SpecPath.error(List.of("report", "formats"), "must be a non-empty list of png, svg", f);
        for (int i = 0; i < fl.size(); i++) {
            if (!"png".equals(fl.get(i)) && !"svg".equals(fl.get(i))) throw SpecPath.error(List.of("report", "formats", i), "must be png or svg", fl.get(i));
        }
        report.put("title", title);
        report.put("formats", List.copyOf(fl));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null) {
            if (required) throw SpecPath.error(List.of(key), "is required", null);
            return new LinkedHashMap<>();
        }
        if (!(v instanceof Map<?, ?> mm)) throw SpecPath.error(List.of(key), "must be a map", v);
        for (Object k : mm.keySet()) if (!(k instanceof String)) throw SpecPath.error(List.of(key), "keys must be keywords or strings", k);
        return new LinkedHashMap<>((Map<String, Object>) v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (var e : over.entrySet()) {
            Object b = out.get(e.getKey());
            if (b instanceof Map && e.getValue() instanceof Map) out.put(e.getKey(), merge((Map<String, Object>) b, (Map<String, Object>) e.getValue()));
            else out.put(e.getKey(), deepCopy(e.getValue()));
        }
        return out;
    }

    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            for (var e : m.entrySet()) c.put(String.valueOf(e.getKey()), deepCopy(e.getValue()));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            for (Object x : l) c.add(deepCopy(x));
            return c;
        }
        return o;
    }
}
