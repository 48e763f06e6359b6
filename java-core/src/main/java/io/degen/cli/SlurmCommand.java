package io.degen.cli;

import io.degen.plan.Plan;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code degen slurm SPEC --shards K --out DIR [...] [--submit]}: writes a SLURM job array
 * ({@code DIR/slurm/array.sbatch}, task i runs {@code degen run SPEC --shard i/K --out DIR}) and a finish
 * job ({@code DIR/slurm/finish.sbatch}: {@code merge DIR}, {@code measure DIR}, {@code report DIR}),
 * logging to {@code DIR/slurm/logs/}. With {@code --submit} it submits both, the finish job with
 * {@code --dependency=afterok:ARRAY}. {@code --metric-blocks B} adds a merge job ({@code merge.sbatch}, after the
 * array) and a second array ({@code blocks.sbatch}, after the merge) with one {@code degen metric-block} task per
 * (condition, pairwise level, block); the finish job then waits for that array. Guide: docs/cluster.md.
 */
public final class SlurmCommand implements Command {
    private static final Pattern TIME = Pattern.compile("(\\d+-)?\\d{1,3}:\\d{2}:\\d{2}");
    private static final Pattern MEM = Pattern.compile("(\\d+)([KMGT]?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.,:=+-]+");

    @Override public String name() { return "slurm"; }

    @Override public String help() {
        return "write (and --submit) SLURM jobs for a sharded run: slurm SPEC --shards K --out DIR [--profile P] [--partition P] "
                + "[--time HH:MM:SS] [--cpus-per-task C] [--mem M] [--gpus G] [--workers N] [--backend B] [--launcher PATH] [--metric-blocks B] [--submit]";
    }

    @Override public Set<String> flags() { return Set.of("submit"); }

