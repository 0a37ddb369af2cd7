//===- IntegerSemanticsTest.cpp - Scalar integer semantics ----------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// The interpreter's integer arithmetic against plain C++ on thousands of
// random values (and the extremes) of each width: wrapping add/sub/mul,
// division rounding toward zero and its ceil/floor variants, min/max,
// bitwise ops, shifts, every cmpi predicate, extensions and truncations.
// Every op runs twice, once applied to whole tensors and once inside a
// multi-result linalg.generic, so that both paths are covered.
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <type_traits>

using namespace qc;
using namespace qc::test;

namespace {

constexpr size_t kCount = 2000;

/// MLIR name and runtime dtype of each tested C++ integer type.
template <typename T> struct IntInfo;
template <> struct IntInfo<int8_t> {
  static constexpr const char *name = "i8";
  static constexpr rt::DType dtype = rt::DType::I8;
};
template <> struct IntInfo<int16_t> {
  static constexpr const char *name = "i16";
  static constexpr rt::DType dtype = rt::DType::I16;
};
template <> struct IntInfo<int32_t> {
  static constexpr const char *name = "i32";
  static constexpr rt::DType dtype = rt::DType::I32;
};
template <> struct IntInfo<int64_t> {
  static constexpr const char *name = "i64";
  static constexpr rt::DType dtype = rt::DType::I64;
};

/// One op under test: its name, whether its second operand is a shift
/// amount, and what C++ computes.
template <typename T> struct BinaryCase {
  const char *op;
  bool isShift;
  std::function<T(T, T)> reference;
};

/// C++ reference semantics. Wrapping goes through uint64_t, whose
/// conversion back to T keeps the low bits.
template <typename T> std::vector<BinaryCase<T>> binaryCases() {
  using U = std::make_unsigned_t<T>;
  auto wrap = [](uint64_t v) { return static_cast<T>(v); };
  auto u64 = [](T v) { return static_cast<uint64_t>(static_cast<int64_t>(v)); };
  auto ceilDiv = [](T a, T b) {
    int64_t q = int64_t(a) / b, r = int64_t(a) % b;
    return static_cast<T>(q + (r != 0 && (r < 0) == (b < 0)));
  };
  auto floorDiv = [](T a, T b) {
    int64_t q = int64_t(a) / b, r = int64_t(a) % b;
    return static_cast<T>(q - (r != 0 && (r < 0) != (b < 0)));
  };
  return {
      {"addi", false, [=](T a, T b) { return wrap(u64(a) + u64(b)); }},
      {"subi", false, [=](T a, T b) { return wrap(u64(a) - u64(b)); }},
      {"muli", false, [=](T a, T b) { return wrap(u64(a) * u64(b)); }},
      {"divsi", false, [](T a, T b) { return static_cast<T>(a / b); }},
      {"remsi", false, [](T a, T b) { return static_cast<T>(a % b); }},
      {"divui", false, [](T a, T b) { return static_cast<T>(U(a) / U(b)); }},
      {"remui", false, [](T a, T b) { return static_cast<T>(U(a) % U(b)); }},
      {"ceildivsi", false, ceilDiv},
      {"floordivsi", false, floorDiv},
      {"maxsi", false, [](T a, T b) { return std::max(a, b); }},
      {"minsi", false, [](T a, T b) { return std::min(a, b); }},
      {"maxui", false, [](T a, T b) { return T(std::max(U(a), U(b))); }},
      {"minui", false, [](T a, T b) { return T(std::min(U(a), U(b))); }},
      {"andi", false, [](T a, T b) { return T(a & b); }},
      {"ori", false, [](T a, T b) { return T(a | b); }},
      {"xori", false, [](T a, T b) { return T(a ^ b); }},
      {"shli", true, [=](T a, T s) { return wrap(u64(a) << s); }},
      {"shrsi", true, [](T a, T s) { return T(a >> s); }},
      {"shrui", true, [](T a, T s) { return T(U(a) >> s); }},
  };
}

/// A module running every case on (%a, %b) or (%a, %s), first on whole
/// tensors and then in one linalg.generic with a result per case.
template <typename T>
std::string binaryModule(const std::vector<BinaryCase<T>> &cases, size_t n) {
  std::string e = IntInfo<T>::name;
  std::string t = "tensor<" + std::to_string(n) + "x" + e + ">";
  std::string body, yields, blockTypes, outs, outTypes;
  std::string text = "#id = affine_map<(d0) -> (d0)>\n"
                     "func.func @main(%a: " +
                     t + ", %b: " + t + ", %s: " + t + ") -> (";
  for (size_t i = 0; i < 2 * cases.size(); ++i)
    text += (i ? ", " : "") + t;
  text += ") {\n";
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string rhs = cases[i].isShift ? "%s" : "%b";
    text += "  %t" + std::to_string(i) + " = arith." + cases[i].op + " %a, " +
            rhs + " : " + t + "\n";
    std::string rhsScalar = cases[i].isShift ? "%z" : "%y";
    body += "    %r" + std::to_string(i) + " = arith." + cases[i].op + " %x, " +
            rhsScalar + " : " + e + "\n";
    std::string sep = i ? ", " : "";
    yields += sep + "%r" + std::to_string(i);
    blockTypes += sep + e;
    outs += sep + "%init";
    outTypes += sep + t;
  }
  std::string maps = "#id, #id, #id";
  std::string blockArgs = "%x: " + e + ", %y: " + e + ", %z: " + e;
  for (size_t i = 0; i < cases.size(); ++i) {
    maps += ", #id";
    blockArgs += ", %o" + std::to_string(i) + ": " + e;
  }
  text += "  %init = tensor.empty() : " + t + "\n";
  text += "  %g:" + std::to_string(cases.size()) +
          " = linalg.generic {indexing_maps = [" + maps +
          "], iterator_types = [\"parallel\"]} ins(%a, %b, %s : " + t + ", " +
          t + ", " + t + ") outs(" + outs + " : " + outTypes + ") {\n";
  text += "  ^bb0(" + blockArgs + "):\n" + body;
  text += "    linalg.yield " + yields + " : " + blockTypes + "\n";
  text += "  } -> (" + outTypes + ")\n  return ";
  for (size_t i = 0; i < cases.size(); ++i)
    text += "%t" + std::to_string(i) + ", ";
  for (size_t i = 0; i < cases.size(); ++i)
    text += "%g#" + std::to_string(i) + (i + 1 < cases.size() ? ", " : "");
  text += " : ";
  for (size_t i = 0; i < 2 * cases.size(); ++i)
    text += (i ? ", " : "") + t;
  return text + "\n}\n";
}

