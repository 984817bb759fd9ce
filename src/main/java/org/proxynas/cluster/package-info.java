/**
 * Where a study's stages run when not one after another in this process: worker JVMs on this machine
 * ({@code --jobs N}) or tasks of an authenticated Apache Spark cluster ({@code --cluster}). The only package that sees
 * Spark, whose jars are on the class path only for a cluster run.
 */
package org.proxynas.cluster;
