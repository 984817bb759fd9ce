package org.proxynas.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class PrecisionTest {

    @Test
    void parsesWhatAUserTypesAndNamesTheChoicesOtherwise() {
        assertThat(Precision.parse(" FP16 ")).isEqualTo(Precision.FP16);
        assertThat(Precision.parse("bf16")).isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> Precision.parse("fp8")).isInstanceOf(UserError.class)
                .hasMessage("precision must be fp32, fp16 or bf16, found 'fp8'");
    }

    @Test
    void readsAndWritesAsItsCommandLineName() throws Exception {
        assertThat(Json.line(Precision.FP16)).isEqualTo("\"fp16\"");
        assertThat(Json.MAPPER.readValue("\"bf16\"", Precision.class)).isEqualTo(Precision.BF16);
    }

    @Test
    void bf16IsRefusedWithTheWayOutWhenTheJniHasNoBFloat16() {
        Engine.getInstance();
        assertThatCode(Precision.FP32::checkAvailable).doesNotThrowAnyException();
        assertThatCode(Precision.FP16::checkAvailable).doesNotThrowAnyException();
        // the stock DJL 0.36.0 JNI of the test class path: asking it must be an error, not a JVM abort
        assertThatThrownBy(Precision.BF16::checkAvailable).isInstanceOf(UserError.class)
                .hasMessageContaining("bench/gpu/jni-patches/bfloat16.patch").hasMessageContaining("fp16");
    }
}
