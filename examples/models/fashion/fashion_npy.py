"""Reads Fashion-MNIST from the Debian package dataset-fashion-mnist
(/usr/share/datasets/fashion-mnist/*-idx?-ubyte.gz, the original IDX files)
and, as a script, writes a split as .npy for quant-run:

  fashion_npy.py t10k OUT_DIR [--count N]
     OUT_DIR/images.npy  [N, 1, 28, 28] float32, pixel / 255
     OUT_DIR/labels.npy  [N] int64
"""
import argparse
import gzip
import os

import numpy as np

ROOT = "/usr/share/datasets/fashion-mnist"


def _read(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load_split(split):
    """(images [N, 1, 28, 28] float32 in [0, 1], labels [N] uint8)."""
    images = _read(os.path.join(ROOT, f"{split}-images-idx3-ubyte.gz"), 16)
    labels = _read(os.path.join(ROOT, f"{split}-labels-idx1-ubyte.gz"), 8)
    images = images.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    return images, labels


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("split", choices=["train", "t10k"])
    p.add_argument("out_dir")
    p.add_argument("--count", type=int, default=0)
    args = p.parse_args()
    images, labels = load_split(args.split)
    if args.count:
        images, labels = images[:args.count], labels[:args.count]
    os.makedirs(args.out_dir, exist_ok=True)
    np.save(os.path.join(args.out_dir, "images.npy"), images)
    np.save(os.path.join(args.out_dir, "labels.npy"), labels.astype(np.int64))
    print(f"wrote {len(images)} images")


if __name__ == "__main__":
    main()
