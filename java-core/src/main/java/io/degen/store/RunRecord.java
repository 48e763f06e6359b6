package io.degen.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.degen.config.RunStatus;

import java.util.Map;

/**
 * {@code record.json} of a stored network: its id, condition id, full configuration (the map whose
 * hash is the id), how training ended, the engine it trained on, where it was imported from (for
 * {@code import-torch}), and the SHA-256 of each artifact file. {@code finalLoss} is the last epoch
 * loss the stopping rule watched, NaN (stored as null) for a diverged network; {@code finalAuxLoss}
 * the auxiliary outputs' loss beside it, where the rule watched only the task's own outputs. {@code seal}
 * is the SHA-256 of the rest of the record in canonical form: a record edited after it was written
 * (a status, a loss, an epoch count) no longer matches it and is treated like a corrupt artifact.
 * Records of earlier versions have no seal; they are sealed when a writer first verifies them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(String id, String condition, Map<String, Object> config, RunStatus status, int epochs, double finalLoss,
                        Double finalAuxLoss, double wallSeconds, String backend, String importedFrom, Map<String, String> sha256,
                        String seal) {
    /** The record as written before it is sealed. */
    public RunRecord(String id, String condition, Map<String, Object> config, RunStatus status, int epochs, double finalLoss,
                     Double finalAuxLoss, double wallSeconds, String backend, String importedFrom, Map<String, String> sha256) {
        this(id, condition, config, status, epochs, finalLoss, finalAuxLoss, wallSeconds, backend, importedFrom, sha256, null);
    }

    /** The seal of this content: SHA-256 of its canonical JSON (keys sorted, integral numbers as integers), the seal left out. */
    public String computeSeal() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = io.degen.util.Json.MAPPER.convertValue(this, java.util.LinkedHashMap.class);
        m.remove("seal");
        return RunArtifacts.sha256(io.degen.util.Json.line(io.degen.config.RunConfig.sortDeep(m)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** This record with its seal set. */
    public RunRecord sealed() {
        return new RunRecord(id, condition, config, status, epochs, finalLoss, finalAuxLoss, wallSeconds, backend, importedFrom, sha256, computeSeal());
    }
}
