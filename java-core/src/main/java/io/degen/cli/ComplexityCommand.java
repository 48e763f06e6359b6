package io.degen.cli;

import io.degen.metrics.complexity.TaskComplexity;
import io.degen.task.Task;
import io.degen.task.TaskRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code degen complexity}: information-theoretic complexity of a task (target entropy, memory
 * information per lag, effective memory length); see docs/complexity.md.
 */
public final class ComplexityCommand implements Command {
    @Override public String name() { return "complexity"; }

    @Override public String help() {
        return "task complexity (bits): --task flipflop [--channels N] [--delay-max D] [--aux] [--dims D]"
                + " [--bins 8] [--max-lag 30] [--trials 2000] [--seed 0]";
    }

    @Override public Set<String> flags() { return Set.of("aux"); }

    @Override public Object run(Args a) {
        String type = a.required("task");
        Map<String, Object> taskOpts = new LinkedHashMap<>();
        taskOpts.put("type", type);
        if (a.has("channels")) taskOpts.put("channels", a.integer("channels", 1, 1, 64));
        if (a.has("delay-max")) taskOpts.put("delay-max", a.integer("delay-max", 20, 1, 10000));
        if (a.has("aux")) taskOpts.put("aux", a.flag("aux"));
        if (a.has("dims")) taskOpts.put("dims", a.integer("dims", 2, 2, 3));
        int bins = a.integer("bins", 8, 1, 1024);
        int maxLag = a.integer("max-lag", 30, 1, 100000);
        int trials = a.integer("trials", 2000, 2, 10_000_000);
        long seed = a.integer("seed", 0, 0, Integer.MAX_VALUE);
        a.finish();
        TaskComplexity.Report r;
        try {
            Task task = TaskRegistry.create(taskOpts);
            TaskComplexity.Options o = TaskComplexity.Options.defaults()
                    .withBins(bins).withMaxLag(maxLag).withTrials(trials).withSeed(seed);
            r = TaskComplexity.measure(task, o);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", taskOpts);
        out.put("target_entropy_bits", r.targetEntropy());
        out.put("memory_information_bits", r.memoryInformation());
        out.put("memory_total_bits", r.memoryTotal());
        out.put("effective_memory_length", r.effectiveMemoryLength());
        out.put("samples", r.samples());
        out.put("seed", r.seed());
        return out;
    }
}
