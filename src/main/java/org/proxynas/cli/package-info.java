/**
 * The {@code proxynas} command line: picocli commands that parse flags into a job's config (defaults read from the
 * config), call one job or study, and print. Errors are one line and exit 2 for the user's, 1 for ours.
 */
package org.proxynas.cli;
