"""Exports a small CNN with PyTorch (Debian python3-torch) to ONNX and saves
an input and PyTorch's output, for the importer's end-to-end test.

  make_torch_cnn.py OUT_DIR [--opset 13]

The model has conv + batch norm (kept as BatchNormalization nodes: exported
with TrainingMode.PRESERVE in eval mode), ReLU, ReLU6 (Clip), a residual
add, a depthwise-separable block, max and average pooling, a concat,
global average pooling, flatten, a fully connected layer and softmax.
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, stride=2, groups=8)
        self.pw = nn.Conv2d(8, 16, 1)
        self.pool = nn.MaxPool2d(2)
        self.avg = nn.AvgPool2d(3, stride=1, padding=1)
        self.fc = nn.Linear(24, 10)

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = y + torch.clamp(self.bn2(self.conv2(y)), 0.0, 6.0)
        z = torch.relu(self.pw(self.dw(y)))
        a = self.avg(z)
        m = self.pool(y)
        c = torch.cat([a, m], 1)
        g = torch.flatten(nn.functional.adaptive_avg_pool2d(c, 1), 1)
        return torch.softmax(self.fc(g), dim=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out_dir")
    p.add_argument("--opset", type=int, default=13)
    args = p.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    torch.manual_seed(0)
    net = Net()
    # Non-trivial batch-norm statistics.
    with torch.no_grad():
        for bn in (net.bn1, net.bn2):
            bn.running_mean.uniform_(-0.5, 0.5)
            bn.running_var.uniform_(0.5, 1.5)
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.2, 0.2)
    net.eval()
    x = torch.rand(1, 3, 16, 16)
    torch.onnx.export(net, x, os.path.join(args.out_dir, "model.onnx"),
                      opset_version=args.opset,
                      training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False,
                      input_names=["x"], output_names=["y"])
    with torch.no_grad():
        y = net(x).numpy()
    np.save(os.path.join(args.out_dir, "x.npy"), x.numpy())
    np.save(os.path.join(args.out_dir, "y.npy"), y)


if __name__ == "__main__":
    main()
