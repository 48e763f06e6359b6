package io.degen.bench;

import io.degen.config.RunConfig;
import io.degen.pipeline.Experiment;
import io.degen.plan.Plan;
import io.degen.store.Store;
import io.degen.store.StoredRun;
import io.degen.train.StoppingRule;
import io.degen.train.Trainer;
import io.degen.util.Json;
import io.degen.util.Median;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The epochs a plan's runs are expected to take, measured in a finished store instead of the cost
 * model's guess of 100 (which is 2-3x off for delayed discrimination, docs/results.md): a run takes the
 * median epochs of the store's trained networks in the condition with the same sweep values, or the
 * median of all its networks where the store has no such condition (another level, another spec).
 * Typical use: plan the paper-scale run from the epochs of a smaller profile of the same spec. A
 * store trained under other thresholds or learning rates predicts other epochs; the estimate says
 * which store it came from, and nothing more is claimed.
 */
public final class MeasuredEpochs {
    private final Path store;
    private final Map<String, Double> byValues;
    private final double overall;
    private final int networks;
    private final RunConfig sample;

    private MeasuredEpochs(Path store, Map<String, Double> byValues, double overall, int networks, RunConfig sample) {
        this.store = store;
        this.byValues = byValues;
        this.overall = overall;
        this.networks = networks;
        this.sample = sample;
    }

    /** The median epochs of the trained networks of {@code store}, per condition and overall. */
    public static MeasuredEpochs from(Path store) throws IOException {
        Plan stored;
        try {
            stored = Experiment.storedPlan(store);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--epochs-from " + store + ": " + e.getMessage());
        }
        Store s = Store.at(store);
        Map<String, Double> byValues = new LinkedHashMap<>();
        List<Double> all = new ArrayList<>();
        RunConfig sample = null;
        for (Plan.Condition c : stored.conditions()) {
            List<Double> epochs = new ArrayList<>();
            for (RunConfig r : c.runs()) {
                StoredRun run = s.get(r.id());
                if (run == null) continue;
                epochs.add((double) run.record().epochs());
                if (sample == null) sample = r;
            }
            if (epochs.isEmpty()) continue;
            byValues.put(Json.line(c.values()), Median.of(epochs));
            all.addAll(epochs);
        }
        if (all.isEmpty()) throw new IllegalArgumentException("--epochs-from " + store + ": the store holds no trained network yet");
        return new MeasuredEpochs(store, byValues, Median.of(all), all.size(), sample);
    }

    /** The expected epochs of {@code run} of {@code plan}. */
    public double epochs(Plan plan, RunConfig run) {
        Double e = byValues.get(Json.line(plan.conditionOf(run.id()).values()));
        return Math.min(run.train().maxEpochs(), e != null ? e : overall);
    }

    /** How many of the plan's conditions found a condition with the same sweep values in the store. */
    public int matchedConditions(Plan plan) {
        int n = 0;
        for (Plan.Condition c : plan.conditions()) if (byValues.containsKey(Json.line(c.values()))) n++;
        return n;
    }

    /**
     * The settings that set how long training takes and in which the store's networks differ from the
     * plan's (width, stop threshold, effective learning rate, trial length, epoch cap), as
     * "name store vs plan" items; empty when they agree. A difference means the measured epochs are a
     * guide, not a measurement of the plan.
     */
    public List<String> differences(Plan plan) {
        RunConfig p = plan.runs().get(0);
        List<String> d = new ArrayList<>();
        differ(d, "hidden", sample.model().hidden(), p.model().hidden());
        differ(d, "threshold", StoppingRule.threshold(sample), StoppingRule.threshold(p));
        differ(d, "lr", Trainer.effectiveLr(sample), Trainer.effectiveLr(p));
        differ(d, "trial length", sample.task().trialLength(), p.task().trialLength());
        differ(d, "max-epochs", sample.train().maxEpochs(), p.train().maxEpochs());
        return d;
    }

    private static void differ(List<String> d, String name, Number stored, Number planned) {
        if (stored.doubleValue() != planned.doubleValue()) d.add(name + " " + Json.line(stored) + " vs " + Json.line(planned));
    }

    public Path store() { return store; }

    public int networks() { return networks; }
}
