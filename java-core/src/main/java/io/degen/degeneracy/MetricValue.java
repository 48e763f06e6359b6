package io.degen.degeneracy;

/** One condition-level number with its standard error and population size (null where unknown). */
public record MetricValue(String metric, Double value, Double se, Integer n) { }
