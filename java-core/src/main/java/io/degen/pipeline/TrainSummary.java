package io.degen.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * What training a plan (or one shard) into a store did: {@code out} is the store written (a
 * shard's own store for a shard), {@code complete} whether every run of the plan is now stored in
 * the main store, so metrics can be computed.
 */
public record TrainSummary(String out, int runs, int selected, int trained, int skipped, List<String> corrupt, boolean complete,
                           @JsonIgnore List<TrainingPool.Outcome> outcomes) { }
