/**
 * Step 3: DARTS first and second order, PC-DARTS, SDARTS, SGAS and GDAS behind one interface
 * ({@code SearchAlgorithm}), and the checkpointed search job that runs them on a proxy set ({@code SearchJob}).
 */
package org.proxynas.nas.search;