    @Override public Object run(Args a) throws Exception {
        Path spec = Path.of(a.positional(0, "SPEC (an .edn or .json experiment spec)")).toAbsolutePath().normalize();
        int shards = a.integer("shards", -1, 1, 100000);
        if (shards < 0) throw new UsageException("missing required option --shards");
        Path out = a.path("out").toAbsolutePath().normalize();
        String profile = a.string("profile", null);
        String partition = word(a, "partition");
        String time = a.string("time", null);
        int cpus = a.integer("cpus-per-task", 0, 1, 4096);
        String mem = a.string("mem", null);
        int gpus = a.integer("gpus", 0, 0, 64);
        int workers = a.integer("workers", 0, 1, 4096);
        String backend = a.string("backend", null);
        String launcherOpt = a.string("launcher", null);
        int metricBlocks = a.integer("metric-blocks", 0, 0, 100000);
        boolean submit = a.flag("submit");
        a.finish();
        if (time != null && !TIME.matcher(time).matches()) throw new UsageException("option --time must look like HH:MM:SS or D-HH:MM:SS, got '" + time + "'");
        long memMb = 0;
        if (mem != null) {
            var m = MEM.matcher(mem.trim());
            if (!m.matches()) throw new UsageException("option --mem must look like 4000M or 16G, got '" + mem + "'");
            long v = Long.parseLong(m.group(1));
            memMb = switch (m.group(2).toUpperCase(Locale.ROOT)) { case "K" -> v / 1024; case "G" -> v * 1024; case "T" -> v * 1024 * 1024; default -> v; };
            if (memMb < 64) throw new UsageException("option --mem must be at least 64M, got '" + mem + "'");
        }
        if (backend != null && !io.degen.backend.Backends.NAMES.contains(backend)) {
            throw new UsageException("option --backend must be one of " + String.join("|", new java.util.TreeSet<>(io.degen.backend.Backends.NAMES))
                    + ", got '" + backend + "'");
        }
        if (gpus > 0 && backend == null) backend = "cuda";
        if (profile != null && !WORD.matcher(profile).matches()) throw new UsageException("option --profile has unsupported characters: '" + profile + "'");
        // Validate the spec now, not on the cluster.
        Plan plan = io.degen.pipeline.Experiment.plan(spec, profile);
        if (shards > plan.runs().size()) throw new UsageException("option --shards " + shards + " exceeds the plan's " + plan.runs().size() + " runs");
        Path launcher = launcher(launcherOpt);

        Path slurm = out.resolve("slurm"), logs = slurm.resolve("logs");
        Files.createDirectories(logs);
        String jobName = "degen-" + plan.name().replaceAll("[^A-Za-z0-9_.-]", "_");
        StringBuilder runOpts = new StringBuilder();
        if (profile != null) runOpts.append(" --profile ").append(profile);
        if (backend != null) runOpts.append(" --backend ").append(backend);
        String workersArg = workers > 0 ? String.valueOf(workers) : cpus > 0 ? String.valueOf(cpus) : "${SLURM_CPUS_PER_TASK:-1}";
        String javaOpts = memMb > 0 ? "export DEGEN_JAVA_OPTS=\"${DEGEN_JAVA_OPTS:--Xmx" + Math.max(32, memMb * 8 / 10) + "m}\"\n" : "";

        String array = header(jobName, partition, time, cpus, mem, gpus, logs.resolve("shard-%A_%a.out"))
                + "#SBATCH --array=0-" + (shards - 1) + "\n\n"
                + "set -euo pipefail\n" + javaOpts
                + "exec " + q(launcher) + " run " + q(spec) + " --shard \"$SLURM_ARRAY_TASK_ID/" + shards + "\" --out " + q(out)
                + " --workers \"" + workersArg + "\"" + runOpts + "\n";
        String finish = header(jobName + "-finish", partition, time, cpus, mem, gpus, logs.resolve("finish-%j.out")) + "\n"
                + "set -euo pipefail\n" + javaOpts
                + q(launcher) + " merge " + q(out) + "\n"
                + q(launcher) + " measure " + q(out) + " --workers \"" + workersArg + "\"" + (backend != null ? " --backend " + backend : "") + "\n"
                + q(launcher) + " report " + q(out) + "\n";
        Path arrayFile = slurm.resolve("array.sbatch"), finishFile = slurm.resolve("finish.sbatch");
        Path mergeFile = slurm.resolve("merge.sbatch"), blocksFile = slurm.resolve("blocks.sbatch");
        io.degen.io.AtomicFiles.writeString(arrayFile, array);
        io.degen.io.AtomicFiles.writeString(finishFile, finish);
        arrayFile.toFile().setExecutable(true);
        finishFile.toFile().setExecutable(true);
        int blockTasks = 0;
        if (metricBlocks > 0) {
            // One task per (condition, pairwise level, block); CPU work, so no GPU and no cuda backend.
            List<String> levels = new ArrayList<>();
            for (io.degen.config.Level l : io.degen.pipeline.Experiment.levels(plan)) if (l.pairwise()) levels.add(l.label());
            if (levels.isEmpty()) throw new UsageException("option --metric-blocks: the spec measures neither dynamics nor weights");
            blockTasks = plan.conditions().size() * levels.size() * metricBlocks;
            StringBuilder conds = new StringBuilder();
            for (Plan.Condition c : plan.conditions()) conds.append(conds.length() == 0 ? "" : " ").append(c.id());
            String blockOpts = (profile != null ? " --profile " + profile : "")
                    + (backend != null && !backend.equals("cuda") ? " --backend " + backend : "");
            String merge = header(jobName + "-merge", partition, time, 0, mem, 0, logs.resolve("merge-%j.out")) + "\n"
                    + "set -euo pipefail\n" + javaOpts
                    + "exec " + q(launcher) + " merge " + q(out) + "\n";
            String blocks = header(jobName + "-blocks", partition, time, cpus, mem, 0, logs.resolve("blocks-%A_%a.out"))
                    + "#SBATCH --array=0-" + (blockTasks - 1) + "\n\n"
                    + "set -euo pipefail\n" + javaOpts
                    + "CONDITIONS=(" + conds + ")\n"
                    + "LEVELS=(" + String.join(" ", levels) + ")\n"
                    + "B=" + metricBlocks + "\n"
                    + "t=$SLURM_ARRAY_TASK_ID\n"
                    + "c=${CONDITIONS[$(( t / (${#LEVELS[@]} * B) ))]}\n"
                    + "l=${LEVELS[$(( (t / B) % ${#LEVELS[@]} ))]}\n"
                    + "b=$(( t % B ))\n"
                    + "exec " + q(launcher) + " metric-block " + q(spec) + " --out " + q(out) + " --condition \"$c\" --level \"$l\""
                    + " --block \"$b/$B\" --workers \"" + workersArg + "\"" + blockOpts + "\n";
            io.degen.io.AtomicFiles.writeString(mergeFile, merge);
            io.degen.io.AtomicFiles.writeString(blocksFile, blocks);
            mergeFile.toFile().setExecutable(true);
            blocksFile.toFile().setExecutable(true);
        }

        Map<String, Object> res = new LinkedHashMap<>();
        res.put("out", out.toString());
        res.put("shards", shards);
        res.put("runs", plan.runs().size());
        res.put("array_script", arrayFile.toString());
        res.put("finish_script", finishFile.toString());
        if (metricBlocks > 0) {
            res.put("metric_blocks", metricBlocks);
            res.put("block_tasks", blockTasks);
            res.put("merge_script", mergeFile.toString());
            res.put("blocks_script", blocksFile.toString());
        }
        res.put("logs", logs.toString());
        if (!submit) {
            res.put("commands", metricBlocks > 0
                    ? List.of("ARRAY=$(sbatch --parsable " + arrayFile + ")",
                            "MERGE=$(sbatch --parsable --dependency=afterok:${ARRAY%%;*} " + mergeFile + ")",
                            "BLOCKS=$(sbatch --parsable --dependency=afterok:${MERGE%%;*} " + blocksFile + ")",
                            "sbatch --parsable --dependency=afterok:${BLOCKS%%;*} " + finishFile)
                    : List.of("ARRAY=$(sbatch --parsable " + arrayFile + ")",
                            "sbatch --parsable --dependency=afterok:${ARRAY%%;*} " + finishFile));
            return res;
        }
        Path sbatch = onPath("sbatch");
        if (sbatch == null) throw new UsageException("--submit needs sbatch, which is not on PATH (" + System.getenv("PATH")
                + "); run the commands without --submit on a SLURM login node");
        String arrayJob = sbatch(sbatch, List.of("--parsable", arrayFile.toString()));
        res.put("array_job", arrayJob);
        String before = arrayJob;
        if (metricBlocks > 0) {
            String mergeJob = sbatch(sbatch, List.of("--parsable", "--dependency=afterok:" + arrayJob, mergeFile.toString()));
            String blocksJob = sbatch(sbatch, List.of("--parsable", "--dependency=afterok:" + mergeJob, blocksFile.toString()));
            res.put("merge_job", mergeJob);
            res.put("blocks_job", blocksJob);
            a.err().printf("submitted merge job %s (after the array) and metric-block array %s (%d tasks, after the merge)%n",
                    mergeJob, blocksJob, blockTasks);
            before = blocksJob;
        }
        String finishJob = sbatch(sbatch, List.of("--parsable", "--dependency=afterok:" + before, finishFile.toString()));
        res.put("finish_job", finishJob);
        a.err().printf("submitted array job %s (%d shards) and finish job %s (after %s); logs in %s%n",
                arrayJob, shards, finishJob, metricBlocks > 0 ? "the metric blocks succeed" : "the array succeeds", logs);
        return res;
    }

