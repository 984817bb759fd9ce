package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.proxynas.common.Json;
import org.proxynas.common.OutputDirectory;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;

/**
 * What {@code study.json} holds: which kind of study runs in a directory and its config, from which a cluster
 * worker rebuilds the study and its stage graph to run one stage of it. One format for both kinds.
 *
 * @param kind {@link #EXPERIMENT} or {@link #RANK}
 * @param config the study's config as JSON ({@link ExperimentConfig} or {@link RankConfig}, paths absolute)
 */
record StudyDefinition(String kind, JsonNode config, Provenance provenance) {
    static final String FILE = OutputDirectory.STUDY_FILE;
    static final String EXPERIMENT = "experiment";
    static final String RANK = "rank";

    static StudyDefinition of(String kind, Object config, Provenance provenance) {
        return new StudyDefinition(kind, Json.MAPPER.valueToTree(config), provenance);
    }

    /** The study this defines, in {@code out}, running under {@code context}. */
    Study<?> study(Path out, RunContext context, PrintStream log) throws IOException {
        return switch (kind) {
            case EXPERIMENT -> {
                String text = Json.pretty(config);
                yield new ExperimentRunner(ExperimentConfig.parse(text, out.resolve(FILE).toString()), text, out,
                        context, log);
            }
            case RANK -> new RankStudy(Json.MAPPER.treeToValue(config, RankConfig.class), context, log);
            default -> throw new UserError(out.resolve(FILE) + ": unknown kind of study '" + kind + "'");
        };
    }
}
