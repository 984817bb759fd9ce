/**
 * The DARTS search space: the operation registry, mixed operations, search cells and the supernet, genotypes
 * (the found cells) and samples of the space.
 */
package org.proxynas.nas.space;
