package io.degen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.backend.cuda.CudaBackend;
import io.degen.util.Json;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GPU check (tests/gpu/device.sh runs it): the stages of {@link EngineCheck} with the CUDA engine
 * as the candidate and the Java engine as the reference, after an {@code env} stage that says what
 * was loaded from where. Each stage prints <b>one JSON line on stdout as it completes</b>
 * ({@code {"stage": NAME, "ok": ..., "seconds": ..., ...}}), so a crash in a later stage keeps the
 * earlier ones; the last line is {@code {"stage": "summary", ...}}. Progress goes to stderr.
 *
 * <p>Stages: {@code env}, {@code ops} (every Backend op against the Java engine), {@code grad64} (a
 * full model's float64 gradients), {@code train} (a short float32 training run, alone and in a
 * lockstep group), {@code throughput}. Exit 0 when every stage with a verdict passed, 1 when one
 * failed or threw, 2 when the engine is unavailable (the env line says why).
 *
 * <p>Options: {@code --stages ops,train} (default all), {@code --engine java} (the whole harness with
 * the Java engine in place of the GPU), {@code --check-steps 20}, throughput sizes {@code --hidden 128
 * --batch 64 --time 100 --ensemble 512 --threads 8 --steps 2 --lockstep 1,64,512 --cpu-threads N}, {@code --stacked-hidden
 * 32,128,512} (widths of the stacked-cohort rows, each for every K of {@code --lockstep}; default {@code --hidden}),
 * {@code --skip-throughput}, {@code --crash-in STAGE} (a deliberate SIGSEGV there, to test the
 * script's crash handling). {@code --report DIR} instead reads DIR/gpu-check.jsonl (and
 * DIR/rerun.jsonl, DIR/env.txt when present), prints the table, and writes DIR/table.txt and
 * DIR/device.json.
 */
public final class GpuCheck {
    private GpuCheck() { }

