package org.proxynas.learn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.proxynas.common.UserError;

/**
 * Per-tensor state buffers of an optimizer, keyed by {@link ParamGrad#id()}, owned by one manager. State
 * read from a checkpoint is decoded on the CPU and moved to the tensor's device when that tensor is first
 * updated, because the optimizer does not know the devices before it sees the tensors.
 */
final class UpdaterState implements AutoCloseable {
    // a holder on the CPU: buffers decoded from a checkpoint start here and move to their tensor's device
    private final NDManager manager = NDManager.newBaseManager(Device.cpu());
    private final int buffersPerTensor;
    private final Map<String, NDArray[]> buffers = new LinkedHashMap<>();

    UpdaterState(int buffersPerTensor) {
        this.buffersPerTensor = buffersPerTensor;
    }

    /** The state of {@code p}, or null before its first update. */
    NDArray[] get(ParamGrad p) {
        NDArray[] b = buffers.get(p.id());
        if (b != null && !b[0].getDevice().equals(p.value().getDevice())) {
            Device d = p.value().getDevice();
            for (int i = 0; i < b.length; i++) {
                NDArray moved = b[i].toDevice(d, false);
                moved.attach(manager);
                b[i].close();
                b[i] = moved;
            }
        }
        return b;
    }

    /** Adopts {@code state} (moved into this manager) as the buffers of {@code p}. */
    void put(ParamGrad p, NDArray... state) {
        if (state.length != buffersPerTensor) {
            throw new IllegalStateException("expected " + buffersPerTensor + " buffers, got " + state.length);
        }
        for (NDArray a : state) {
            a.attach(manager);
        }
        buffers.put(p.id(), state);
    }

    /** Writes the buffers after {@code kind}, the updater's name, which {@link #load} checks first. */
    void save(DataOutputStream out, String kind) throws IOException {
        out.writeUTF(kind);
        out.writeInt(buffersPerTensor);
        out.writeInt(buffers.size());
        for (Map.Entry<String, NDArray[]> e : buffers.entrySet()) {
            out.writeUTF(e.getKey());
            for (NDArray a : e.getValue()) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /** Reads what {@link #save} wrote, refusing the state of another kind of updater. */
    void load(DataInputStream in, String kind) throws IOException {
        String found = in.readUTF();
        if (!kind.equals(found)) {
            throw new UserError("optimizer state: expected " + kind + ", found " + found);
        }
        int per = in.readInt();
        if (per != buffersPerTensor) {
            throw new UserError(kind + " state: expected " + buffersPerTensor + " buffers per tensor, found "
                    + per);
        }
        clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            NDArray[] b = new NDArray[per];
            for (int j = 0; j < per; j++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                b[j] = NDArray.decode(manager, bytes);
            }
            buffers.put(id, b);
        }
    }

    private void clear() {
        for (NDArray[] b : buffers.values()) {
            for (NDArray a : b) {
                a.close();
            }
        }
        buffers.clear();
    }

    @Override
    public void close() {
        buffers.clear();
        manager.close();
    }
}
