package org.proxynas.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.proxynas.common.UserError;

/** The optimizers against the PyTorch update rules written out in double precision. */
class UpdatersTest {
    private static final float[] W0 = {1f, -2f, 3f, 0.5f};
    private static final float[][] GRADS = {
        {0.1f, -0.4f, 2f, 0f}, {-0.3f, 0.2f, 1f, 0.7f}, {0.05f, 0.05f, -1.5f, 0.2f}, {1f, -1f, 0.5f, -0.2f}
    };
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void sgdMatchesTorchRuleWithMomentumAndWeightDecay() {
        double lr = 0.1, mom = 0.9, wd = 0.01;
        double[] w = toDouble(W0), buf = null;
        for (float[] g : GRADS) {
            double[] d = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                d[i] = g[i] + wd * w[i];
            }
            if (buf == null) {
                buf = d.clone();
            } else {
                for (int i = 0; i < w.length; i++) {
                    buf[i] = mom * buf[i] + d[i];
                }
            }
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * buf[i];
            }
        }
        try (SgdUpdater sgd = SgdUpdater.builder().optMomentum(mom).optWeightDecay(wd).build()) {
            assertClose(run(sgd, lr, 0, GRADS.length, manager.create(W0)), w);
        }
    }

    /**
     * Bit for bit, SGD does torch's float32 arithmetic: each hyper-parameter rounded to float once, one
     * rounding per operation, no fused multiply-add (what keeps runs identical across optimizer rewrites).
     */
    @Test
    void sgdRoundsExactlyAsTorchsFloat32Update() {
        double lr = 0.025, mom = 0.9, wd = 3e-4;
        float[] w = W0.clone();
        float[] buf = null;
        for (float[] g : GRADS) {
            float[] d = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                d[i] = g[i] + w[i] * (float) wd;
            }
            if (buf == null) {
                buf = d;
            } else {
                for (int i = 0; i < w.length; i++) {
                    buf[i] = buf[i] * (float) mom + d[i];
                }
            }
            for (int i = 0; i < w.length; i++) {
                w[i] -= buf[i] * (float) lr;
            }
        }
        try (SgdUpdater sgd = SgdUpdater.builder().optMomentum(mom).optWeightDecay(wd).build()) {
            assertThat(run(sgd, lr, 0, GRADS.length, manager.create(W0)).toFloatArray()).containsExactly(w);
        }
    }

    @Test
    void adamMatchesTorchRuleWithBiasCorrectionAndL2() {
        double lr = 3e-2, b1 = 0.5, b2 = 0.999, eps = 1e-8, wd = 1e-3;
        double[] w = toDouble(W0), m = new double[w.length], v = new double[w.length];
        for (int t = 1; t <= GRADS.length; t++) {
            for (int i = 0; i < w.length; i++) {
                double g = GRADS[t - 1][i] + wd * w[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                w[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denom;
            }
        }
        try (AdamUpdater adam = AdamUpdater.builder().optBetas(b1, b2).optWeightDecay(wd).build()) {
            assertClose(run(adam, lr, 0, GRADS.length, manager.create(W0)), w);
        }
    }

    @Test
    void savedStateContinuesIdentically() throws IOException {
        assertResumesIdentically(() -> SgdUpdater.builder().optMomentum(0.9).optWeightDecay(3e-4).build());
        assertResumesIdentically(() -> AdamUpdater.builder().optBetas(0.5, 0.999).optWeightDecay(1e-3).build());
    }

    @Test
    void loadingTheOtherOptimizersStateFails() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SgdUpdater sgd = SgdUpdater.builder().optMomentum(0.9).build()) {
            run(sgd, 0.1, 0, 1, manager.create(W0));
            sgd.saveState(new DataOutputStream(bytes));
        }
        try (AdamUpdater adam = AdamUpdater.builder().build()) {
            assertThatThrownBy(() -> adam.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                    .isInstanceOf(UserError.class).hasMessageContaining("expected adam, found sgd");
        }
    }

    @Test
    void updatesParametersThatRequireGradients() {
        NDArray w = manager.create(new float[] {1f, 2f});
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w.square().sum());
        }
        try (NDManager step = manager.newSubManager(); SgdUpdater sgd = SgdUpdater.builder().build()) {
            NDArray grad = w.getGradient();
            grad.attach(step);
            sgd.step(List.of(new ParamGrad("w", w, grad)), 0.25);
        }
        assertThat(w.toFloatArray()).containsExactly(0.5f, 1f);
    }

    @Test
    void rejectsBadHyperParameters() {
        assertThatThrownBy(() -> SgdUpdater.builder().optMomentum(1.0).build()).hasMessageContaining("momentum");
        assertThatThrownBy(() -> AdamUpdater.builder().optWeightDecay(-1).build()).hasMessageContaining("weight decay");
    }

    private void assertResumesIdentically(Supplier<Updater> make) throws IOException {
        NDArray straight = manager.create(W0);
        NDArray resumed = manager.create(W0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Updater a = make.get()) {
            run(a, 0.05, 0, GRADS.length, straight);
        }
        try (Updater first = make.get()) {
            run(first, 0.05, 0, 2, resumed);
            first.saveState(new DataOutputStream(bytes));
        }
        try (Updater second = make.get()) {
            second.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            run(second, 0.05, 2, GRADS.length, resumed);
        }
        assertThat(resumed.toFloatArray()).containsExactly(straight.toFloatArray());
    }

    /** Applies GRADS[from..to) to {@code w} and returns it. */
    private NDArray run(Updater opt, double lr, int from, int to, NDArray w) {
        for (int s = from; s < to; s++) {
            try (NDManager step = manager.newSubManager()) {
                NDArray g = step.create(GRADS[s]);
                opt.step(List.of(new ParamGrad("w", w, g)), lr);
            }
        }
        return w;
    }

    private static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static void assertClose(NDArray actual, double[] expected) {
        float[] got = actual.toFloatArray();
        assertThat(got).hasSize(expected.length);
        for (int i = 0; i < got.length; i++) {
            assertThat((double) got[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5));
        }
    }
}
