package org.proxynas.data;

import java.io.IOException;
import java.util.List;
import org.proxynas.common.UserError;

/**
 * The examples of {@code parent} at {@code indices}: how a proxy set or one half of DARTS' 50/50 split is
 * seen by training code, without copying pixels.
 */
public final class SubsetDataset implements ImageDataset {
    private final ImageDataset parent;
    private final int[] indices;

    public SubsetDataset(ImageDataset parent, int[] indices) {
        this.parent = parent;
        this.indices = indices.clone();
        for (int i = 0; i < this.indices.length; i++) {
            int idx = this.indices[i];
            if (idx < 0 || idx >= parent.size()) {
                throw new UserError("subset index " + idx + " at position " + i
                        + " is outside 0.." + (parent.size() - 1) + " of " + parent.name());
            }
        }
    }

    @Override
    public String name() {
        return parent.name();
    }

    @Override
    public Split split() {
        return parent.split();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int channels() {
        return parent.channels();
    }

    @Override
    public int height() {
        return parent.height();
    }

    @Override
    public int width() {
        return parent.width();
    }

    @Override
    public List<String> classNames() {
        return parent.classNames();
    }

    @Override
    public boolean inMemory() {
        return parent.inMemory();
    }

    @Override
    public int label(int index) {
        return parent.label(indices[index]);
    }

    @Override
    public void readImage(int index, byte[] dst, int offset) {
        parent.readImage(indices[index], dst, offset);
    }

    @Override
    public void checkReadable(int index) throws IOException {
        parent.checkReadable(indices[index]);
    }
}
