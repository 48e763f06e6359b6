package io.degen.bench;

/** What {@code bench dsa} times: the pairwise DSA matrix of {@code networks} networks of {@code workload}. */
public record DsaBenchOptions(int networks, DsaWorkload workload) { }
