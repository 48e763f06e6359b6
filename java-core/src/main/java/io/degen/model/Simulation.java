package io.degen.model;

import io.degen.io.NdArray;

/**
 * A network run forward on a batch of trials: its masked MSE on them (NaN when the mask scores
 * nothing) and, batch-major, the hidden states (trials, time, hidden) and outputs (trials, time,
 * outputs): h_t for the standard model, the state before tanh for the muP model.
 */
public record Simulation(double loss, NdArray states, NdArray outputs) { }
