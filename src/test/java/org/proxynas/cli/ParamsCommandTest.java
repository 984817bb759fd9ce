package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.nas.space.Genotype;
import picocli.CommandLine;

class ParamsCommandTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The PyTorch reference count for DARTS_V2, C=36, 20 cells (count_params.py): 3,349,342 without aux. */
    @Test
    void dartsV2PrintsThePapersThreePointThreeMillion() {
        Run r = run("params", "--genotype", "DARTS_V2", "--layers", "20", "--channels", "36", "--auxiliary",
                "--classes", "10", "--input", "3x32x32");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("3,349,342 (3.3M) without the auxiliary head")
                .contains("3,825,768 (3.8M)");
    }

    @Test
    void jsonHasTheDocumentedKeys(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("g.txt"), Genotype.named("PC_DARTS").toDartsString());
        Run r = run("params", "--genotype", file.toString(), "--layers", "5", "--channels", "8", "--input", "1x28x28",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode node = Json.MAPPER.readTree(r.out());
        assertThat(node.fieldNames()).toIterable().containsExactly("params", "paramsWithAuxiliary", "multiplyAdds",
                "genotype", "layers", "channels", "auxiliary", "classes", "input", "provenance");
        assertThat(node.get("params").asLong()).isPositive().isEqualTo(node.get("paramsWithAuxiliary").asLong());
        assertThat(node.get("multiplyAdds").asLong()).isGreaterThan(node.get("params").asLong());
        assertThat(Genotype.parse(node.get("genotype").asText())).isEqualTo(Genotype.named("PC_DARTS"));
        assertThat(node.get("provenance").get("command")).isNotEmpty();
    }

    @Test
    void userErrorsAreOneLineAndExitTwo() {
        for (List<String> args : List.of(
                List.of("params", "--input", "3x32"),
                List.of("params", "--input", "3x30x30"),
                List.of("params", "--input", "1x28x28", "--auxiliary"),
                List.of("params", "--channels", "7"),
                List.of("params", "--genotype", "NOPE"),
                List.of("params", "--genotype", "Genotype(normal=[('sep_conv_3x3', 0)"))) {
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as(args.toString()).isEqualTo(ProxyNas.EXIT_USER);
            assertThat(r.err().lines()).as(args.toString()).hasSize(1).allMatch(l -> l.startsWith("proxynas params: "));
        }
    }
}