    static final List<String> STAGES = List.of("env", "ops", "grad64", "train", "throughput");

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i].replaceFirst("^--", "");
            if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) a.put(k, argv[++i]); else a.put(k, "true");
        }
        if (a.containsKey("report")) { System.exit(report(Path.of(a.get("report")))); return; }
        int cores = Runtime.getRuntime().availableProcessors();
        int checkSteps = Integer.parseInt(a.getOrDefault("check-steps", "20"));
        EngineCheck.Sizes sizes = new EngineCheck.Sizes(
                Integer.parseInt(a.getOrDefault("hidden", "128")), Integer.parseInt(a.getOrDefault("batch", "64")),
                Integer.parseInt(a.getOrDefault("time", "100")), Integer.parseInt(a.getOrDefault("ensemble", "512")),
                Integer.parseInt(a.getOrDefault("threads", String.valueOf(Math.min(8, cores)))),
                Integer.parseInt(a.getOrDefault("steps", "2")), ints(a.getOrDefault("lockstep", "1,64,512")),
                Integer.parseInt(a.getOrDefault("cpu-threads", String.valueOf(Math.min(16, cores)))),
                ints(a.getOrDefault("stacked-hidden", a.getOrDefault("hidden", "128"))));
        List<String> stages = new ArrayList<>(a.containsKey("stages") ? List.of(a.get("stages").split(",")) : STAGES);
        if (a.containsKey("skip-throughput")) stages.remove("throughput");
        for (String s : stages) if (!STAGES.contains(s)) throw new IllegalArgumentException("unknown stage " + s + " (have " + STAGES + ")");
        boolean dryRun = "java".equals(a.get("engine"));

        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        Map<String, Boolean> verdicts = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Backend gpu;
        Map<String, Object> env = env(dryRun);
        try {
            long c0 = System.nanoTime();
            gpu = dryRun ? Backends.create("java") : new CudaBackend();
            env.put("engine_start_s", (System.nanoTime() - c0) / 1e9);
        } catch (Throwable e) {
            env.put("ok", false);
            env.put("unavailable", String.valueOf(e.getMessage()));
            env.put("loaded_libraries", loadedLibraries());
            line(out, "env", env, t0);
            System.exit(2);
            return;
        }
        env.put("device", gpu instanceof CudaBackend cb ? cb.describe() : "none: --engine java dry run of this harness (no GPU)");
        env.put("loaded_libraries", loadedLibraries());
        env.put("ok", true);
        line(out, "env", env, t0);
        try (gpu; Backend ref = Backends.create("java")) {
            for (String stage : stages) {
                if (stage.equals("env")) continue;
                System.err.println("degen-gpu: stage " + stage + " begins");
                if (stage.equals(a.get("crash-in"))) crash();
                long s0 = System.nanoTime();
                Map<String, Object> m;
                try {
                    m = switch (stage) {
                        case "ops" -> EngineCheck.ops(ref, gpu);
                        case "grad64" -> EngineCheck.grad64(ref, gpu);
                        case "train" -> EngineCheck.train(ref, gpu, checkSteps);
                        case "throughput" -> EngineCheck.throughput(gpu, ref, sizes);
                        default -> throw new IllegalStateException(stage);
                    };
                } catch (Throwable e) {
                    e.printStackTrace();
                    m = new LinkedHashMap<>();
                    m.put("ok", false);
                    m.put("error", String.valueOf(e));
                }
                if (m.get("ok") instanceof Boolean b) verdicts.put(stage, b);
                line(out, stage, m, s0);
            }
        }
        boolean ok = !verdicts.containsValue(false);
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("ok", ok);
        sum.put("stages", verdicts);
        line(out, "summary", sum, t0);
        System.exit(ok ? 0 : 1);
    }

    /** --crash-in STAGE: a SIGSEGV at the start of that stage, to test device.sh's crash path (hs_err, rerun). */
    private static void crash() throws Exception {
        java.lang.reflect.Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object u = f.get(null);
        u.getClass().getMethod("putAddress", long.class, long.class).invoke(u, 0L, 0L);
    }

    private static int[] ints(String s) {
        if (s.isBlank()) return new int[0];
        String[] p = s.split(",");
        int[] r = new int[p.length];
        for (int i = 0; i < p.length; i++) r[i] = Integer.parseInt(p[i].trim());
        return r;
    }

    private static void line(PrintStream out, String stage, Map<String, Object> m, long since) throws Exception {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("stage", stage);
        l.putAll(m);
        l.put("seconds", (System.nanoTime() - since) / 1e9);
        out.println(Json.MAPPER.writeValueAsString(l));
        out.flush();
    }

    private static Map<String, Object> env(boolean dryRun) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", dryRun ? "java (dry run)" : "cuda");
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_gb", Runtime.getRuntime().maxMemory() / 1e9);
        Map<String, String> vars = new TreeMap<>();
        for (String k : new String[] {"LD_LIBRARY_PATH", "LD_PRELOAD", "CUDA_LAUNCH_BLOCKING", "CUDA_VISIBLE_DEVICES", "NVIDIA_TF32_OVERRIDE",
                "CUBLAS_WORKSPACE_CONFIG", "DEGEN_CUDA_DEVICE"}) {
            String v = System.getenv(k);
            if (v != null) vars.put(k, v);
        }
        m.put("env", vars);
        String lp = System.getProperty("org.bytedeco.javacpp.platform.linkpath");
        if (lp != null) m.put("javacpp_linkpath", lp);
        return m;
    }

    /** What JavaCPP loaded, name -> file (shows which libcudart/libcublas/libnvrtc the bindings use). */
    private static Map<String, String> loadedLibraries() {
        try {
            return new TreeMap<>(org.bytedeco.javacpp.Loader.getLoadedLibraries());
        } catch (Throwable e) {
            return Map.of("error", String.valueOf(e));
        }
    }

    // ---- report ------------------------------------------------------------------------------------

    /**
     * Reads DIR/gpu-check.jsonl (stage lines), DIR/rerun.jsonl (the failing stage rerun with
     * CUDA_LAUNCH_BLOCKING=1) and DIR/env.txt (key=value lines from the script), prints a table and
     * writes it to DIR/table.txt, and writes everything as one object to DIR/device.json. Exit 0 when
     * the summary line is present and ok, 1 otherwise.
     */
    static int report(Path dir) throws Exception {
        Map<String, Object> all = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        Path envFile = dir.resolve("env.txt");
        if (Files.exists(envFile)) {
            for (String l : Files.readAllLines(envFile)) {
                int eq = l.indexOf('=');
                if (eq > 0) env.merge(l.substring(0, eq), l.substring(eq + 1), (x, y) -> x + "\n" + y);
            }
        }
        all.put("host", env);
        List<JsonNode> lines = readLines(dir.resolve("gpu-check.jsonl"));
        List<JsonNode> rerun = readLines(dir.resolve("rerun.jsonl"));
        Map<String, JsonNode> stages = new LinkedHashMap<>();
        for (JsonNode n : lines) stages.put(n.path("stage").asText("?"), n);
        all.put("stages", stages);
        if (!rerun.isEmpty()) all.put("rerun_with_CUDA_LAUNCH_BLOCKING", rerun);
        StringBuilder t = new StringBuilder();
        t.append("degen GPU check: ").append(env.getOrDefault("mode", "?")).append('\n');
        for (String k : new String[] {"gpu", "driver", "libcuda", "libcudart", "libcublas", "libcublasLt", "libnvrtc", "java"}) {
            if (env.containsKey(k)) t.append(String.format(Locale.ROOT, "  %-12s %s%n", k, env.get(k).replace("\n", " | ")));
        }
        JsonNode e = stages.get("env");
        if (e != null) {
            t.append(String.format(Locale.ROOT, "  %-12s %s%n", "device", e.path("device").asText(e.path("unavailable").asText("?"))));
            t.append(String.format(Locale.ROOT, "  %-12s %.2f s (NVRTC compile, module load, handles)%n", "engine start", e.path("engine_start_s").asDouble()));
        }
        if (env.getOrDefault("mode", "").startsWith("emulation")) {
            t.append("  (emulation: every CUDA call ran on this CPU; throughput times the emulation, not a GPU)\n");
        }
        t.append(String.format(Locale.ROOT, "%n%-11s %-5s %8s  %s%n", "stage", "ok", "seconds", "result"));
        for (String s : STAGES) {
            JsonNode n = stages.get(s);
            if (s.equals("env")) continue;
            if (n == null) { t.append(String.format(Locale.ROOT, "%-11s %-5s %8s  %s%n", s, "-", "-", "no line (not run, or the JVM died in it)")); continue; }
            t.append(String.format(Locale.ROOT, "%-11s %-5s %8.1f  %s%n", s, n.has("ok") ? (n.path("ok").asBoolean() ? "yes" : "NO") : "", n.path("seconds").asDouble(), summary(s, n)));
            if (n.has("error")) t.append("            error: ").append(n.path("error").asText()).append('\n');
            failures(t, n);
        }
        JsonNode tp = stages.get("throughput");
        if (tp != null && tp.has("rows")) {
            t.append(String.format(Locale.ROOT, "%nthroughput: hidden %d, batch %d, T %d, float32, Adam%n",
                    tp.path("hidden").asInt(), tp.path("batch").asInt(), tp.path("time").asInt()));
            t.append(String.format(Locale.ROOT, "%-12s %-22s %6s %9s %8s %6s %14s %14s %9s%n", "mode", "engine", "hidden", "networks", "threads", "steps",
                    "ms/net-step", "net-steps/s", "GFLOP/s"));
            for (JsonNode r : tp.path("rows")) {
                t.append(String.format(Locale.ROOT, "%-12s %-22s %6d %9d %8d %6d %14.3f %14.1f %9.2f%n", r.path("mode").asText(), r.path("engine").asText(),
                        r.path("hidden").asInt(tp.path("hidden").asInt()), r.path("networks").asInt(), r.path("threads").asInt(), r.path("timed_steps").asInt(),
                        r.path("ms_per_network_step").asDouble(), r.path("network_steps_per_s").asDouble(), r.path("gflops").asDouble()));
            }
            for (JsonNode sk : tp.path("skipped")) t.append("  skipped: ").append(sk.asText()).append('\n');
        }
        peer(dir, tp, t, all);
        String rs = env.get("rerun_stage");
        if (rs != null) {
            JsonNode n = null;
            for (JsonNode x : rerun) if (rs.equals(x.path("stage").asText())) n = x;
            t.append("\nrerun of ").append(rs).append(" with CUDA_LAUNCH_BLOCKING=1: ");
            if (n == null) t.append("no line (it crashed or timed out again; see check.log and hs_err_*.log)\n");
            else {
                t.append(n.path("ok").asBoolean() ? "passed" : "FAILED").append(" in ").append(String.format(Locale.ROOT, "%.1f s", n.path("seconds").asDouble()))
                 .append(summary(rs, n).isEmpty() ? "" : "; " + summary(rs, n)).append('\n');
                if (n.has("error")) t.append("            error: ").append(n.path("error").asText()).append('\n');
                failures(t, n);
            }
        }
        JsonNode sum = stages.get("summary");
        boolean ok = sum != null && sum.path("ok").asBoolean(false);
        t.append("\nverdict: ").append(sum == null ? "INCOMPLETE (no summary line: the check crashed or timed out)" : ok ? "PASS" : "FAIL").append('\n');
        all.put("ok", ok);
        String table = t.toString();
        System.out.print(table);
        Files.writeString(dir.resolve("table.txt"), table);
        all.put("table", table);
        Files.writeString(dir.resolve("device.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n");
        return ok ? 0 : 1;
    }

    /**
     * The PyTorch peer's runs (DIR/torch-peer.json, from ../shared/peers/torch_ensemble_gpu.py: the same
     * ensemble as batched torch tensors), each beside degen's stacked row of the same K and hidden, with
     * the ratio the target is about (degen / torch, at least 2).
     */
    private static void peer(Path dir, JsonNode tp, StringBuilder t, Map<String, Object> all) throws Exception {
        Path f = dir.resolve("torch-peer.json");
        if (!Files.exists(f)) return;
        JsonNode p = Json.MAPPER.readTree(Files.readString(f));
        all.put("torch_peer", p);
        t.append(String.format(Locale.ROOT, "%nPyTorch peer: %s on %s%n", p.path("peer").asText(), p.path("device").asText()));
        t.append(String.format(Locale.ROOT, "%6s %6s %5s %16s %16s %8s%n", "hidden", "K", "tf32", "torch net-st/s", "degen net-st/s", "ratio"));
        for (JsonNode r : p.path("runs")) {
            int h = r.path("hidden").asInt(), k = r.path("k").asInt();
            double ours = Double.NaN;
            if (tp != null) {
                for (JsonNode row : tp.path("rows")) {
                    if ("stacked".equals(row.path("mode").asText()) && row.path("hidden").asInt() == h && row.path("networks").asInt() == k) {
                        ours = row.path("network_steps_per_s").asDouble();
                    }
                }
            }
            double theirs = r.path("network_steps_per_s").asDouble();
            t.append(String.format(Locale.ROOT, "%6d %6d %5s %16.0f %16.0f %8.2f%n", h, k, r.path("tf32").asBoolean() ? "yes" : "no", theirs, ours, ours / theirs));
        }
        t.append("  (degen's rows are float32 without TF32: cuBLAS's default math mode)\n");
    }

    /** The first 12 failed comparisons of a stage (all of them are in device.json). */
    private static void failures(StringBuilder t, JsonNode n) {
        int shown = 0, all = n.path("failed").size();
        for (JsonNode f : n.path("failed")) {
            if (shown++ == 12) { t.append("            ... and ").append(all - 12).append(" more (device.json)\n"); break; }
            t.append("            FAIL ").append(f.asText()).append('\n');
        }
    }

    private static String summary(String s, JsonNode n) {
        return switch (s) {
            case "ops" -> String.format(Locale.ROOT, "%d/%d passed; max rel f32 %s (%s), f64 %s (%s)", n.path("passed").asInt(), n.path("compared").asInt(),
                    num(n.path("max_rel_f32")), n.path("worst_op_f32").asText(), num(n.path("max_rel_f64")), n.path("worst_op_f64").asText());
            case "grad64" -> String.format(Locale.ROOT, "%d compared, %d failed; max rel %s (tol %s)", n.path("compared").asInt(),
                    n.path("failed").size(), num(n.path("max_rel")), num(n.path("tol")));
            case "train" -> String.format(Locale.ROOT, "alone: loss rel %s, weights abs %s; lockstep: loss rel %s, weights abs %s; stacked: loss rel %s, weights abs %s (tol %s, %s)",
                    num(n.path("alone").path("loss_max_rel_diff")), num(n.path("alone").path("weights_max_abs_diff")),
                    num(n.path("lockstep").path("loss_max_rel_diff")), num(n.path("lockstep").path("weights_max_abs_diff")),
                    num(n.path("stacked").path("loss_max_rel_diff")), num(n.path("stacked").path("weights_max_abs_diff")),
                    num(n.path("loss_tol_rel")), num(n.path("weights_tol_abs")));
            case "throughput" -> n.has("rows") ? String.format(Locale.ROOT, "best %.1f network-steps/s, %.2fx the 2-thread CPU engine",
                    n.path("best_network_steps_per_s").asDouble(), n.path("speedup_vs_cpu2").asDouble()) : "";
            default -> "";
        };
    }

    private static String num(JsonNode v) { return v.isNumber() ? String.format(Locale.ROOT, "%.2g", v.asDouble()) : v.isNull() ? "non-finite" : "?"; }

    private static List<JsonNode> readLines(Path p) throws Exception {
        List<JsonNode> r = new ArrayList<>();
        if (!Files.exists(p)) return r;
        for (String l : Files.readAllLines(p)) {
            l = l.trim();
            if (!l.startsWith("{")) continue;
            try { r.add(Json.MAPPER.readTree(l)); } catch (Exception e) { /* a line cut short by a crash */ }
        }
        return r;
    }
}
