//===- Tensor.cpp - Dense tensors of the reference runtime ----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the dense row-major Tensor of Tensor.h: storage,
// element access converted through double or int64, dtype conversion and
// the shape helpers.
//
// Element access goes through memcpy rather than typed pointers so that it is
// free of alignment and aliasing assumptions. Conversions never hit undefined
// behaviour: float to integer truncates toward zero and saturates at the
// target's range (NaN becomes 0), integer to narrower integer wraps modulo
// 2^bits like a C cast, anything to bool tests for non-zero, and a double too
// large for a float becomes an infinity.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/Tensor.h"

#include <algorithm>
#include <cassert>
#include <cfloat>
#include <cmath>
#include <limits>
#include <utility>

namespace qc::rt {

size_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return 4;
  case DType::F64:
    return 8;
  case DType::I8:
  case DType::U8:
  case DType::Bool:
    return 1;
  case DType::I16:
    return 2;
  case DType::I32:
    return 4;
  case DType::I64:
    return 8;
  }
  return 0;
}

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I8:
    return "i8";
  case DType::U8:
    return "u8";
  case DType::I16:
    return "i16";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  case DType::Bool:
    return "bool";
  }
  return "?";
}

bool checkedProductOf(const std::vector<int64_t> &shape, int64_t &product) {
  int64_t p = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(p, d, &p))
      return false;
  }
  product = p;
  return true;
}

int64_t productOf(const std::vector<int64_t> &shape) {
  // Unsigned arithmetic: an invalid shape gives a wrong number, not UB.
  uint64_t p = 1;
  for (int64_t d : shape)
    p *= static_cast<uint64_t>(d);
  return static_cast<int64_t>(p);
}

std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i > 1; --i)
    strides[i - 2] = strides[i - 1] * shape[i - 1];
  return strides;
}

/// Bytes needed for `shape` elements of `dtype`, or false when the shape is
/// invalid or the size does not fit.
static bool byteSizeOf(DType dtype, const std::vector<int64_t> &shape,
                       size_t &bytes) {
  int64_t count;
  int64_t total;
  if (!checkedProductOf(shape, count) ||
      __builtin_mul_overflow(count, static_cast<int64_t>(dtypeSize(dtype)),
                             &total))
    return false;
  bytes = static_cast<size_t>(total);
  return true;
}

Tensor::Tensor(DType dtype, std::vector<int64_t> shape)
    : dtype_(dtype), shape_(std::move(shape)) {
  size_t bytes = 0;
  // An invalid shape is a caller bug (validate with checkedProductOf); the
  // tensor then gets no storage rather than a wrapped-around size.
  bool valid = byteSizeOf(dtype_, shape_, bytes);
  assert(valid && "invalid tensor shape");
  (void)valid;
  bytes_.assign(bytes, 0);
}

int64_t Tensor::numElements() const { return productOf(shape_); }

Tensor Tensor::reshaped(std::vector<int64_t> shape) const {
  Tensor result(dtype_, std::move(shape));
  assert(result.bytes_.size() == bytes_.size() &&
         "reshape changes the element count");
  // Copy what fits so that a bad reshape never reads or writes out of
  // bounds in a release build.
  size_t n = std::min(result.bytes_.size(), bytes_.size());
  if (n)
    std::memcpy(result.bytes_.data(), bytes_.data(), n);
  return result;
}

/// Loads element `i` of an array of T starting at `p`.
template <typename T> static T load(const unsigned char *p, int64_t i) {
  T v;
  std::memcpy(&v, p + static_cast<size_t>(i) * sizeof(T), sizeof(T));
  return v;
}

/// Stores `v` as element `i` of an array of T starting at `p`.
template <typename T> static void store(unsigned char *p, int64_t i, T v) {
  std::memcpy(p + static_cast<size_t>(i) * sizeof(T), &v, sizeof(T));
}

/// Truncates `v` toward zero and saturates it to [lo, hi]; NaN gives 0.
static int64_t saturatingTrunc(double v, int64_t lo, int64_t hi) {
  if (std::isnan(v))
    return 0;
  // Compare in double before converting: converting an out-of-range double
  // is undefined. 2^63 is exact in double, INT64_MAX is not.
  if (v <= static_cast<double>(lo))
    return lo;
  if (v >= static_cast<double>(hi))
    return hi;
  return static_cast<int64_t>(v);
}

/// Rounds a double to float, overflowing to an infinity instead of UB.
static float toFloat(double v) {
  if (v > static_cast<double>(FLT_MAX) && std::isfinite(v))
    return std::numeric_limits<float>::infinity();
  if (v < -static_cast<double>(FLT_MAX) && std::isfinite(v))
    return -std::numeric_limits<float>::infinity();
  return static_cast<float>(v);
}

