package org.proxynas.experiment;

import java.io.IOException;
import java.nio.file.Path;
import org.proxynas.common.Json;
import org.proxynas.common.RunContext;

/** The one way a study runs: all of it, on the driver; or one of its stages, on a cluster worker. */
final class Studies {
    private Studies() {}

    /**
     * Writes the study's definition, runs every stage of its plan that is not done (here, or as tasks of
     * {@code cluster} when it is not null), and collects its results.
     */
    static <R> R run(Study<R> study, StageCluster cluster) throws IOException {
        StageGraph graph = study.plan();
        study.start();
        Json.write(study.stages().out().resolve(StudyDefinition.FILE), study.definition());
        study.stages().runAll(graph, cluster);
        return study.collect();
    }

    /** Runs the one stage {@code hash} of the study {@code out}'s definition describes: a cluster task. */
    static void runStage(Path out, String hash, RunContext context) throws IOException {
        StudyDefinition definition = Json.read(out.resolve(StudyDefinition.FILE), StudyDefinition.class);
        Study<?> study = definition.study(out, context, System.err);
        study.stages().run(study.plan().stage(hash));
    }
}
