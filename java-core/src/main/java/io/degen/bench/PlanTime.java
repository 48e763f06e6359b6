package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.config.RunConfig;
import io.degen.plan.Plan;
import io.degen.train.CostModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A plan's cost as time on this machine: one training step of the plan's median-cost run is timed
 * (after warm-up), which calibrates the cost model's operations per second; the plan's estimated
 * operations at that rate, shared by the workers, give the wall time. It inherits the cost model's
 * guess of the epochs a run needs (docs/results.md shows how far that is off per task).
 */
public final class PlanTime {
    /** The measured step, the rate it implies and the plan's estimated wall time with {@code workers} workers. */
    public record Estimate(String calibratedOn, double msPerStep, double operationsPerSecond, double seconds, int workers) { }

    private PlanTime() { }

    public static Estimate of(Plan plan, int workers, Backend be) throws InterruptedException {
        List<RunConfig> runs = new ArrayList<>(plan.runs());
        runs.sort(Comparator.comparingDouble(CostModel::flopsPerStep));
        RunConfig median = runs.get(runs.size() / 2);
        double ms = TrainStepTimer.measure(be, median, 5, 3, 20, 1, 1, false).wallMs();
        double rate = CostModel.flopsPerStep(median) / (ms / 1e3);
        double seconds = plan.estimatedCost() / rate / Math.max(1, Math.min(workers, runs.size()));
        String on = median.task().type() + ", " + median.model().hidden() + " units, batch " + median.train().batch();
        return new Estimate(on, ms, rate, seconds, workers);
    }
}
