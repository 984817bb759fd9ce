/**
 * Training-free ("zero-cost") measures of an untrained network, computed from a few mini-batches as their papers
 * define them (synflow, snip, grad_norm, grasp, fisher, jacob_cov after Abdelfattah et al., ICLR 2021; naswot after
 * Mellor et al., ICML 2021), plus parameter count and multiply-adds. {@link org.proxynas.zerocost.ZeroCostJob}
 * builds a genotype's network with the weights its training would start from and measures it; the ranking study
 * compares these measures with data proxies.
 */
package org.proxynas.zerocost;
