package org.proxynas.learn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A block's parameters as the bytes a checkpoint stores, and back: for tests of how blocks are stored. */
public final class StoredParameters {
    private StoredParameters() {}

    public static byte[] of(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        block.saveParameters(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    public static void load(Block block, NDManager manager, byte[] stored) throws IOException,
            MalformedModelException {
        block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(stored)));
    }
}
