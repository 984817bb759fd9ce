package org.proxynas.common;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The number format a training computes in. {@code fp32} everywhere is the default. {@code fp16} and
 * {@code bf16} are mixed precision as PyTorch's AMP does it: convolutions and linear layers compute in the
 * 16-bit format, batch norm keeps float32 parameters and statistics, the loss is taken in float32, and the
 * optimizer updates float32 master weights (the network's parameters, which checkpoints save), so a
 * mixed-precision run resumes, reports and evaluates like any other. {@code fp16} scales the loss
 * (dynamically, as {@code torch.cuda.amp.GradScaler}) so that small gradients do not flush to zero; bf16
 * has float32's range and needs no scaling. Both pay off on GPUs with 16-bit tensor cores; on most CPUs they
 * are slower than float32.
 */
public enum Precision {
    FP32(DataType.FLOAT32),
    FP16(DataType.FLOAT16),
    BF16(DataType.BFLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** What convolutions and linear layers compute in. */
    public DataType dataType() {
        return dataType;
    }

    public boolean isMixed() {
        return this != FP32;
    }

    @JsonValue
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Precision parse(String text) {
        String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.cliName().equals(name)) {
                return p;
            }
        }
        throw new UserError("precision must be fp32, fp16 or bf16, found '" + text + "'");
    }

    /**
     * Fails with a user error when the loaded engine cannot compute in this format. DJL 0.36.0's PyTorch JNI
     * maps no data type code to bfloat16 and aborts the JVM on one, so bf16 needs the JNI built with
     * {@code bench/gpu/jni-patches/bfloat16.patch}, which also defines the native method asked here; the stock
     * JNI does not, and asking it is a link error rather than a crash. Call after the engine has loaded.
     */
    public void checkAvailable() {
        if (this != BF16) {
            return;
        }
        boolean mapped;
        try {
            mapped = jniMapsBFloat16();
        } catch (UnsatisfiedLinkError e) {
            mapped = false;
        }
        if (!mapped) {
            throw new UserError("precision bf16 needs DJL's PyTorch JNI built with"
                    + " bench/gpu/jni-patches/bfloat16.patch (the stock 0.36.0 JNI has no bfloat16; see GPU in"
                    + " README.md); fp16 works with the stock one");
        }
    }

    private static native boolean jniMapsBFloat16();

    /** Jackson's filter for leaving the default out of JSON, so fp32 configs and their hashes read as before. */
    public static final class DefaultFilter {
        @Override
        public boolean equals(Object other) {
            return other == null || other == FP32;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
