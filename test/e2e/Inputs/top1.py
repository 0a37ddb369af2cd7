"""Top-1 accuracy of model outputs against labels, and the gap to a
reference run.

  top1.py NAME LOGITS.npy LABELS.npy [--reference REF_LOGITS.npy]
          [--max-drop POINTS]

Prints "NAME: top-1 0.8860 (N images)" and, with --reference, the change
in percentage points; fails (exit 1) when the accuracy drops by more than
--max-drop points below the reference's.
"""
import argparse
import sys

import numpy as np


def top1(path, labels):
    out = np.load(path).reshape(len(labels), -1)
    return float((out.argmax(1) == labels).mean())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("name")
    p.add_argument("logits")
    p.add_argument("labels")
    p.add_argument("--reference")
    p.add_argument("--max-drop", type=float, default=None)
    a = p.parse_args()
    labels = np.load(a.labels)
    acc = top1(a.logits, labels)
    line = f"{a.name}: top-1 {acc:.4f} ({len(labels)} images)"
    if a.reference:
        ref = top1(a.reference, labels)
        drop = 100 * (ref - acc)
        line += f", {-drop:+.2f} points vs float ({ref:.4f})"
        print(line)
        if a.max_drop is not None and drop > a.max_drop:
            print(f"{a.name}: drop of {drop:.2f} points exceeds {a.max_drop}")
            return 1
        return 0
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
