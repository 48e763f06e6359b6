package io.degen.degeneracy;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What an analysis measured on one converged network (null where its level was not asked for). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkResult(Double oodLoss, Double weightChangeRecurrent, Double weightChangeAll, Double kernelAlignment, Double oodBeyondLoss) {
    public NetworkResult(Double oodLoss, Double weightChangeRecurrent, Double weightChangeAll, Double kernelAlignment) {
        this(oodLoss, weightChangeRecurrent, weightChangeAll, kernelAlignment, null);
    }
}