template <typename T> class IntegerSemanticsTest : public ::testing::Test {};
using IntTypes = ::testing::Types<int8_t, int16_t, int32_t, int64_t>;
TYPED_TEST_SUITE(IntegerSemanticsTest, IntTypes);

TYPED_TEST(IntegerSemanticsTest, BinaryOpsMatchCpp) {
  using T = TypeParam;
  constexpr int64_t kBits = sizeof(T) * 8;
  std::vector<T> a = randomValues<T>(kCount, 1);
  std::vector<T> b = randomValues<T>(kCount, 2);
  std::vector<T> s = randomValues<T>(kCount, 3);
  // Exclude arith's undefined cases, tested elsewhere: zero divisors,
  // INT_MIN / -1, shifts of the width or more.
  std::rotate(b.begin(), b.begin() + 2, b.end());
  for (size_t i = 0; i < kCount; ++i) {
    if (b[i] == 0 || (a[i] == std::numeric_limits<T>::min() && b[i] == -1))
      b[i] = 3;
    s[i] = static_cast<T>(static_cast<uint64_t>(s[i]) % kBits);
  }
  std::vector<BinaryCase<T>> cases = binaryCases<T>();
  InterpreterHarness harness;
  std::vector<rt::Tensor> outputs;
  ASSERT_TRUE(harness.run(binaryModule(cases, kCount),
                          {makeTensor(IntInfo<T>::dtype, a),
                           makeTensor(IntInfo<T>::dtype, b),
                           makeTensor(IntInfo<T>::dtype, s)},
                          outputs))
      << harness.diagnostics();
  ASSERT_EQ(outputs.size(), 2 * cases.size());
  for (size_t c = 0; c < cases.size(); ++c)
    for (size_t form = 0; form < 2; ++form) {
      const rt::Tensor &out = outputs[form * cases.size() + c];
      ASSERT_EQ(out.dtype(), IntInfo<T>::dtype);
      for (size_t i = 0; i < kCount; ++i) {
        T rhs = cases[c].isShift ? s[i] : b[i];
        ASSERT_EQ(out.getAsInt(i), cases[c].reference(a[i], rhs))
            << "arith." << cases[c].op << " " << int64_t(a[i]) << ", "
            << int64_t(rhs) << (form ? " in linalg.generic" : " on tensors");
      }
    }
}

