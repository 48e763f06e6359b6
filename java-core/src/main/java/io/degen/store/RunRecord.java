package io.degen.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.degen.config.RunStatus;

import java.util.Map;

/**
 * {@code record.json} of a stored network: its id, condition id, full configuration (the map whose
 * hash is the id), how training ended, the engine it trained on, where it was imported from (for
 * {@code import-torch}), and the SHA-256 of each artifact file. {@code finalLoss} is the last epoch
 * loss the stopping rule watched, NaN (stored as null) for a diverged network; {@code finalAuxLoss}
 * the auxiliary outputs' loss beside it, where the rule watched only the task's own outputs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(String id, String condition, Map<String, Object> config, RunStatus status, int epochs, double finalLoss,
                        Double finalAuxLoss, double wallSeconds, String backend, String importedFrom, Map<String, String> sha256) { }
