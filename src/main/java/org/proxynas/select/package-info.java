/**
 * Step 2: choosing the proxy set from the scores. One {@code Selector} per method (the paper's entropy histogram,
 * random, top-k, forgetting, k-center, ...) in one registry ({@code Selectors}); {@code SelectionJob} loads the scores
 * and writes {@code proxy.json} ({@code ProxySet}).
 */
package org.proxynas.select;
