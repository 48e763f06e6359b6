package io.degen.statistics;

/**
 * One condition's estimate over its networks: the value, its standard error (leave-one-network-out
 * jackknife), a 95% interval (percentile bootstrap over networks) and the number of networks. SE and
 * interval are NaN below 3 networks.
 */
public record Estimate(double value, double se, double lo, double hi, int n) { }
