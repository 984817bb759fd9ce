/**
 * Neural architecture search: the DARTS search space ({@code nas.space}) and the differentiable search algorithms
 * that search it ({@code nas.search}).
 */
package org.proxynas.nas;
