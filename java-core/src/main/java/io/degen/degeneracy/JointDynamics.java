package io.degen.degeneracy;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * DSA distances between every converged network of several conditions at once (the paper's Fig. 3A
 * map). Each within-condition block equals that condition's own matrix. {@code matrix} is null
 * below two networks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JointDynamics(List<String> ids, List<String> conditions, String score, double[][] matrix) { }
