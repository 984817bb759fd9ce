package org.proxynas.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalProcessClusterTest {

    @Test
    void aWorkerOutOfMemorySaysHowToGiveItMoreInOneLine() {
        String line = LocalProcessCluster.failureLine(new OutOfMemoryError("Java heap space"));
        assertThat(line).doesNotContain("\n").startsWith("out of memory (Java heap space) in its worker JVM")
                .contains("PROXYNAS_JAVA_OPTS=-Xmx").contains("--jobs");
    }

    @Test
    void otherFailuresKeepTheirOwnMessage() {
        assertThat(LocalProcessCluster.failureLine(new IllegalStateException("stage broke")))
                .contains("stage broke").doesNotContain("PROXYNAS_JAVA_OPTS");
    }
}
