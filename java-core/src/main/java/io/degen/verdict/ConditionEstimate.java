package io.degen.verdict;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.degen.statistics.Estimate;

/**
 * One condition of a cell: the knob's value, the statistic over its converged networks with its
 * jackknife SE and bootstrap 95% interval, and for dynamics the same-network null and the excess of
 * the between-network distance over it (with its own interval).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConditionEstimate(String id, Object value, int networks, int converged, Estimate estimate, Estimate nullDistance,
                                Estimate excess) {
    ConditionEstimate(String id, Object value, int networks, int converged, Estimate estimate) {
        this(id, value, networks, converged, estimate, null, null);
    }
}
