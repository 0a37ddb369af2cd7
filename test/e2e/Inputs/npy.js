// A small reader and writer of NumPy .npy files (format versions 1.0 to
// 3.0, C order, little-endian or single-byte dtypes): enough for the tensors
// quant-run and ONNX Runtime exchange (float32/64, int8/16/32/64,
// uint8/16/32/64, bool).
'use strict';

const fs = require('fs');

// npy dtype (without byte order) -> [typed array constructor, ORT type name]
const DTYPES = {
  f4: [Float32Array, 'float32'],
  f8: [Float64Array, 'float64'],
  i1: [Int8Array, 'int8'],
  i2: [Int16Array, 'int16'],
  i4: [Int32Array, 'int32'],
  i8: [BigInt64Array, 'int64'],
  u1: [Uint8Array, 'uint8'],
  u2: [Uint16Array, 'uint16'],
  u4: [Uint32Array, 'uint32'],
  u8: [BigUint64Array, 'uint64'],
  b1: [Uint8Array, 'bool'],
};

/** Reads FILE; returns {dtype: 'float32'|..., shape: [...], data: TypedArray}. */
function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf.readUInt8(0) !== 0x93 ||
      buf.toString('latin1', 1, 6) !== 'NUMPY')
    throw new Error(`${file}: not a .npy file`);
  const major = buf.readUInt8(6);
  let headerLen, offset;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    offset = 10;
  } else if (major === 2 || major === 3) {
    headerLen = buf.readUInt32LE(8);
    offset = 12;
  } else {
    throw new Error(`${file}: unsupported .npy version ${major}`);
  }
  const header = buf.toString('latin1', offset, offset + headerLen);
  const descr = /'descr'\s*:\s*'([<>|=])([a-z])(\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeMatch)
    throw new Error(`${file}: cannot parse the header ${header}`);
  if (fortran[1] === 'True')
    throw new Error(`${file}: Fortran order is not supported`);
  const key = descr[2] + descr[3];
  if (!(key in DTYPES))
    throw new Error(`${file}: dtype ${descr[0]} is not supported`);
  const [Ctor, dtype] = DTYPES[key];
  if (descr[1] === '>' && Ctor.BYTES_PER_ELEMENT > 1)
    throw new Error(`${file}: big-endian data is not supported`);
  const shape = shapeMatch[1].split(',').map((s) => s.trim()).filter((s) => s)
      .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = offset + headerLen;
  const bytes = count * Ctor.BYTES_PER_ELEMENT;
  if (buf.length - start < bytes)
    throw new Error(`${file}: holds fewer elements than its shape says`);
  // Copy into an aligned buffer of its own.
  const data = new Ctor(count);
  Buffer.from(data.buffer).set(buf.subarray(start, start + bytes));
  return {dtype, shape, data};
}

/** Writes a C-order, little-endian .npy file (version 1.0). */
function writeNpy(file, dtype, shape, data) {
  const entry = Object.entries(DTYPES).find(([, v]) => v[1] === dtype);
  if (!entry) throw new Error(`cannot write dtype ${dtype}`);
  const [key, [Ctor]] = entry;
  const order = Ctor.BYTES_PER_ELEMENT === 1 ? '|' : '<';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${order}${key}', 'fortran_order': False, ` +
      `'shape': (${dims}), }`;
  // Magic (6) + version (2) + length (2) + header + '\n', a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const prefix = Buffer.alloc(10);
  prefix.writeUInt8(0x93, 0);
  prefix.write('NUMPY', 1, 'latin1');
  prefix.writeUInt8(1, 6);
  prefix.writeUInt8(0, 7);
  prefix.writeUInt16LE(header.length, 8);
  const typed = data instanceof Ctor ? data : Ctor.from(data);
  fs.writeFileSync(file, Buffer.concat([
    prefix, Buffer.from(header, 'latin1'),
    Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength)]));
}

module.exports = {readNpy, writeNpy, DTYPES};
