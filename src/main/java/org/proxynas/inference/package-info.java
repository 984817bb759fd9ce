/**
 * The trained network outside training: a model directory ({@code train.ModelDirectory}) loaded as a DJL
 * {@code ZooModel<Image, Classifications>} through DJL's {@code Criteria}, predictions on image files or a dataset's
 * test split ({@code proxynas predict}), and the inference graph exported to ONNX ({@code proxynas export}).
 * Nothing here trains; everything reads what {@code train} wrote.
 */
package org.proxynas.inference;
