package io.degen.plan;

import io.degen.config.RunConfig;
import io.degen.util.SpecPath;
import io.degen.config.MeasureOptions;
import io.degen.config.ModelConfig;
import io.degen.config.Field;
import io.degen.config.Level;
import io.degen.config.Schema;
import io.degen.task.TaskOption;
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
    public static final Set<String> TOP_KEYS = Schema.keys("");
    public static final Set<String> MODEL_KEYS = Schema.keys("model");
    public static final Set<String> MEASURE_KEYS = Schema.keys("measure");
    public static final Set<String> DSA_KEYS = Schema.keys("measure.dsa");
    public static final Set<String> LEVELS = new TreeSet<>(Level.labels());
    public static final Set<String> REPORT_KEYS = Schema.keys("report");
    public static final int DEFAULT_SEEDS = ((Number) Schema.def("", "seeds")).intValue();
    private static final Map<String, String> CONTROL_ALIASES = Schema.CONTROL_ALIASES;

    /** One sweep axis: its display name, the field it sets (section, key), its values and where it was given. */
    public record Axis(String name, String section, String key, List<Object> values, List<Object> source) { }

    private final String name;
    private final String profile;
    private final Map<String, Object> spec;
    private final String taskType;
    /** The task type's declared options, or null for a user task that declares none. */
    private final List<TaskOption> taskOptions;
    private final Map<String, Object> task = new LinkedHashMap<>(), model = new LinkedHashMap<>(), train = new LinkedHashMap<>();
    private final List<Axis> axes = new ArrayList<>();
    private final List<Long> seeds = new ArrayList<>();
    private final MeasureOptions options;
    private final List<String> levels = new ArrayList<>();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final Map<String, String> expect = new LinkedHashMap<>();

    private ExperimentSpec(Map<String, Object> m, String profile) {
        this.spec = m;
        this.profile = profile;
        for (String k : m.keySet()) {
            if (!TOP_KEYS.contains(k)) throw SpecPath.error(List.of(k), "is not a spec key (known: " + String.join(", ", TOP_KEYS) + ")", m.get(k));
        }
        if (!m.containsKey("name")) throw SpecPath.error(List.of("name"), "is required");
        Object n = m.get("name");
        problem(Schema.field("", "name"), n, List.of("name"));
        this.name = (String) n;
        if (m.containsKey("description")) problem(Schema.field("", "description"), m.get("description"), List.of("description"));
        Map<String, Object> t = map(m, "task", true);
        if (!t.containsKey("type")) throw SpecPath.error(List.of("task", "type"), "is required");
        Object type = t.get("type");
        if (type instanceof List) throw SpecPath.error(List.of("task", "type"), "cannot be swept (write one spec per task type)", type);
        if (!(type instanceof String ts) || !TaskRegistry.has(ts)) {
            throw SpecPath.error(List.of("task", "type"), "must be one of " + String.join(", ", TaskRegistry.types()), type);
        }
        this.taskType = ts;
        this.taskOptions = Schema.task(ts);
        Map<String, Object> taskDefaults = taskDefaults();
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
            if (field == null && taskDefaults == null) field = "task." + knob; // a user task with undeclared options
            if (field == null && !otherTasksWith(knob).isEmpty()) field = "task." + knob;
            if (field == null) {
                Set<String> known = new TreeSet<>(CONTROL_ALIASES.keySet());
                known.addAll(taskDefaults.keySet());
                throw SpecPath.error(List.of("control", knob), "is not a control knob (known: " + String.join(", ", known)
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
        Map<String, Object> ex = map(m, "expect", false);
        for (var e : ex.entrySet()) {
            List<Object> p = List.of("expect", e.getKey());
            if (!List.of("behaviour", "dynamics", "weights").contains(e.getKey())) {
                throw SpecPath.error(p, "is not a level with a paper direction (known: behaviour, dynamics, weights)", e.getValue());
            }
            if (!Schema.DIRECTIONS.contains(e.getValue())) throw SpecPath.error(p, "must be up or down", e.getValue());
            expect.put(e.getKey(), (String) e.getValue());
        }
        Object profiles = m.get("profiles");
        if (profiles != null) {
            if (!(profiles instanceof Map<?, ?> pm)) throw SpecPath.error(List.of("profiles"), "must be a map of name to partial spec", profiles);
            for (var e : pm.entrySet()) {
                if (!(e.getValue() instanceof Map)) throw SpecPath.error(List.of("profiles", e.getKey()), "must be a map (a partial spec)", e.getValue());
                if (((Map<?, ?>) e.getValue()).containsKey("profiles")) {
                    throw SpecPath.error(List.of("profiles", e.getKey(), "profiles"), "profiles cannot nest");
                }
            }
        }
    }

    /** The spec without profile (every profile is validated too, merged over the base). */
    public static ExperimentSpec fromMap(Map<String, ?> m) { return fromMap(m, null); }

    /** The spec with {@code profiles[profile]} merged deep over the base (maps merge, other values replace). */
    @SuppressWarnings("unchecked")
    public static ExperimentSpec fromMap(Map<String, ?> m, String profile) {
        if (m == null) throw new IllegalArgumentException("[] the spec must be a map, got nil");
        Map<String, Object> base = (Map<String, Object>) deepCopy(m);
        ExperimentSpec plain = new ExperimentSpec(base, null);
        if (base.get("profiles") instanceof Map<?, ?> all) {
            for (var e : all.entrySet()) {
                try {
                    new ExperimentSpec(merge(base, (Map<String, Object>) e.getValue()), String.valueOf(e.getKey()));
                } catch (SpecPath.SpecException x) {
                    List<Object> path = new ArrayList<>(List.of("profiles", e.getKey()));
                    path.addAll(x.path());
                    String rest = x.getMessage().substring(SpecPath.of(x.path()).length());
                    throw new SpecPath.SpecException(SpecPath.of(path) + rest, path, x.value());
                }
            }
        }
        if (profile == null || profile.isEmpty()) return plain;
        {
            Object ps = base.get("profiles");
            if (!(ps instanceof Map<?, ?> pm) || !pm.containsKey(profile)) {
                Set<String> known = ps instanceof Map<?, ?> pm2 ? new TreeSet<>((Set<String>) pm2.keySet()) : Set.of();
                throw SpecPath.error(List.of("profiles"), "has no profile '" + profile + "' ("
                        + (known.isEmpty() ? "this spec defines no profiles" : "known: " + String.join(", ", known)) + ")", profile);
            }
            Object p = pm.get(profile);
            if (!(p instanceof Map)) throw SpecPath.error(List.of("profiles", profile), "must be a map (a partial spec)", p);
            return new ExperimentSpec(merge(base, (Map<String, Object>) p), profile);
        }
    }

    public String name() { return name; }

    public String profile() { return profile; }

    public String taskType() { return taskType; }

    public List<Axis> axes() { return List.copyOf(axes); }

    public List<Long> seeds() { return List.copyOf(seeds); }

    public MeasureOptions degeneracyOptions() { return options; }

    public List<String> levels() { return List.copyOf(levels); }

    public Map<String, Object> report() { return report; }

    /** The expected direction (up or down) per level, as the spec states it; empty when it states none. */
    public Map<String, String> expectations() { return java.util.Collections.unmodifiableMap(expect); }

    /** The effective spec (profile merged), as given. */
    public Map<String, Object> toMap() { return spec; }

    /** Hash of the effective spec: the catalog's spec_hash. */
    public String hash() {
        Map<String, Object> m = new LinkedHashMap<>(spec);
        m.remove("profiles");
        return RunConfig.hash(io.degen.util.Json.line(RunConfig.sortDeep(m)));
    }

    /**
     * Expands the sweep axes (first axis varies slowest) and the seeds into runs, checking that the
     * DSA settings fit every condition's networks (before anything is trained).
     */
    public Plan compile() { return compile(true); }

    /**
     * The plan of a store already trained from this spec: the same runs, without the DSA fit checks,
     * so a store made before those checks still opens for its report and verdict; fitting DSA on its
     * networks refuses settings they cannot give ({@code Analysis}).
     */
    public Plan compileStored() { return compile(false); }

    private Plan compile(boolean checkDsa) {
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
            if (checkDsa) dsaFits(base, where);
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

    /**
     * The DSA settings must fit every condition's networks: checked here, before anything is
     * trained, rather than when the first trajectories are embedded after training, and never by
     * quietly lowering the rank (conditions compared at different ranks are not comparable).
     */
    private void dsaFits(RunConfig run, String where) {
        if (!levels.contains(Level.DYNAMICS.label())) return;
        MeasureOptions.DsaMisfit m = options.dsaMisfit(run.model().hidden(), run.task().trialLength());
        if (m != null) throw SpecPath.error(List.of("measure", "dsa", m.field()), m.reason() + where, m.value());
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
            if (list.isEmpty()) throw SpecPath.error(path, "must not be an empty sweep", v);
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
        if (section.equals("task")) { checkTask(key, v, p); return; }
        Field f = Schema.field(section, key);
        if (f == null) {
            throw SpecPath.error(p, "is not a" + (section.equals("model") ? " model" : " training") + " option (known: "
                    + String.join(", ", Schema.keys(section)) + ")", v);
        }
        problem(f, v, p);
    }

    private static void problem(Field f, Object v, List<Object> p) {
        String why = f.problem(v);
        if (why != null) throw SpecPath.error(p, why, v);
    }

    private void checkTask(String key, Object v, List<Object> p) {
        if (taskOptions == null) {
            // A user task that declares no options: its factory validates them when the plan compiles.
            if (!(v instanceof Number || v instanceof Boolean || v instanceof String)) throw SpecPath.error(p, "must be a number, boolean or string", v);
            return;
        }
        TaskOption o = null;
        for (TaskOption x : taskOptions) if (x.key().equals(key)) o = x;
        if (o == null) {
            List<String> others = otherTasksWith(key);
            if (!others.isEmpty()) {
                throw SpecPath.error(p, "is only an option of task " + String.join(", ", others) + ", not " + taskType, v);
            }
            Set<String> known = new TreeSet<>();
            for (TaskOption x : taskOptions) known.add(x.key());
            throw SpecPath.error(p, "is not an option of task " + taskType + " (known: " + String.join(", ", known) + ")", v);
        }
        String why = o.problem(v);
        if (why != null) throw SpecPath.error(p, why, v);
    }

    /** The built-in task types (other than this spec's) that have an option of this name. */
    private List<String> otherTasksWith(String key) {
        List<String> out = new ArrayList<>();
        for (String t : TaskRegistry.types()) {
            if (t.equals(taskType) || !TaskRegistry.builtIn(t)) continue;
            for (TaskOption x : TaskRegistry.options(t)) if (x.key().equals(key)) out.add(t);
        }
        return out;
    }

    /** The task's options with their defaults, or null for undeclared options. */
    private Map<String, Object> taskDefaults() {
        if (taskOptions == null) return null;
        Map<String, Object> d = new LinkedHashMap<>();
        for (TaskOption o : taskOptions) d.put(o.key(), o.def());
        return d;
    }

    /** An integer value: Integer or Long (16.0 is a number, not an integer). */
    private static boolean isInt(Object v) {
        return (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) && Math.abs(((Number) v).doubleValue()) < 9e15;
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
        if (((Number) s).longValue() > Schema.MAX_COUNT) throw SpecPath.error(List.of("seeds"), "must be at most " + Schema.MAX_COUNT, s);
        for (long i = 0; i < ((Number) s).longValue(); i++) seeds.add(i);
    }

    private MeasureOptions measure(Map<String, Object> m) {
        for (String k : m.keySet()) {
            if (!MEASURE_KEYS.contains(k)) throw SpecPath.error(List.of("measure", k), "is not a measure key (known: " + String.join(", ", MEASURE_KEYS) + ")", m.get(k));
        }
        Object dv = m.getOrDefault("dsa", Map.of());
        if (!(dv instanceof Map)) throw SpecPath.error(List.of("measure", "dsa"), "must be a map", dv);
        @SuppressWarnings("unchecked") Map<String, Object> dsa = (Map<String, Object>) dv;
        for (String k : dsa.keySet()) {
            if (!DSA_KEYS.contains(k)) throw SpecPath.error(List.of("measure", "dsa", k), "is not a DSA key (known: " + String.join(", ", DSA_KEYS) + ")", dsa.get(k));
        }
        Object lv = m.get("levels");
        if (lv == null) levels.addAll(Level.labels());
        else {
            if (!(lv instanceof List<?> l) || l.isEmpty()) throw SpecPath.error(List.of("measure", "levels"), "must be a non-empty list of " + String.join(", ", Level.labels()), lv);
            for (int i = 0; i < l.size(); i++) {
                if (!Level.labels().contains(l.get(i))) throw SpecPath.error(List.of("measure", "levels", i), "must be one of " + String.join(", ", Level.labels()), l.get(i));
                if (!levels.contains((String) l.get(i))) levels.add((String) l.get(i));
            }
        }
        MeasureOptions d = MeasureOptions.defaults();
        return new MeasureOptions(((Number) value(dsa, "measure.dsa", "n-delays")).intValue(), ((Number) value(dsa, "measure.dsa", "delay-interval")).intValue(),
                ((Number) value(dsa, "measure.dsa", "rank")).intValue(), (String) value(dsa, "measure.dsa", "score"),
                ((Number) value(m, "measure", "probe-trials")).intValue(), ((Number) value(m, "measure", "ood-trials")).intValue(),
                ((Number) value(m, "measure", "pif-restarts")).intValue(), levels.contains(Level.FEATURE_LEARNING.label()),
                ((Number) value(m, "measure", "ntk-trials")).intValue(), ((Number) value(m, "measure", "seed")).longValue(), d.threads(),
                (String) value(m, "measure", "metrics-backend"), (String) value(m, "measure", "probe"));
    }

    /** A validated value of a section map, or the schema's default. */
    private static Object value(Map<String, Object> m, String section, String key) {
        if (!m.containsKey(key)) return Schema.def(section, key);
        List<Object> path = new ArrayList<>(List.of(section.split("\\.")));
        path.add(key);
        problem(Schema.field(section, key), m.get(key), path);
        return m.get(key);
    }

    private void report(Map<String, Object> r) {
        for (String k : r.keySet()) {
            if (!REPORT_KEYS.contains(k)) throw SpecPath.error(List.of("report", k), "is not a report key (known: " + String.join(", ", REPORT_KEYS) + ")", r.get(k));
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
            if (required) throw SpecPath.error(List.of(key), "is required");
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