double Tensor::getAsDouble(int64_t i) const {
  assert(i >= 0 && i < numElements() && "element index out of range");
  const unsigned char *p = bytes_.data();
  switch (dtype_) {
  case DType::F32:
    return load<float>(p, i);
  case DType::F64:
    return load<double>(p, i);
  case DType::I8:
  case DType::U8:
  case DType::I16:
  case DType::I32:
  case DType::I64:
  case DType::Bool:
    return static_cast<double>(getAsInt(i));
  }
  return 0;
}

int64_t Tensor::getAsInt(int64_t i) const {
  assert(i >= 0 && i < numElements() && "element index out of range");
  const unsigned char *p = bytes_.data();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  switch (dtype_) {
  case DType::F32:
    return saturatingTrunc(load<float>(p, i), kMin, kMax);
  case DType::F64:
    return saturatingTrunc(load<double>(p, i), kMin, kMax);
  case DType::I8:
    return load<int8_t>(p, i);
  case DType::U8:
    return load<uint8_t>(p, i);
  case DType::I16:
    return load<int16_t>(p, i);
  case DType::I32:
    return load<int32_t>(p, i);
  case DType::I64:
    return load<int64_t>(p, i);
  case DType::Bool:
    // Any non-zero byte is true, as in NumPy.
    return load<uint8_t>(p, i) != 0;
  }
  return 0;
}

/// Saturating float-to-integer store for an integer element type T.
template <typename T>
static void storeTruncated(unsigned char *p, int64_t i, double v) {
  store<T>(p, i,
           static_cast<T>(saturatingTrunc(
               v, static_cast<int64_t>(std::numeric_limits<T>::min()),
               static_cast<int64_t>(std::numeric_limits<T>::max()))));
}

void Tensor::setFromDouble(int64_t i, double v) {
  assert(i >= 0 && i < numElements() && "element index out of range");
  unsigned char *p = bytes_.data();
  switch (dtype_) {
  case DType::F32:
    return store<float>(p, i, toFloat(v));
  case DType::F64:
    return store<double>(p, i, v);
  case DType::I8:
    return storeTruncated<int8_t>(p, i, v);
  case DType::U8:
    return storeTruncated<uint8_t>(p, i, v);
  case DType::I16:
    return storeTruncated<int16_t>(p, i, v);
  case DType::I32:
    return storeTruncated<int32_t>(p, i, v);
  case DType::I64:
    return storeTruncated<int64_t>(p, i, v);
  case DType::Bool:
    return store<uint8_t>(p, i, v != 0 ? 1 : 0);
  }
}

void Tensor::setFromInt(int64_t i, int64_t v) {
  assert(i >= 0 && i < numElements() && "element index out of range");
  unsigned char *p = bytes_.data();
  // Narrowing integer conversions wrap modulo 2^bits (two's complement).
  switch (dtype_) {
  case DType::F32:
    return store<float>(p, i, static_cast<float>(v));
  case DType::F64:
    return store<double>(p, i, static_cast<double>(v));
  case DType::I8:
    return store<int8_t>(p, i, static_cast<int8_t>(v));
  case DType::U8:
    return store<uint8_t>(p, i, static_cast<uint8_t>(v));
  case DType::I16:
    return store<int16_t>(p, i, static_cast<int16_t>(v));
  case DType::I32:
    return store<int32_t>(p, i, static_cast<int32_t>(v));
  case DType::I64:
    return store<int64_t>(p, i, v);
  case DType::Bool:
    return store<uint8_t>(p, i, v != 0 ? 1 : 0);
  }
}

static bool isFloat(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F64;
}

Tensor Tensor::castTo(DType dtype) const {
  Tensor result(dtype, shape_);
  int64_t n = numElements();
  if (dtype == dtype_) {
    if (!bytes_.empty())
      std::memcpy(result.bytes_.data(), bytes_.data(), bytes_.size());
    return result;
  }
  // Integers go through int64 so that i64 values keep every bit; floats go
  // through double (truncating toward zero into an integer type).
  for (int64_t i = 0; i < n; ++i) {
    if (isFloat(dtype_))
      result.setFromDouble(i, getAsDouble(i));
    else
      result.setFromInt(i, getAsInt(i));
  }
  return result;
}

std::string Tensor::describe() const {
  std::string s = dtypeName(dtype_);
  s += '[';
  for (size_t i = 0; i < shape_.size(); ++i) {
    if (i)
      s += 'x';
    s += std::to_string(shape_[i]);
  }
  s += ']';
  return s;
}

} // namespace qc::rt
