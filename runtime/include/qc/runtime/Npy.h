//===- Npy.h - NumPy .npy / .npz reader and writer ---------------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Reads and writes NumPy's .npy format (versions 1.0, 2.0 and 3.0; C order;
// little-endian <f4 <f8 |i1 |u1 <i2 <i4 <i8 |b1) and .npz archives (zip of
// .npy members, stored or deflated, as np.savez / np.savez_compressed
// write them). The format is specified in numpy/lib/format.py's docstring
// (NEP 1); this is our own implementation. Every malformed input gives an
// error message, never a crash or an out-of-bounds read.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_NPY_H
#define QC_RUNTIME_NPY_H

#include "qc/runtime/Tensor.h"

#include <string>
#include <utility>
#include <vector>

namespace qc::rt {

/// Parses an in-memory .npy file. On failure returns false and sets `error`.
bool parseNpy(const unsigned char *data, size_t size, Tensor &out,
              std::string &error);
/// Reads a .npy file.
bool readNpy(const std::string &path, Tensor &out, std::string &error);

/// Serializes a tensor as .npy (version 1.0, or 2.0 when the header needs
/// it).
std::vector<unsigned char> serializeNpy(const Tensor &tensor);
/// Writes a .npy file.
bool writeNpy(const std::string &path, const Tensor &tensor,
              std::string &error);

/// Reads every array of a .npz archive, in archive order, named without the
/// ".npy" suffix (np.savez's keys).
bool readNpz(const std::string &path,
             std::vector<std::pair<std::string, Tensor>> &out,
             std::string &error);
/// Writes a .npz archive (stored, uncompressed), as np.savez does.
bool writeNpz(const std::string &path,
              const std::vector<std::pair<std::string, Tensor>> &arrays,
              std::string &error);

} // namespace qc::rt

#endif // QC_RUNTIME_NPY_H
