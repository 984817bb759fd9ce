package org.proxynas.nas.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;

class GenotypeTest {
    private static final String DARTS_V2_TEXT = "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0),"
            + " ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), reduce=[('max_pool_3x3', 0),"
            + " ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0),"
            + " ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))";

    @Test
    void dartsV2PrintsAsDartsDoes() {
        assertThat(Genotype.named("DARTS_V2").toDartsString()).isEqualTo(DARTS_V2_TEXT);
    }

    @Test
    void everyBuiltInRoundTripsThroughTextAndJson() throws IOException {
        for (String name : Genotype.builtInNames()) {
            Genotype g = Genotype.named(name);
            assertThat(Genotype.parse(g.toDartsString())).as(name).isEqualTo(g);
            String json = Json.pretty(g);
            assertThat(Json.MAPPER.readValue(json, Genotype.class)).as(name).isEqualTo(g);
        }
    }

    @Test
    void parseAcceptsPythonVariants() {
        String text = "Genotype(\n  reduce = [(\"max_pool_3x3\", 0), ('max_pool_3x3', 1), ('skip_connect', 2),"
                + " ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2),"
                + " ('max_pool_3x3', 1),],\n reduce_concat=[2, 3, 4, 5], normal=[('sep_conv_3x3', 0),"
                + " ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1),"
                + " ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6),)";
        assertThat(Genotype.parse(text)).isEqualTo(Genotype.named("DARTS_V2"));
    }

    @Test
    void parseErrorsNameThePosition() {
        String missingParen = DARTS_V2_TEXT.replace("('sep_conv_3x3', 1), ('sep_conv_3x3', 0)",
                "('sep_conv_3x3', 1, ('sep_conv_3x3', 0)");
        int at = missingParen.indexOf("1, ('sep") + 1;
        assertThatThrownBy(() -> Genotype.parse(missingParen))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("genotype text: expected ')' at position " + (at + 1));
        assertThatThrownBy(() -> Genotype.parse(DARTS_V2_TEXT.substring(0, DARTS_V2_TEXT.indexOf(')') + 1)))
                .hasMessageEndingWith("expected ',' or ']' at position " + (DARTS_V2_TEXT.indexOf(')') + 2)
                        + " (end of text)");
    }

    @Test
    void parseRejectsUnknownOperationsAndOutOfRangeNodes() {
        assertThatThrownBy(() -> Genotype.parse(DARTS_V2_TEXT.replace("dil_conv_3x3", "conv_9x9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("genotype text: unknown operation 'conv_9x9' at position "
                        + (DARTS_V2_TEXT.indexOf("'dil_conv_3x3'") + 1));
        // The first node can read only the cell inputs 0 and 1.
        assertThatThrownBy(() -> Genotype.parse(DARTS_V2_TEXT.replaceFirst("\\('sep_conv_3x3', 1\\)",
                        "('sep_conv_3x3', 2)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node index out of range: 2");
        assertThatThrownBy(() -> new Genotype(List.of(new Genotype.Edge("skip_connect", 0),
                        new Genotype.Edge("skip_connect", 1)), List.of(2, 3),
                        Genotype.named("DARTS").reduce(), List.of(2)))
                .hasMessageContaining("normal_concat: node index out of range: 3");
    }

    @Test
    void deriveKeepsTwoStrongestEdgesIgnoringNone() {
        float[][] w = new float[14][8];
        // Node 0 (edges 0, 1): edge 1 strongest via sep_conv_5x5, edge 0 via max_pool; none never wins.
        w[0] = new float[] {0.9f, 0.3f, 0, 0, 0, 0, 0, 0};
        w[1] = new float[] {0, 0, 0, 0, 0, 0.5f, 0, 0};
        // Node 1 (edges 2..4): state 2 and state 0 win; edge 3 (state 1) has only a large none.
        w[2] = new float[] {0, 0, 0, 0.2f, 0, 0, 0, 0};
        w[3] = new float[] {0.99f, 0, 0, 0, 0, 0, 0, 0.01f};
        w[4] = new float[] {0, 0, 0, 0, 0, 0, 0.4f, 0};
        // Node 2 (edges 5..8): a tie between states 1 and 3 goes to the lower index (stable sort).
        w[5] = new float[] {0, 0, 0.1f, 0, 0, 0, 0, 0};
        w[6] = new float[] {0, 0, 0, 0, 0.3f, 0, 0, 0};
        w[7] = new float[] {0, 0, 0, 0, 0, 0, 0, 0.2f};
        w[8] = new float[] {0, 0, 0, 0, 0, 0.3f, 0, 0};
        // Node 3 (edges 9..13): all ties within a row go to the first non-none op.
        for (int e = 9; e < 14; e++) {
            w[e] = new float[] {0, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
        }
        w[12][2] = 0.5f;
        Genotype g = Genotype.derive(w, w, 4);

        assertThat(g.normal()).containsExactly(
                new Genotype.Edge("sep_conv_5x5", 1), new Genotype.Edge("max_pool_3x3", 0),
                new Genotype.Edge("dil_conv_3x3", 2), new Genotype.Edge("skip_connect", 0),
                new Genotype.Edge("sep_conv_3x3", 1), new Genotype.Edge("sep_conv_5x5", 3),
                new Genotype.Edge("avg_pool_3x3", 3), new Genotype.Edge("max_pool_3x3", 0));
        assertThat(g.normalConcat()).containsExactly(2, 3, 4, 5);
        assertThat(g.reduce()).isEqualTo(g.normal());
        assertThat(Genotype.derive(w, w, 2).normalConcat()).containsExactly(4, 5);
    }

    @Test
    void deriveRejectsBadShapes() {
        assertThatThrownBy(() -> Genotype.derive(new float[13][8], new float[13][8], 4))
                .hasMessageContaining("13 rows");
        assertThatThrownBy(() -> Genotype.derive(new float[14][7], new float[14][7], 4))
                .hasMessageContaining("7 columns");
    }

    @Test
    void resolveReadsNamesTextAndFiles(@TempDir Path dir) throws IOException {
        Genotype v2 = Genotype.named("DARTS_V2");
        assertThat(Genotype.resolve("DARTS_V2")).isEqualTo(v2);
        assertThat(Genotype.resolve(DARTS_V2_TEXT)).isEqualTo(v2);

        Path txt = Files.writeString(dir.resolve("genotype.txt"), DARTS_V2_TEXT + "\n");
        assertThat(Genotype.resolve(txt.toString())).isEqualTo(v2);
        Path json = dir.resolve("genotype.json");
        Json.write(json, v2);
        assertThat(Genotype.resolve(json.toString())).isEqualTo(v2);
        Path wrapped = dir.resolve("search.json");
        Files.writeString(wrapped, "{\"genotype\": " + Json.line(v2) + ", \"provenance\": {}}");
        assertThat(Genotype.resolve(wrapped.toString())).isEqualTo(v2);

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"normal\": 3}");
        assertThatThrownBy(() -> Genotype.resolve(broken.toString()))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(broken + ": not a genotype");
        assertThatThrownBy(() -> Genotype.resolve("DARTS_V9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'DARTS_V9' is not a built-in name");
    }
}
