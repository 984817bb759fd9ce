/**
 * The supervised training loop shared by scoring and training ({@code TrainingLoop} under a {@code TrainingRecipe}),
 * with PyTorch's semantics: updaters (SGD with momentum, Adam), learning-rate schedules, initialization, mixed
 * precision, and the batch-norm block every network uses. Its type names avoid DJL's where DJL has a different one.
 */
package org.proxynas.learn;
