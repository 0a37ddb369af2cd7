#!/usr/bin/env python3
"""Checks an NPU program blob against docs/npu.md section 5: magic, the
configuration words, the instruction count, the size and the CRC-32 (IEEE,
zlib.crc32) of everything before it. Prints one summary line.

usage: check_blob.py BLOB
"""
import struct
import sys
import zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"QNPU0001", data[:8]
rows, cols, isp, wsp, acc, n = struct.unpack_from("<6I", data, 8)
assert len(data) == 32 + 16 * n + 4, (len(data), n)
(crc,) = struct.unpack_from("<I", data, 32 + 16 * n)
assert crc == zlib.crc32(data[: 32 + 16 * n]) & 0xFFFFFFFF, "bad CRC"
ops = [data[32 + 16 * i] & 0x3F for i in range(n)]
print(f"blob ok: {rows}x{cols} isp {isp} wsp {wsp} acc {acc}, {n} instructions, "
      f"opcodes {ops}")
