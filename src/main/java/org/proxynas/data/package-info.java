/**
 * Datasets as uint8 C×H×W images with int labels: one reader per format behind {@code Datasets.open(spec)}, the
 * input pipeline ({@code DataLoader}: batches, augmentation, normalization), content checksums, and the subset files
 * the later steps read. Nothing here knows about networks.
 */
package org.proxynas.data;
