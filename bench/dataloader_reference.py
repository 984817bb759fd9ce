"""PyTorch reference for bench/dataloader.sh: the same pipeline as torchvision + DARTS' Cutout would run it
(per-sample pad/crop/flip/normalize/cutout in __getitem__, then default_collate), num_workers=0, on
Fashion-MNIST train. Prints img/s per configuration. Run with /usr/bin/python3 (Debian python3-torch)."""
import gzip, sys, time
import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

torch.set_num_threads(2)
DIR = '/usr/share/datasets/fashion-mnist/'
with gzip.open(DIR + 'train-images-idx3-ubyte.gz') as f:
    X = torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).copy())
with gzip.open(DIR + 'train-labels-idx1-ubyte.gz') as f:
    Y = torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64))
MEAN, STD = X.float().div(255).mean().item(), X.float().div(255).std().item()


class Aug(Dataset):
    def __init__(self, pad, cutout):
        self.pad, self.cutout = pad, cutout

    def __len__(self):
        return len(Y)

    def __getitem__(self, i):
        img = X[i]
        if self.pad:  # transforms.RandomCrop(28, padding=pad)
            img = F.pad(img, (self.pad,) * 4)
            dy, dx = np.random.randint(0, 2 * self.pad + 1, 2)
            img = img[:, dy:dy + 28, dx:dx + 28]
        img = (img.float() / 255 - MEAN) / STD  # ToTensor + Normalize
        if self.cutout:  # DARTS utils.Cutout
            y, x = np.random.randint(28), np.random.randint(28)
            h = self.cutout // 2
            img[:, max(0, y - h):min(28, y + h), max(0, x - h):min(28, x + h)] = 0
        return img, Y[i]


epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
for name, pad, cut in [('crop padding 0, cutout 0', 0, 0), ('crop padding 2, cutout 0', 2, 0), ('crop padding 2, cutout 16', 2, 16)]:
    loader = DataLoader(Aug(pad, cut), batch_size=64, shuffle=True, num_workers=0)
    start, n = time.time(), 0
    for _ in range(epochs):
        for xb, yb in loader:
            n += len(yb)
    print('| torch loader: %s | %.0f img/s |' % (name, n / (time.time() - start)))