TYPED_TEST(IntegerSemanticsTest, CmpiPredicatesMatchCpp) {
  using T = TypeParam;
  using U = std::make_unsigned_t<T>;
  std::vector<T> a = randomValues<T>(kCount, 4);
  std::vector<T> b = randomValues<T>(kCount, 5);
  // Equal pairs too, so that eq / sle / uge see both outcomes.
  for (size_t i = 0; i < kCount; i += 7)
    b[i] = a[i];
  const char *predicates[] = {"eq",  "ne",  "slt", "sle", "sgt",
                              "sge", "ult", "ule", "ugt", "uge"};
  std::function<bool(T, T)> reference[] = {
      [](T x, T y) { return x == y; },
      [](T x, T y) { return x != y; },
      [](T x, T y) { return x < y; },
      [](T x, T y) { return x <= y; },
      [](T x, T y) { return x > y; },
      [](T x, T y) { return x >= y; },
      [](T x, T y) { return U(x) < U(y); },
      [](T x, T y) { return U(x) <= U(y); },
      [](T x, T y) { return U(x) > U(y); },
      [](T x, T y) { return U(x) >= U(y); },
  };
  std::string e = IntInfo<T>::name;
  std::string t = "tensor<" + std::to_string(kCount) + "x" + e + ">";
  std::string bt = "tensor<" + std::to_string(kCount) + "xi1>";
  std::string text = "func.func @main(%a: " + t + ", %b: " + t + ") -> (";
  for (int i = 0; i < 10; ++i)
    text += std::string(i ? ", " : "") + bt;
  text += ") {\n";
  for (int i = 0; i < 10; ++i)
    text += "  %c" + std::to_string(i) + " = arith.cmpi " + predicates[i] +
            ", %a, %b : " + t + "\n";
  text += "  return ";
  for (int i = 0; i < 10; ++i)
    text += std::string(i ? ", " : "") + "%c" + std::to_string(i);
  text += " : ";
  for (int i = 0; i < 10; ++i)
    text += std::string(i ? ", " : "") + bt;
  text += "\n}\n";

  InterpreterHarness harness;
  std::vector<rt::Tensor> outputs;
  ASSERT_TRUE(harness.run(
      text,
      {makeTensor(IntInfo<T>::dtype, a), makeTensor(IntInfo<T>::dtype, b)},
      outputs))
      << harness.diagnostics();
  for (int p = 0; p < 10; ++p) {
    ASSERT_EQ(outputs[p].dtype(), rt::DType::Bool);
    for (size_t i = 0; i < kCount; ++i)
      ASSERT_EQ(outputs[p].getAsInt(i), reference[p](a[i], b[i]) ? 1 : 0)
          << "cmpi " << predicates[p] << " " << int64_t(a[i]) << ", "
          << int64_t(b[i]);
  }
}

//===----------------------------------------------------------------------===//
// Conversions and narrow types
//===----------------------------------------------------------------------===//

