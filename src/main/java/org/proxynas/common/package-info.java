/**
 * What every stage shares and none computes: how a job runs ({@code RunContext}: device, resume, progress), the
 * run directory a job holds and resumes in ({@code RunDirectory}: lock, {@code config.json}, the one resume rule),
 * atomic writes, JSON, checksums, provenance and the one-line user errors ({@code UserError}).
 */
package org.proxynas.common;
