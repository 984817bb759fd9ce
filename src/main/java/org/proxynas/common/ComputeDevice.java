package org.proxynas.common;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a stage computes, as the user wrote it: {@code auto} (the first GPU PyTorch sees, else the CPU),
 * {@code cpu}, {@code gpu} (the first GPU) or {@code gpu:N}. The text is checked when parsed, so a typo
 * fails before any work; whether the GPU exists is checked by {@link #resolve()}, when a stage starts the
 * engine. The device is a property of a run, not of its settings: a run checkpointed on one device
 * resumes on another.
 */
public record ComputeDevice(String spec) {
    // before the constants below, whose construction uses it
    private static final Pattern SYNTAX = Pattern.compile("auto|cpu|gpu(?::(\\d{1,3}))?");

    public static final ComputeDevice AUTO = new ComputeDevice("auto");
    public static final ComputeDevice CPU = new ComputeDevice("cpu");

    public ComputeDevice {
        if (spec == null || !SYNTAX.matcher(spec).matches()) {
            throw new UserError("device must be auto, cpu, gpu or gpu:N (N = 0, 1, ...), found '"
                    + spec + "'");
        }
    }

    /** Parses what a user typed; case and surrounding blanks do not matter. */
    public static ComputeDevice parse(String text) {
        return new ComputeDevice(text == null ? null : text.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The engine's device for this spec; a GPU that PyTorch does not see is a user error naming the setting.
     * Every job calls it before computing, so it also readies the calling thread: PyTorch keeps autograd
     * recording per thread, on by default, and DJL turns it off only on the thread that loaded the engine (and
     * wherever a gradient collector closes). A job on any other thread (a Spark task's, a caller's pool) would
     * record graphs in passes meant to be inference and fail to update or load its weights in place ("a leaf
     * Variable that requires grad is being used in an in-place operation").
     */
    public Device resolve() {
        int gpus = Engine.getInstance().getGpuCount();
        JniUtils.setGradMode(false);
        if (spec.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (spec.equals("cpu")) {
            return Device.cpu();
        }
        Matcher m = SYNTAX.matcher(spec);
        m.matches();
        int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        if (gpus == 0) {
            throw new UserError("device " + spec + ": PyTorch sees no GPU here (no CUDA driver, or"
                    + " a CPU-only libtorch: see the README section 'GPU'); use device cpu or auto");
        }
        if (index >= gpus) {
            throw new UserError("device " + spec + ": PyTorch sees " + gpus + " GPU"
                    + (gpus == 1 ? " (gpu:0)" : "s (gpu:0 to gpu:" + (gpus - 1) + ")"));
        }
        return Device.gpu(index);
    }

    /**
     * What provenance records for {@code device}: {@code cpu()}, or {@code gpu(0) NVIDIA H200} with the
     * card's name when {@code nvidia-smi} can tell it.
     */
    public static String describe(Device device) {
        if (!device.isGpu()) {
            return device.toString();
        }
        String name = gpuName(device.getDeviceId());
        return name == null ? device.toString() : device + " " + name;
    }

    private static String gpuName(int index) {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader", "-i",
                    Integer.toString(index)).redirectErrorStream(true).start();
            String line;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                line = r.readLine();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0 || line == null || line.isBlank()) {
                p.destroyForcibly();
                return null;
            }
            return line.trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
