/**
 * Step 1: the baseline classifier (CIFAR ResNet with option-A shortcuts) trained on the target data, and every
 * training example's entropy, margin and forgetting events in {@code scores.csv}; {@code ScorerRegime} says whether the
 * baseline has fit its data as the paper's did.
 */
package org.proxynas.score;
