package io.degen.degeneracy;

/**
 * Feature learning in one condition, over its converged networks: the weight-change norm
 * |W_T - W_0|_F (recurrent matrix and all parameters) and, where measured, the NTK kernel
 * alignment (1 = the kernel did not rotate; lower = more feature learning).
 */
public record FeatureLearningResult(double weightChangeRecurrentMean, double weightChangeRecurrentSe,
                                    double weightChangeAllMean, double weightChangeAllSe,
                                    Double kernelAlignmentMean, Double kernelAlignmentSe) { }
