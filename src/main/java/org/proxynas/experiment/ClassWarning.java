package org.proxynas.experiment;

/**
 * A proxy set that misses classes or holds one at under a quarter of its share in the full set, as a study
 * prints it and its report flags it.
 *
 * @param set the set's label, e.g. {@code proxy-r0.1-s0}
 * @param method the method that selected it, with its settings ({@code proxy}, {@code proxy+balanced})
 * @param text the warning in words: the set, the classes, and the balanced variant to try
 */
public record ClassWarning(String set, String method, String text) {}
