"""Trains the example Fashion-MNIST CNN with PyTorch (Debian python3-torch)
on the real dataset from the Debian package dataset-fashion-mnist, and
exports it to ONNX (opset 13) with its BatchNormalization nodes kept, so
that quant's qnt-fold-batch-norm folds them.

  /usr/bin/python3 examples/models/fashion/train_fashion.py [--epochs 4]

Writes, next to this script:
  model.onnx        the trained float model (input "image" [1, 1, 28, 28],
                    pixel / 255; output "logits" [1, 10])
  calibration.npy   300 training images, [300, 1, 1, 28, 28] float32
  accuracy.txt      float top-1 on the 10,000 test images, as PyTorch saw it

The test suite needs none of the training: it uses the committed files and
reads the test images from the Debian package (fashion_npy.py). Seeds are
fixed; thread count is fixed to 2 so that results repeat on this machine.
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fashion_npy import load_split  # noqa: E402


class Block(nn.Module):
    """conv 3x3 - batch norm - ReLU."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return torch.relu(self.bn(self.conv(x)))


class FashionNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Block(1, 16)                  # 28x28x16
        self.res = Block(16, 16)                  # residual block
        self.down = Block(16, 32, stride=2)       # 14x14x32
        # depthwise-separable block
        self.dw = nn.Conv2d(32, 32, 3, stride=2, padding=1, groups=32, bias=False)
        self.dw_bn = nn.BatchNorm2d(32)
        self.pw = nn.Conv2d(32, 64, 1, bias=False)
        self.pw_bn = nn.BatchNorm2d(64)           # 7x7x64
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.stem(x)
        x = x + self.res(x)
        x = self.down(x)
        x = torch.relu(self.dw_bn(self.dw(x)))
        x = torch.relu(self.pw_bn(self.pw(x)))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = p.parse_args()
    torch.manual_seed(0)
    np.random.seed(0)
    torch.set_num_threads(2)

    train_x, train_y = load_split("train")
    test_x, test_y = load_split("t10k")
    xs = torch.from_numpy(train_x)
    ys = torch.from_numpy(train_y.astype(np.int64))

    net = FashionNet()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=4e-3, total_steps=args.epochs * ((len(xs) + 127) // 128))
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        net.train()
        perm = torch.randperm(len(xs))
        total = 0.0
        for i in range(0, len(xs), 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            loss = loss_fn(net(xs[idx]), ys[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            pred = torch.cat([net(torch.from_numpy(test_x[i:i + 1000])).argmax(1)
                              for i in range(0, len(test_x), 1000)])
        acc = (pred.numpy() == test_y).mean()
        print(f"epoch {epoch + 1}: loss {total / len(xs):.4f}, test top-1 {acc:.4f}",
              flush=True)

    net.eval()
    example = torch.from_numpy(test_x[:1])
    torch.onnx.export(net, example, os.path.join(args.out, "model.onnx"),
                      opset_version=13,
                      training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False,
                      input_names=["image"], output_names=["logits"])
    rng = np.random.RandomState(1)
    pick = rng.choice(len(train_x), 300, replace=False)
    np.save(os.path.join(args.out, "calibration.npy"),
            train_x[pick][:, None].astype(np.float32))
    with open(os.path.join(args.out, "accuracy.txt"), "w") as f:
        f.write(f"float top-1 (PyTorch, 10000 test images): {acc:.4f}\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
