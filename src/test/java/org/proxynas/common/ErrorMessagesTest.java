package org.proxynas.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ErrorMessagesTest {
    @Test
    void oneLineIsTheMessagesFirstLineOrTheClassName() {
        assertThat(ErrorMessages.oneLine(new IllegalStateException("first\nsecond\n\tat trace")))
                .isEqualTo("first");
        assertThat(ErrorMessages.oneLine(new NullPointerException())).isEqualTo("NullPointerException");
        assertThat(ErrorMessages.oneLine(new IOException("  "))).isEqualTo("IOException");
        assertThat(ErrorMessages.firstLine("a\r\nb")).isEqualTo("a");
        assertThat(ErrorMessages.firstLine("")).isEmpty();
    }
}
