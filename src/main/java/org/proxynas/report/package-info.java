/**
 * Renders results: terminal tables, self-contained HTML reports and their figures. It never runs a stage, so a
 * report can be rebuilt from {@code results.json} alone.
 */
package org.proxynas.report;
