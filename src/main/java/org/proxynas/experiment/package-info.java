/**
 * The studies that run the steps as cached stages of one directory: the experiment (score, select, search and
 * train for every method, ratio and seed) and the ranking study (does a proxy keep the order of architectures?), their
 * configs and results, and the stage store they share.
 */
package org.proxynas.experiment;
