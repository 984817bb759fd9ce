package org.proxynas.data;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.proxynas.common.UserError;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;

/**
 * SVHN's official cropped-digit MATLAB files, {@code train_32x32.mat} and {@code test_32x32.mat}: {@code X} is a
 * 32×32×3×N uint8 array (MATLAB's column-major H×W×C×N), {@code y} is N×1 with labels 1..10, where 10 stands
 * for the digit 0. Class {@code k} is digit {@code k}.
 */
final class SvhnReader implements DatasetReader {
    private static final int SIDE = 32;

    @Override
    public ImageDataset read(String name, Path dir, Split split, DatasetOptions options) throws IOException {
        DataFiles.requireDirectory(dir, name);
        Path file = DataFiles.firstExisting(dir, split == Split.TRAIN ? "train_32x32.mat" : "test_32x32.mat");
        try (Mat5File mat = open(file)) {
            Matrix x = matrix(mat, file, "X");
            Matrix y = matrix(mat, file, "y");
            int[] dims = x.getDimensions();
            if (dims.length != 4 || dims[0] != SIDE || dims[1] != SIDE || dims[2] != 3) {
                throw new UserError(file + ": X has dimensions " + Arrays.toString(dims)
                        + ", expected [32, 32, 3, N]");
            }
            int n = dims[3];
            if (y.getNumElements() != n || (n > 0 && Math.min(y.getNumRows(), y.getNumCols()) != 1)) {
                throw new UserError(file + ": y has dimensions " + Arrays.toString(y.getDimensions()) + " but X has "
                        + n + " images, expected [" + n + ", 1]");
            }
            return new InMemoryImageDataset(name, split, 3, SIDE, SIDE, DataFiles.numberNames(10),
                    pixels(x, n, file), labels(y, n, file));
        }
    }

    private static Mat5File open(Path file) throws IOException {
        try {
            return Mat5.readFromFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": not a readable MATLAB v5 file (" + reason(e) + ")", e);
        }
    }

    /** What the MAT reader found wrong, in its words: the innermost cause, without Java class names. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof EOFException) {
            return "unexpected end of file, truncated?";
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? "unrecognized content" : message.strip();
    }

    private static Matrix matrix(MatFile mat, Path file, String var) throws IOException {
        for (MatFile.Entry e : mat.getEntries()) {
            if (e.getName().equals(var)) {
                Array a = e.getValue();
                if (a instanceof Matrix m && !m.isComplex()) {
                    return m;
                }
                throw new UserError(file + ": variable " + var + " is a " + a.getType() + ", expected a real matrix");
            }
        }
        throw new UserError(file + ": no variable " + var + " (expected X and y as in the official files)");
    }

    /** Column-major H×W×C×N to our channel-major C×H×W per image. */
    private static byte[] pixels(Matrix x, int n, Path file) throws IOException {
        boolean bytes = x.getType() == MatlabType.UInt8;
        int plane = SIDE * SIDE;
        byte[] out = new byte[n * 3 * plane];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                int dst = (i * 3 + c) * plane;
                int src = (i * 3 + c) * plane;
                for (int col = 0; col < SIDE; col++) {
                    for (int row = 0; row < SIDE; row++) {
                        int idx = src + col * SIDE + row;
                        out[dst + row * SIDE + col] = bytes ? x.getByte(idx) : checkedByte(x.getDouble(idx), file, idx);
                    }
                }
            }
        }
        return out;
    }

    private static byte checkedByte(double v, Path file, int index) throws IOException {
        if (!(v >= 0 && v <= 255) || v != Math.rint(v)) {
            throw new UserError(file + ": pixel " + v + " at X element " + index + " is not an integer in 0..255");
        }
        return (byte) v;
    }

    private static int[] labels(Matrix y, int n, Path file) throws IOException {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double v = y.getDouble(i);
            if (!(v >= 1 && v <= 10) || v != Math.rint(v)) {
                throw new UserError(file + ": label " + v + " of example " + i + " is outside 1..10");
            }
            labels[i] = (int) v % 10;
        }
        return labels;
    }
}
