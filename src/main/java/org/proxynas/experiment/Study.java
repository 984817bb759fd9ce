package org.proxynas.experiment;

import java.io.IOException;

/**
 * A study over one directory of cached stages: an experiment ({@link ExperimentRunner}) or a ranking study
 * ({@link RankStudy}). It plans its stage graph from its config and, once every stage is done, collects its results;
 * {@link Studies} runs it, in this process or on a cluster, and rebuilds it on a worker from the one definition file
 * it writes ({@link StudyDefinition}).
 *
 * @param <R> what the study reports, as its results file holds it
 */
interface Study<R> {
    /** The directory's stages, as this study runs them. */
    Stages stages();

    /** Every stage of the study, after checking what can be checked before any work. */
    StageGraph plan() throws IOException;

    /** Writes what the study's directory holds before any stage runs (the config as given, the trained set). */
    void start() throws IOException;

    /** The results once every stage of the plan is done, written into the study's directory. */
    R collect() throws IOException;

    /** What a cluster worker rebuilds this study from. */
    StudyDefinition definition();
}
