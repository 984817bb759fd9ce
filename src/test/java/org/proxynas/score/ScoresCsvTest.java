package org.proxynas.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxynas.common.UserError;

class ScoresCsvTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryColumnAndTinyEntropiesExactly() throws IOException {
        double[] entropy = {1.2345678901234567e-21, 0.0, 2.302585092994046, Double.MIN_VALUE, 0.1 + 0.2};
        ScoreTable table = new ScoreTable(new int[] {3, 0, 9, 1, 1}, entropy, new int[] {3, 0, 2, 1, 0},
                new double[] {1.0, 0.99, 0.1, 1.0, 0.4}, new double[] {0.9, -0.5, 0.0, 1e-30, 0.2},
                new int[] {0, 2, 11, 0, 1});
        Path csv = dir.resolve("scores.csv");
        ScoresCsv.write(csv, table);
        ScoreTable back = ScoresCsv.read(csv, 10);
        assertThat(back).isEqualTo(table);
        assertThat(back.entropy(0)).isEqualTo(1.2345678901234567e-21);
        assertThat(back.hasForgetting()).isTrue();
        assertThat(Files.readAllLines(csv).get(0)).isEqualTo("index,label,entropy,predicted,true_prob,margin,forgetting");
    }

    @Test
    void absentOptionalColumnsStayAbsent() throws IOException {
        ScoreTable table = ScoreTable.of(new int[] {1, 0}, new double[] {0.5, 1e-21});
        Path csv = dir.resolve("scores.csv");
        ScoresCsv.write(csv, table);
        assertThat(Files.readAllLines(csv).get(0)).isEqualTo("index,label,entropy");
        ScoreTable back = ScoresCsv.read(csv);
        assertThat(back.hasForgetting()).isFalse();
        assertThat(back.hasPredicted()).isFalse();
        assertThat(back.forgetting()).containsExactly(-1, -1);
        assertThat(back.trueProb()[0]).isNaN();
    }

    @Test
    void rowsInAnyOrderAndExtraColumnsAreAccepted() throws IOException {
        Path csv = write("entropy,extra,label,index\n0.25,x,1,2\n0.5,y,0,0\n\n1e-21,z,2,1\n");
        ScoreTable t = ScoresCsv.read(csv);
        assertThat(t.label()).containsExactly(0, 2, 1);
        assertThat(t.entropy()).containsExactly(0.5, 1e-21, 0.25);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "index,label,entropy\\n0,1,abc\\n | :2: entropy 'abc' is not a number",
        "index,label,entropy\\n0,1,0.5\\n1,1,NaN\\n | :3: entropy 'NaN' is not a finite number",
        "index,label,entropy\\n0,1,-0.5\\n | :2: entropy -0.5 is negative",
        "index,label,entropy\\n0,-1,0.5\\n | :2: label -1 is negative",
        "index,label,entropy\\n0,1.0,0.5\\n | :2: label '1.0' is not an integer",
        "index,label,entropy\\n0,1,0.5\\n0,1,0.5\\n | :3: index 0 already appeared on line 2",
        "index,label,entropy\\n0,1,0.5\\n2,1,0.5\\n | :3: index 2 is outside 0..1",
        "index,label,entropy\\n0,1\\n | :2: expected 3 fields like the header, found 2",
        "index,label,entropy\\n0,1,0.5,7\\n | :2: expected 3 fields like the header, found more",
        "index,label\\n0,1\\n | :1: header lacks required column 'entropy'",
        "'' | :1: expected a header line",
        "index,label,entropy\\n0,12,0.5\\n | :2: label 12 is outside 0..9",
    })
    void malformedFilesNameTheLine(String content, String expected) throws IOException {
        Path csv = write(content.replace("\\n", "\n"));
        assertThatThrownBy(() -> ScoresCsv.read(csv, 10))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(csv + expected.strip())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void tableRejectsMismatchedColumns() {
        assertThatThrownBy(() -> new ScoreTable(new int[] {0, 1}, new double[] {0.1}, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entropy has 1 rows");
        assertThatThrownBy(() -> ScoreTable.of(new int[] {0}, new double[] {0.1}).withForgetting(new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forgetting has 2 rows");
    }

    private Path write(String content) throws IOException {
        Path csv = dir.resolve("scores.csv");
        Files.writeString(csv, content);
        return csv;
    }
}
