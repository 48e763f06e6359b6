package io.degen.verdict;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * One cell of the verdict table: a figure at one level. {@code statistic} names what was compared
 * (sd_ood, dsa, pif, pif_per_param); {@code baselines} holds the same test on the weight baselines
 * (initial, excess = trained minus initial, scale_free) and, for behaviour, on the OOD trials beyond
 * training; {@code carriedBy} lists the weight statistics whose effect is significant (raw p) in the
 * direction of the trained one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cell(String figure, String knob, String level, String statistic, List<ConditionEstimate> conditions, Effect effect,
                   double pHolm, Direction expected, Outcome verdict, Map<String, Effect> baselines, List<String> carriedBy,
                   List<String> notes) { }