    private static String word(Args a, String name) {
        String v = a.string(name, null);
        if (v != null && !WORD.matcher(v).matches()) throw new UsageException("option --" + name + " has unsupported characters: '" + v + "'");
        return v;
    }

    private static String header(String job, String partition, String time, int cpus, String mem, int gpus, Path log) {
        StringBuilder b = new StringBuilder("#!/usr/bin/env bash\n");
        b.append("#SBATCH --job-name=").append(job).append('\n');
        b.append("#SBATCH --output=").append(log).append('\n');
        if (partition != null) b.append("#SBATCH --partition=").append(partition).append('\n');
        if (time != null) b.append("#SBATCH --time=").append(time).append('\n');
        if (cpus > 0) b.append("#SBATCH --cpus-per-task=").append(cpus).append('\n');
        if (mem != null) b.append("#SBATCH --mem=").append(mem.trim()).append('\n');
        if (gpus > 0) b.append("#SBATCH --gres=gpu:").append(gpus).append('\n');
        return b.toString();
    }

    /** The repository's ./degen launcher: --launcher, else the one that started this JVM (DEGEN_LAUNCHER), else ./degen. */
    static Path launcher(String opt) {
        List<Path> candidates = new ArrayList<>();
        if (opt != null) {
            Path p = Path.of(opt).toAbsolutePath().normalize();
            if (!Files.isExecutable(p)) throw new UsageException("option --launcher: '" + opt + "' is not an executable file");
            return p;
        }
        String env = System.getenv("DEGEN_LAUNCHER");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        candidates.add(Path.of("degen"));
        for (Path p : candidates) if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toAbsolutePath().normalize();
        throw new UsageException("cannot find the degen launcher (run through ./degen, or pass --launcher PATH)");
    }

    static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, exe);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static String sbatch(Path sbatch, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(sbatch.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc = p.waitFor();
        if (rc != 0) throw new IOException("sbatch failed (exit " + rc + "): " + String.join(" ", cmd) + ": " + outText);
        String[] lines = outText.split("\n");
        String id = lines[lines.length - 1].trim();
        int semi = id.indexOf(';');
        if (semi >= 0) id = id.substring(0, semi);
        if (!id.matches("\\d+")) throw new IOException("sbatch printed no job id: " + outText);
        return id;
    }

    /** Single-quotes a path for bash. */
    static String q(Path p) { return "'" + p.toString().replace("'", "'\\''") + "'"; }
}