TEST(IntegerConversionsTest, TruncAndExtMatchCpp) {
  std::vector<int32_t> a = randomValues<int32_t>(kCount, 6);
  const char *source = R"mlir(
#id = affine_map<(d0) -> (d0)>
func.func @main(%a: tensor<2000xi32>)
    -> (tensor<2000xi8>, tensor<2000xi16>, tensor<2000xi32>, tensor<2000xi32>,
        tensor<2000xi64>, tensor<2000xi64>, tensor<2000xi8>) {
  %t8 = arith.trunci %a : tensor<2000xi32> to tensor<2000xi8>
  %t16 = arith.trunci %a : tensor<2000xi32> to tensor<2000xi16>
  %s32 = arith.extsi %t8 : tensor<2000xi8> to tensor<2000xi32>
  %u32 = arith.extui %t16 : tensor<2000xi16> to tensor<2000xi32>
  %init64 = tensor.empty() : tensor<2000xi64>
  %init8 = tensor.empty() : tensor<2000xi8>
  %g:3 = linalg.generic {indexing_maps = [#id, #id, #id, #id],
                         iterator_types = ["parallel"]}
      ins(%a : tensor<2000xi32>)
      outs(%init64, %init64, %init8
           : tensor<2000xi64>, tensor<2000xi64>, tensor<2000xi8>) {
  ^bb0(%x: i32, %o0: i64, %o1: i64, %o2: i8):
    %s = arith.extsi %x : i32 to i64
    %u = arith.extui %x : i32 to i64
    %i = arith.index_cast %x : i32 to index
    %n = arith.index_cast %i : index to i8
    linalg.yield %s, %u, %n : i64, i64, i8
  } -> (tensor<2000xi64>, tensor<2000xi64>, tensor<2000xi8>)
  return %t8, %t16, %s32, %u32, %g#0, %g#1, %g#2
      : tensor<2000xi8>, tensor<2000xi16>, tensor<2000xi32>, tensor<2000xi32>,
        tensor<2000xi64>, tensor<2000xi64>, tensor<2000xi8>
}
)mlir";
  InterpreterHarness harness;
  std::vector<rt::Tensor> out;
  ASSERT_TRUE(harness.run(source, {makeTensor(rt::DType::I32, a)}, out))
      << harness.diagnostics();
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0].dtype(), rt::DType::I8);
  EXPECT_EQ(out[1].dtype(), rt::DType::I16);
  EXPECT_EQ(out[4].dtype(), rt::DType::I64);
  for (size_t i = 0; i < kCount; ++i) {
    int32_t v = a[i];
    ASSERT_EQ(out[0].getAsInt(i), static_cast<int8_t>(v)) << v;
    ASSERT_EQ(out[1].getAsInt(i), static_cast<int16_t>(v)) << v;
    ASSERT_EQ(out[2].getAsInt(i), static_cast<int8_t>(v)) << v;
    ASSERT_EQ(out[3].getAsInt(i), static_cast<uint16_t>(v)) << v;
    ASSERT_EQ(out[4].getAsInt(i), static_cast<int64_t>(v)) << v;
    ASSERT_EQ(out[5].getAsInt(i), static_cast<int64_t>(uint32_t(v))) << v;
    ASSERT_EQ(out[6].getAsInt(i), static_cast<int8_t>(v)) << v;
  }
}

TEST(IntegerConversionsTest, I1AndI4Semantics) {
  // i1: true extends to -1 signed and 1 unsigned, and i1 addition is xor.
  // i4 (held in bytes): arithmetic wraps at 4 bits, values stay
  // sign-extended in their byte.
  const char *source = R"mlir(
func.func @main(%p: tensor<4xi1>, %q: tensor<4xi1>, %a: tensor<4xi8>)
    -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xi8>,
        tensor<4xi8>) {
  %s = arith.extsi %p : tensor<4xi1> to tensor<4xi8>
  %u = arith.extui %p : tensor<4xi1> to tensor<4xi8>
  %x = arith.addi %p, %q : tensor<4xi1>
  %a4 = arith.trunci %a : tensor<4xi8> to tensor<4xi4>
  %seven = arith.constant dense<7> : tensor<4xi4>
  %sum = arith.addi %a4, %seven : tensor<4xi4>
  %sum8 = arith.extsi %sum : tensor<4xi4> to tensor<4xi8>
  %sum8u = arith.extui %sum : tensor<4xi4> to tensor<4xi8>
  %two = arith.constant dense<2> : tensor<4xi4>
  %ratio = arith.divsi %sum, %two : tensor<4xi4>
  %ratio8 = arith.extsi %ratio : tensor<4xi4> to tensor<4xi8>
  return %s, %u, %x, %sum8, %sum8u, %ratio8
      : tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xi8>,
        tensor<4xi8>
}
)mlir";
  InterpreterHarness harness;
  std::vector<rt::Tensor> out;
  ASSERT_TRUE(
      harness.run(source,
                  {makeTensor(rt::DType::Bool, std::vector<int>{0, 1, 1, 0}),
                   makeTensor(rt::DType::Bool, std::vector<int>{0, 1, 0, 1}),
                   makeTensor(rt::DType::I8, std::vector<int>{0, 1, -8, 0x35})},
                  out))
      << harness.diagnostics();
  std::vector<std::vector<int64_t>> expected = {
      {0, -1, -1, 0},
      {0, 1, 1, 0},
      {0, 0, 1, 1},
      // 0+7, 1+7 wraps to -8, -8+7, 5+7 wraps to -4.
      {7, -8, -1, -4},
      {7, 8, 15, 12},
      // Division rounds toward zero: 7/2, -8/2, -1/2, -4/2.
      {3, -4, 0, -2},
  };
  ASSERT_EQ(out.size(), expected.size());
  for (size_t r = 0; r < expected.size(); ++r)
    for (int64_t i = 0; i < 4; ++i)
      EXPECT_EQ(out[r].getAsInt(i), expected[r][i]) << "row " << r << " #" << i;
}

} // namespace
