package io.degen.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.degen.backend.Backend;
import io.degen.config.RunConfig;
import io.degen.plan.Plan;
import io.degen.train.CostModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A plan's cost as time on this machine: one training step of the plan's median-cost run is timed
 * (after warm-up), which calibrates the cost model's operations per second; the plan's operations at
 * that rate, shared by the workers, give the wall time. The epochs per run are the cost model's guess
 * (docs/results.md shows how far that is off per task) unless measured ones are given
 * ({@link MeasuredEpochs}: {@code degen plan --epochs-from STORE}). With shards, the longest shard's
 * time is the wall time of a SLURM array of that many tasks with {@code workers} cores each.
 */
public final class PlanTime {
    /**
     * The measured step, the rate it implies, the plan's estimated wall time with {@code workers}
     * workers, its network-steps (training steps summed over runs), where the epochs came from, and the
     * longest shard's wall time (null without shards).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Estimate(String calibratedOn, double msPerStep, double operationsPerSecond, double seconds, int workers,
                           double networkSteps, String epochsFrom, Double longestShardSeconds) { }

    private PlanTime() { }

    public static Estimate of(Plan plan, int workers, Backend be) throws InterruptedException {
        return of(plan, workers, 0, be, null);
    }

    /** The estimate with {@code shards} shards (0: none) and the epochs of {@code measured} (null: the cost model's). */
    public static Estimate of(Plan plan, int workers, int shards, Backend be, MeasuredEpochs measured) throws InterruptedException {
        List<RunConfig> runs = new ArrayList<>(plan.runs());
        runs.sort(Comparator.comparingDouble(CostModel::flopsPerStep));
        RunConfig median = runs.get(runs.size() / 2);
        double ms = TrainStepTimer.measure(be, median, 5, 3, 20, 1, 1, false).wallMs();
        double rate = CostModel.flopsPerStep(median) / (ms / 1e3);
        ToDoubleFunction<RunConfig> epochs = measured == null ? CostModel::expectedEpochs : r -> measured.epochs(plan, r);
        double steps = 0;
        for (RunConfig r : runs) steps += epochs.applyAsDouble(r) * r.train().stepsPerEpoch();
        double seconds = wallSeconds(runs, epochs, rate, workers);
        Double longest = null;
        if (shards > 0) {
            longest = 0.0;
            for (List<RunConfig> s : plan.shards(shards)) if (!s.isEmpty()) longest = Math.max(longest, wallSeconds(s, epochs, rate, workers));
        }
        String on = median.task().type() + ", " + median.model().hidden() + " units, batch " + median.train().batch();
        return new Estimate(on, ms, rate, seconds, workers, steps, epochsFrom(plan, measured), longest);
    }

    /** Where the epochs came from, in words (with the settings in which a measuring store differs from the plan). */
    private static String epochsFrom(Plan plan, MeasuredEpochs measured) {
        if (measured == null) return "the cost model (" + CostModel.EXPECTED_EPOCHS + " epochs, at most max-epochs)";
        List<String> differences = measured.differences(plan);
        return "the median epochs of " + measured.networks() + " trained networks in " + measured.store()
                + " (" + measured.matchedConditions(plan) + " of " + plan.conditions().size() + " conditions matched by sweep values"
                + (differences.isEmpty() ? ")" : "; trained with other settings, store vs plan: " + String.join(", ", differences) + ")");
    }

    private static double wallSeconds(List<RunConfig> runs, ToDoubleFunction<RunConfig> epochs, double rate, int workers) {
        double ops = 0;
        for (RunConfig r : runs) ops += CostModel.flops(r, epochs.applyAsDouble(r));
        return ops / rate / Math.max(1, Math.min(workers, runs.size()));
    }
}
