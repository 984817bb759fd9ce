/**
 * Step 4: training a network from scratch (a found cell stacked into a network, or a CIFAR ResNet) and testing it
 * ({@code TrainJob}); it leaves the trained network as a model directory other tools can load.
 */
package org.proxynas.train;
