#!/usr/bin/env python3
"""Writes seeded random conv2d and fully_connected/matmul models (one per
case, with their inputs) for check_cpu_vs_ref.py.

conv2d: N = 1, H and W in 1..13, C_in in 1..19, C_out in 1..21, kernel
1..5 per side (the dilated kernel fits the padded input), strides 1..3,
dilations 1..2, paddings 0..2 per side, groups 2..5 in 40% of the cases
(channel counts then multiples of the group count, sometimes one channel
per group), per-tensor or per-channel weights (sometimes asymmetric), bias
or not, u8 or i8 activations (sometimes the other storage out), random
scales and zero points.

fully_connected / matmul: M in 1..17, K in 1..67, N in 1..33;
fully_connected with or without bias and per-tensor or per-channel
weights, matmul with a constant rhs (per tensor or per column) or a second
activation.

Every case name carries the seed, the case index and the configuration,
for example

  conv_s7_03_h7x9_c5o6_k3x2_st2x1_d1x2_p1.0.2.1_g1_pc_u8

and case i of seed S depends only on (S, i), so

  make_sweep_models.py DIR --seed 7 --only conv_s7_03_

writes just that case again. usage:

  make_sweep_models.py OUT_DIR [--seed N] [--conv N] [--fc N] [--only TEXT]
"""
import argparse
import os
import sys


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_single_op_models import (Gen, build_conv2d, build_fc,  # noqa: E402
                                   build_matmul)


def conv_case(seed, i):
    g = Gen([seed, 1, i], samples=2)
    r = g.rng
    while True:
        h, w = int(r.integers(1, 14)), int(r.integers(1, 14))
        cin, cout = int(r.integers(1, 20)), int(r.integers(1, 22))
        kh, kw = int(r.integers(1, 6)), int(r.integers(1, 6))
        sh, sw = int(r.integers(1, 4)), int(r.integers(1, 4))
        dh, dw = int(r.integers(1, 3)), int(r.integers(1, 3))
        pad = [int(p) for p in r.integers(0, 3, size=4)]
        if (kh - 1) * dh + 1 <= h + pad[0] + pad[1] and \
                (kw - 1) * dw + 1 <= w + pad[2] + pad[3]:
            break
    groups = 1
    if r.random() < 0.4:
        # grouped: channel counts that are multiples of the group count
        # (sometimes one channel per group, as a depthwise conv2d)
        groups = int(r.integers(2, 6))
        if r.random() < 0.25:
            cin = cout = groups
        else:
            cin = groups * int(r.integers(1, 19 // groups + 1))
            cout = groups * int(r.integers(1, 21 // groups + 1))
    per_channel = bool(r.random() < 0.6)
    asym = bool(r.random() < 0.4)
    bias = bool(r.random() < 0.75)
    act = "u8" if r.random() < 0.5 else "i8"
    out_act = act if r.random() < 0.8 else ("i8" if act == "u8" else "u8")
    name = (f"conv_s{seed}_{i:02d}_h{h}x{w}_c{cin}o{cout}_k{kh}x{kw}_st{sh}x{sw}"
            f"_d{dh}x{dw}_p{'.'.join(map(str, pad))}_g{groups}"
            f"_{'pc' if per_channel else 'pt'}{'a' if asym else ''}"
            f"{'' if bias else '_nobias'}_{act}{'' if out_act == act else '_to_' + out_act}")
    model = build_conv2d(g, act, n=1, h=h, w=w, cin=cin, cout=cout, kh=kh, kw=kw,
                         strides=(sh, sw), dilations=(dh, dw), padding=tuple(pad),
                         groups=groups, per_channel=per_channel, asym_w=asym,
                         wstorage="i8" if asym else "i8<-127:127>", bias=bias,
                         out_act=out_act)
    return name, model


def fc_case(seed, i):
    g = Gen([seed, 2, i], samples=2)
    r = g.rng
    m, k, n = int(r.integers(1, 18)), int(r.integers(1, 68)), int(r.integers(1, 34))
    act = "u8" if r.random() < 0.5 else "i8"
    kind = r.choice(["fc", "fc", "matmul_const", "matmul_act"])
    if kind == "fc":
        per_channel = bool(r.random() < 0.6)
        asym = bool(r.random() < 0.4)
        bias = bool(r.random() < 0.7)
        name = (f"fc_s{seed}_{i:02d}_m{m}k{k}n{n}_{'pc' if per_channel else 'pt'}"
                f"{'a' if asym else ''}{'' if bias else '_nobias'}_{act}")
        model = build_fc(g, act, n=m, k=k, o=n, per_channel=per_channel,
                         asym_w=asym, bias=bias)
    elif kind == "matmul_const":
        per_channel = bool(r.random() < 0.5)
        name = f"matmul_s{seed}_{i:02d}_m{m}k{k}n{n}_const_{'pc' if per_channel else 'pt'}_{act}"
        model = build_matmul(g, act, mdim=m, kdim=k, ndim=n, const_rhs=True,
                             per_channel=per_channel, asym_w=True)
    else:
        rhs = "u8" if r.random() < 0.5 else "i8"
        name = f"matmul_s{seed}_{i:02d}_m{m}k{k}n{n}_act_{act}x{rhs}"
        model = build_matmul(g, act, mdim=m, kdim=k, ndim=n, rhs_act=rhs)
    return name, model


def main(argv):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--conv", type=int, default=25, help="number of conv2d cases")
    p.add_argument("--fc", type=int, default=25,
                   help="number of fully_connected/matmul cases")
    p.add_argument("--only", default=None, help="only cases whose name contains this")
    args = p.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    written = 0
    cases = [conv_case(args.seed, i) for i in range(args.conv)]
    cases += [fc_case(args.seed, i) for i in range(args.fc)]
    for name, model in cases:
        if args.only and args.only not in name:
            continue
        model.write(args.out_dir, name)
        written += 1
    print(f"seed {args.seed}: wrote {written} cases to {args.out_dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
