//===- Tensor.h - Dense tensors of the reference runtime ---------*- C++ -*-===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// A minimal dense, row-major tensor used by the reference kernels, the .npy
// reader/writer and the interpreter. No MLIR types: the runtime builds and
// runs without LLVM.
//
// Quantized values are held widened to int32 (DType::I32) inside the
// reference kernels, whatever their storage width; the storage width and
// signedness live in the quantization parameters (QuantParams.h) and only
// matter when values are clamped or written to disk.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_TENSOR_H
#define QC_RUNTIME_TENSOR_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace qc::rt {

/// Element types a tensor can hold.
enum class DType : uint8_t { F32, F64, I8, U8, I16, I32, I64, Bool };

/// Size in bytes of one element of `dtype`.
size_t dtypeSize(DType dtype);
/// "f32", "i8", ... for messages.
const char *dtypeName(DType dtype);

/// A dense row-major tensor that owns its bytes.
class Tensor {
public:
  Tensor() = default;
  Tensor(DType dtype, std::vector<int64_t> shape);

  DType dtype() const { return dtype_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t dim(int64_t i) const { return shape_[i]; }
  /// Number of elements (1 for rank 0).
  int64_t numElements() const;
  size_t byteSize() const { return bytes_.size(); }

  /// Typed access; T must match dtype() in size (checked by the caller).
  template <typename T> T *data() { return reinterpret_cast<T *>(bytes_.data()); }
  template <typename T> const T *data() const {
    return reinterpret_cast<const T *>(bytes_.data());
  }
  unsigned char *raw() { return bytes_.data(); }
  const unsigned char *raw() const { return bytes_.data(); }

  /// Same bytes, new shape with the same element count.
  Tensor reshaped(std::vector<int64_t> shape) const;

  /// Element `i` converted to double / int64 whatever the dtype.
  double getAsDouble(int64_t i) const;
  int64_t getAsInt(int64_t i) const;
  /// Stores `v` into element `i`, converted (truncating) to the dtype.
  void setFromDouble(int64_t i, double v);
  void setFromInt(int64_t i, int64_t v);

  /// A copy converted elementwise to `dtype` (ints exactly when they fit;
  /// float to int truncates toward zero — use the quantize kernel to round).
  Tensor castTo(DType dtype) const;

  /// "f32[1x8x8x3]" for messages.
  std::string describe() const;

private:
  DType dtype_ = DType::F32;
  std::vector<int64_t> shape_;
  std::vector<unsigned char> bytes_;
};

/// Row-major strides of `shape` (in elements).
std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape);
/// Product of `shape` (1 for rank 0).
int64_t productOf(const std::vector<int64_t> &shape);
/// Product of `shape` into `product`; false if a dimension is negative or the
/// product overflows int64_t (validate untrusted shapes with this before
/// constructing a Tensor).
bool checkedProductOf(const std::vector<int64_t> &shape, int64_t &product);

} // namespace qc::rt

#endif // QC_RUNTIME_TENSOR_H
