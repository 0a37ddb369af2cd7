//===- NpyTest.cpp - Tests of Tensor and the .npy/.npz reader/writer ------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// Unit tests of qc/runtime/Tensor.h and qc/runtime/Npy.h: element access and
// conversions, .npy round trips over every dtype and ranks 0 to 5, .npy
// files built byte by byte for format versions 1.0, 2.0 and 3.0 (NEP 1),
// zip archives built byte by byte (PKWARE APPNOTE) with stored and deflated
// members, and every class of malformed input, which must produce a message
// naming the problem (never a crash: each mutated file is also parsed under
// the sanitizers when they are enabled). Files written by NumPy, and NumPy
// reading our files, are covered by test/Runtime/float-kernels-peer.test.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/Npy.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

using namespace qc::rt;

namespace {

using Bytes = std::vector<unsigned char>;

const DType kAllDTypes[] = {DType::F32, DType::F64, DType::I8,  DType::U8,
                            DType::I16, DType::I32, DType::I64, DType::Bool};

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

TEST(TensorTest, SizesNamesAndDescribe) {
  EXPECT_EQ(dtypeSize(DType::F32), 4u);
  EXPECT_EQ(dtypeSize(DType::F64), 8u);
  EXPECT_EQ(dtypeSize(DType::I8), 1u);
  EXPECT_EQ(dtypeSize(DType::U8), 1u);
  EXPECT_EQ(dtypeSize(DType::I16), 2u);
  EXPECT_EQ(dtypeSize(DType::I32), 4u);
  EXPECT_EQ(dtypeSize(DType::I64), 8u);
  EXPECT_EQ(dtypeSize(DType::Bool), 1u);
  EXPECT_STREQ(dtypeName(DType::U8), "u8");
  EXPECT_STREQ(dtypeName(DType::Bool), "bool");
  Tensor t(DType::F32, {1, 8, 8, 3});
  EXPECT_EQ(t.describe(), "f32[1x8x8x3]");
  EXPECT_EQ(t.numElements(), 192);
  EXPECT_EQ(t.byteSize(), 768u);
  EXPECT_EQ(Tensor(DType::I64, {}).describe(), "i64[]");
  EXPECT_EQ(Tensor(DType::I64, {}).numElements(), 1);
  EXPECT_EQ(Tensor(DType::I8, {2, 0}).byteSize(), 0u);
}

TEST(TensorTest, ShapeHelpers) {
  EXPECT_EQ(stridesOf({2, 3, 4}), (std::vector<int64_t>{12, 4, 1}));
  EXPECT_EQ(stridesOf({}), std::vector<int64_t>{});
  EXPECT_EQ(productOf({}), 1);
  EXPECT_EQ(productOf({2, 3, 4}), 24);
  int64_t p = -1;
  EXPECT_TRUE(checkedProductOf({5, 0, 7}, p));
  EXPECT_EQ(p, 0);
  EXPECT_FALSE(checkedProductOf({-1}, p));
  EXPECT_FALSE(checkedProductOf({int64_t(1) << 32, int64_t(1) << 32}, p));
  EXPECT_TRUE(checkedProductOf({int64_t(1) << 31, int64_t(1) << 31}, p));
}

TEST(TensorTest, GetAndSetEveryDtype) {
  for (DType dt : kAllDTypes) {
    SCOPED_TRACE(dtypeName(dt));
    Tensor t(dt, {3});
    t.setFromInt(0, 5);
    t.setFromDouble(1, 2.75);
    t.setFromInt(2, 0);
    EXPECT_EQ(t.getAsInt(0), dt == DType::Bool ? 1 : 5);
    bool isFloat = dt == DType::F32 || dt == DType::F64;
    EXPECT_EQ(t.getAsDouble(1), isFloat ? 2.75 : dt == DType::Bool ? 1.0 : 2.0);
    EXPECT_EQ(t.getAsInt(1), dt == DType::Bool ? 1 : 2);
    EXPECT_EQ(t.getAsDouble(2), 0.0);
  }
}

TEST(TensorTest, ConversionsSaturateOrWrapAsDocumented) {
  Tensor i8(DType::I8, {6});
  i8.setFromDouble(0, 300.0);
  i8.setFromDouble(1, -300.0);
  i8.setFromDouble(2, -2.9); // truncates toward zero
  i8.setFromDouble(3, std::nan(""));
  i8.setFromInt(4, 200); // wraps like a C cast
  i8.setFromDouble(5, std::numeric_limits<double>::infinity());
  EXPECT_EQ(i8.getAsInt(0), 127);
  EXPECT_EQ(i8.getAsInt(1), -128);
  EXPECT_EQ(i8.getAsInt(2), -2);
  EXPECT_EQ(i8.getAsInt(3), 0);
  EXPECT_EQ(i8.getAsInt(4), -56);
  EXPECT_EQ(i8.getAsInt(5), 127);

  Tensor i64(DType::I64, {2});
  i64.setFromDouble(0, 1e30);
  i64.setFromInt(1, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(i64.getAsInt(0), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(i64.getAsInt(1), std::numeric_limits<int64_t>::min());

  Tensor f32(DType::F32, {2});
  f32.setFromDouble(0, 1e300);
  f32.setFromDouble(1, 1e10);
  EXPECT_TRUE(std::isinf(f32.getAsDouble(0)));
  EXPECT_EQ(f32.getAsInt(1), 10000000000);
}

TEST(TensorTest, CastTo) {
  Tensor f(DType::F32, {2, 2});
  const float values[] = {-1.5f, 0.0f, 2.9f, 300.0f};
  for (int i = 0; i < 4; ++i)
    f.setFromDouble(i, values[i]);
  Tensor i = f.castTo(DType::I32);
  EXPECT_EQ(i.shape(), f.shape());
  EXPECT_EQ(i.getAsInt(0), -1);
  EXPECT_EQ(i.getAsInt(2), 2);
  EXPECT_EQ(i.castTo(DType::U8).getAsInt(3), 44);  // 300 wraps to 44
  EXPECT_EQ(f.castTo(DType::U8).getAsInt(3), 255); // float saturates
  Tensor b = f.castTo(DType::Bool);
  EXPECT_EQ(b.getAsInt(0), 1);
  EXPECT_EQ(b.getAsInt(1), 0);
  // int64 values survive a round trip through i64 exactly.
  Tensor big(DType::I64, {1});
  big.setFromInt(0, (int64_t(1) << 62) + 1);
  EXPECT_EQ(big.castTo(DType::I64).getAsInt(0), (int64_t(1) << 62) + 1);
  EXPECT_EQ(f.castTo(DType::F64).getAsDouble(0), -1.5);
}

TEST(TensorTest, Reshaped) {
  Tensor t(DType::I16, {2, 3});
  for (int i = 0; i < 6; ++i)
    t.setFromInt(i, i * 10);
  Tensor r = t.reshaped({3, 1, 2});
  EXPECT_EQ(r.describe(), "i16[3x1x2]");
  EXPECT_EQ(r.getAsInt(5), 50);
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

/// A tensor of `dtype` and `shape` with varied, dtype-covering values.
Tensor patterned(DType dtype, std::vector<int64_t> shape) {
  Tensor t(dtype, std::move(shape));
  for (int64_t i = 0; i < t.numElements(); ++i) {
    if (dtype == DType::F32 || dtype == DType::F64)
      t.setFromDouble(i, (static_cast<double>(i) - 7) / 3);
    else
      t.setFromInt(i, (i * 2654435761LL + 12345) ^ (i << 40));
  }
  return t;
}

bool sameTensor(const Tensor &a, const Tensor &b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         a.byteSize() == b.byteSize() &&
         std::equal(a.raw(), a.raw() + a.byteSize(), b.raw());
}

Tensor parseOrFail(const Bytes &bytes) {
  Tensor t;
  std::string error;
  EXPECT_TRUE(parseNpy(bytes.data(), bytes.size(), t, error)) << error;
  return t;
}

/// Parses `bytes`, expecting failure; returns the message.
std::string parseError(const Bytes &bytes) {
  Tensor t;
  std::string error;
  EXPECT_FALSE(parseNpy(bytes.data(), bytes.size(), t, error));
  EXPECT_FALSE(error.empty());
  return error;
}

TEST(NpyTest, RoundTripEveryDtypeAndRank) {
  const std::vector<std::vector<int64_t>> shapes = {
      {},        {0},       {7},          {2, 3},
      {2, 0, 3}, {3, 1, 4}, {1, 2, 3, 2}, {2, 1, 2, 1, 3}};
  for (DType dt : kAllDTypes)
    for (const auto &shape : shapes) {
      Tensor t = patterned(dt, shape);
      SCOPED_TRACE(t.describe());
      Bytes bytes = serializeNpy(t);
      Tensor back = parseOrFail(bytes);
      EXPECT_TRUE(sameTensor(t, back));
    }
}

TEST(NpyTest, WriterLayoutFollowsTheFormat) {
  Bytes bytes = serializeNpy(patterned(DType::F32, {3}));
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(std::memcmp(bytes.data(), "\x93NUMPY\x01\x00", 8), 0);
  size_t headerLen = bytes[8] | (bytes[9] << 8);
  size_t dataStart = 10 + headerLen;
  EXPECT_EQ(dataStart % 64, 0u); // aligned for memory mapping
  EXPECT_EQ(bytes[dataStart - 1], '\n');
  std::string header(bytes.begin() + 10, bytes.begin() + dataStart);
  EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, "
                         "'shape': (3,), }",
                         0),
            0u);
  EXPECT_EQ(bytes.size(), dataStart + 12);
  // Scalars and 1-byte types use NumPy's spellings.
  std::string scalar(reinterpret_cast<const char *>(
                         serializeNpy(patterned(DType::Bool, {})).data()),
                     64);
  EXPECT_NE(scalar.find("'descr': '|b1'"), std::string::npos);
  EXPECT_NE(scalar.find("'shape': ()"), std::string::npos);
}

TEST(NpyTest, BoolsAreWrittenAsZeroOrOne) {
  Tensor t(DType::Bool, {2});
  t.raw()[0] = 7;
  Bytes bytes = serializeNpy(t);
  EXPECT_EQ(bytes[bytes.size() - 2], 1);
  EXPECT_EQ(bytes.back(), 0);
}

TEST(NpyTest, LargeHeaderUsesVersion2) {
  // 30000 dimensions of size 1 make a header longer than 65535 bytes.
  Tensor t = patterned(DType::I16, std::vector<int64_t>(30000, 1));
  Bytes bytes = serializeNpy(t);
  EXPECT_EQ(bytes[6], 2);
  EXPECT_TRUE(sameTensor(parseOrFail(bytes), t));
}

/// A .npy file of format `major`.0 with `header` (padded to 64 bytes unless
/// `pad` is false) followed by `data`.
Bytes npyBytes(int major, std::string header, const Bytes &data,
               bool pad = true) {
  size_t prefix = major == 1 ? 10 : 12;
  if (pad) {
    header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
  }
  Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<unsigned char>(major),
               0};
  size_t n = header.size();
  for (size_t i = 0; i < prefix - 8; ++i)
    out.push_back(static_cast<unsigned char>(n >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

Bytes floatBytes(std::initializer_list<float> values) {
  Bytes out(values.size() * 4);
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

TEST(NpyTest, HandBuiltVersions1To3) {
  Bytes data = floatBytes({1.5f, -2.0f});
  for (int major : {1, 2, 3}) {
    SCOPED_TRACE(major);
    Tensor t = parseOrFail(npyBytes(
        major, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
        data));
    EXPECT_EQ(t.describe(), "f32[2]");
    EXPECT_EQ(t.getAsDouble(0), 1.5);
    EXPECT_EQ(t.getAsDouble(1), -2.0);
  }
}

TEST(NpyTest, HeaderSpellingVariants) {
  Bytes six = {1, 2, 3, 4, 5, 6};
  // Key order, quotes, spacing, no trailing comma, no padding, "L" suffix.
  const char *headers[] = {
      "{'shape': (2, 3), 'fortran_order': False, 'descr': '|u1'}",
      "{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": (2,3)}",
      "{ 'descr' : '|u1' ,\n 'fortran_order':False,'shape':( 2 , 3 , ) , }",
      "{'descr': '|u1', 'fortran_order': False, 'shape': (2L, 3L), }",
  };
  for (const char *h : headers) {
    SCOPED_TRACE(h);
    Tensor t = parseOrFail(npyBytes(1, h, six, /*pad=*/false));
    EXPECT_EQ(t.describe(), "u8[2x3]");
    EXPECT_EQ(t.getAsInt(5), 6);
  }
  // One-byte types accept every byte-order character.
  for (const char *d : {"|i1", "<i1", ">i1", "=i1"}) {
    std::string h = std::string("{'descr': '") + d +
                    "', 'fortran_order': False, 'shape': (1,), }";
    EXPECT_EQ(parseOrFail(npyBytes(1, h, {0xff})).getAsInt(0), -1) << d;
  }
  std::string h = "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }";
  EXPECT_EQ(parseOrFail(npyBytes(1, h, {1, 0})).describe(), "bool[2]");
}

TEST(NpyTest, ScalarAndEmptyShapes) {
  Bytes eight(8, 0);
  eight[0] = 42;
  Tensor s = parseOrFail(npyBytes(
      1, "{'descr': '<i8', 'fortran_order': False, 'shape': (), }", eight));
  EXPECT_EQ(s.rank(), 0);
  EXPECT_EQ(s.getAsInt(0), 42);
  Tensor e = parseOrFail(npyBytes(
      1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }", {}));
  EXPECT_EQ(e.describe(), "f64[0]");
}

/// A header dict with `descr` and `shape`.
std::string dict(const std::string &descr, const std::string &shape,
                 const std::string &fortran = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran +
         ", 'shape': " + shape + ", }";
}

TEST(NpyTest, MalformedInputsNameTheProblem) {
  Bytes four(4, 0);
  Bytes good = npyBytes(1, dict("<f4", "(1,)"), four);
  Bytes badMagic = good;
  badMagic[1] = 'X';
  Bytes badVersion = good;
  badVersion[6] = 4;
  Bytes badMinor = good;
  badMinor[7] = 1;
  Bytes longHeader = good;
  longHeader[9] = 0xff; // header length beyond the file
  Bytes longHeaderV2 = npyBytes(2, dict("<f4", "(1,)"), four);
  longHeaderV2[11] = 0x7f;
  struct Case {
    Bytes bytes;
    const char *phrase;
  } cases[] = {
      {{}, "truncated header"},
      {Bytes(good.begin(), good.begin() + 9), "truncated header"},
      {badMagic, "bad magic"},
      {badVersion, "unsupported .npy format version 4.0"},
      {badMinor, "unsupported .npy format version 1.1"},
      {longHeader, "header length"},
      {longHeaderV2, "extends beyond the end of the file"},
      {npyBytes(1, dict(">f4", "(1,)"), four),
       "unsupported dtype '>f4' (big-endian)"},
      {npyBytes(1, dict(">i8", "(1,)"), four),
       "unsupported dtype '>i8' (big-endian)"},
      {npyBytes(1, dict("|f4", "(1,)"), four), "unsupported dtype '|f4'"},
      {npyBytes(1, dict("<u2", "(1,)"), four), "unsupported dtype '<u2'"},
      {npyBytes(1, dict("<c8", "(1,)"), four), "unsupported dtype '<c8'"},
      {npyBytes(1, dict("O", "(1,)"), four), "unsupported dtype 'O'"},
      {npyBytes(1,
                "{'descr': [('a', '<f4')], 'fortran_order': False, "
                "'shape': (1,), }",
                four),
       "structured"},
      {npyBytes(1, dict("<f4", "(1,)", "True"), four), "fortran_order"},
      {npyBytes(1, dict("<f4", "(1,)", "'no'"), four),
       "'fortran_order' is not True or False"},
      {npyBytes(1, "{'descr': '<f4', 'fortran_order': False}", four),
       "missing key 'shape'"},
      {npyBytes(1, "{'descr': '<f4', 'shape': (1,)}", four),
       "missing key 'fortran_order'"},
      {npyBytes(1,
                "{'descr': '<f4', 'fortran_order': False, "
                "'shape': (1,), 'x': 'y'}",
                four),
       "unexpected key 'x'"},
      {npyBytes(1,
                "{'descr': '<f4', 'descr': '<f4', 'fortran_order': "
                "False, 'shape': (1,)}",
                four),
       "duplicate key 'descr'"},
      {npyBytes(1, "{'descr': '<f4' 'fortran_order': False}", four),
       "malformed header"},
      {npyBytes(1, "{'descr': '<f4, 'fortran_order': False}", four),
       "malformed header"},
      {npyBytes(1, "{'descr: '<f4'", four), "malformed header"},
      {npyBytes(1, "[1, 2]", four), "expected '{'"},
      {npyBytes(1, dict("<f4", "(1,)") + " x", four), "trailing characters"},
      {npyBytes(1, dict("<f4", "(1)"), four), "trailing comma"},
      {npyBytes(1, dict("<f4", "[1]"), four), "malformed header"},
      {npyBytes(1, dict("<f4", "'1'"), four), "'shape' is not a tuple"},
      {npyBytes(1, dict("<f4", "(-1,)"), four), "negative dimension"},
      {npyBytes(1, dict("<f4", "(1.5,)"), four), "malformed header"},
      {npyBytes(1, dict("<f4", "(99999999999999999999,)"), four),
       "does not fit"},
      {npyBytes(1, dict("<f4", "(4294967296, 4294967296)"), four), "overflows"},
      {npyBytes(1, dict("<f4", "(3037000499, 3037000499)"), four),
       "truncated data"},
      {npyBytes(1, dict("<f4", "(2,)"), four), "truncated data"},
      {npyBytes(1, dict("<f4", "(2, 3)"), floatBytes({1, 2, 3, 4, 5})),
       "truncated data"},
      {npyBytes(1, dict("<f4", "()"), Bytes(5, 0)), "data size mismatch"},
      {npyBytes(1, dict("<f4", "(0,)"), four), "data size mismatch"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.phrase);
    std::string error = parseError(c.bytes);
    EXPECT_NE(error.find(c.phrase), std::string::npos) << error;
  }
}

TEST(NpyTest, EveryTruncationAndByteFlipIsRejectedOrParsedSafely) {
  Bytes good = serializeNpy(patterned(DType::I32, {2, 3}));
  for (size_t n = 0; n < good.size(); ++n) {
    Bytes cut(good.begin(), good.begin() + n);
    Tensor t;
    std::string error;
    EXPECT_FALSE(parseNpy(cut.data(), cut.size(), t, error)) << n;
  }
  // Flipped bytes must never crash; most of them are errors.
  for (size_t i = 0; i < good.size(); ++i) {
    Bytes flipped = good;
    flipped[i] ^= 0x5a;
    Tensor t;
    std::string error;
    if (!parseNpy(flipped.data(), flipped.size(), t, error))
      EXPECT_FALSE(error.empty());
    else
      EXPECT_EQ(t.describe(), "i32[2x3]"); // only the data changed
  }
}

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "qc_npytest_" + name;
}

TEST(NpyTest, FileReadWrite) {
  std::string path = tempPath("a.npy");
  Tensor t = patterned(DType::F64, {2, 2});
  std::string error;
  ASSERT_TRUE(writeNpy(path, t, error)) << error;
  Tensor back;
  ASSERT_TRUE(readNpy(path, back, error)) << error;
  EXPECT_TRUE(sameTensor(t, back));
  std::remove(path.c_str());

  EXPECT_FALSE(readNpy(tempPath("missing.npy"), back, error));
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
  EXPECT_FALSE(writeNpy("/nonexistent-dir/x.npy", t, error));
  EXPECT_NE(error.find("cannot create"), std::string::npos) << error;
  // A malformed file's message names the file.
  std::FILE *f = std::fopen(path.c_str(), "wb");
  ASSERT_TRUE(f);
  std::fputs("not numpy", f);
  std::fclose(f);
  EXPECT_FALSE(readNpy(path, back, error));
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("bad magic"), std::string::npos) << error;
  std::remove(path.c_str());
}

//===----------------------------------------------------------------------===//
// .npz
//===----------------------------------------------------------------------===//

/// Bitwise CRC-32 (the zip polynomial), independent of the code under test.
uint32_t referenceCrc32(const Bytes &data) {
  uint32_t crc = 0xffffffffu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

void put16(Bytes &out, uint32_t v) {
  out.push_back(v & 0xff);
  out.push_back((v >> 8) & 0xff);
}
void put32(Bytes &out, uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}

/// One member of a hand-built zip archive.
struct Member {
  Member(std::string name, Bytes content, uint16_t method = 0)
      : name(std::move(name)), content(std::move(content)), method(method) {}
  std::string name;
  Bytes content; // uncompressed
  uint16_t method = 0;
  Bytes payload;    // what is stored; defaults to `content`
  Bytes localExtra; // e.g. a zip64 extra field, as np.savez writes
};

/// A zip archive written by hand from APPNOTE, independent of writeNpz.
/// Local headers carry 0xFFFFFFFF sizes when `localExtra` is set, like
/// Python's zipfile with force_zip64.
Bytes buildZip(const std::vector<Member> &members,
               const std::string &comment = "") {
  Bytes out, cd;
  for (const Member &m : members) {
    const Bytes &payload = m.payload.empty() ? m.content : m.payload;
    uint32_t crc = referenceCrc32(m.content);
    uint32_t offset = static_cast<uint32_t>(out.size());
    bool zip64 = !m.localExtra.empty();
    put32(out, 0x04034b50);
    put16(out, zip64 ? 45 : 20);
    put16(out, 0);
    put16(out, m.method);
    put32(out, 0);
    put32(out, crc);
    put32(out, zip64 ? 0xffffffffu : payload.size());
    put32(out, zip64 ? 0xffffffffu : m.content.size());
    put16(out, m.name.size());
    put16(out, m.localExtra.size());
    out.insert(out.end(), m.name.begin(), m.name.end());
    out.insert(out.end(), m.localExtra.begin(), m.localExtra.end());
    out.insert(out.end(), payload.begin(), payload.end());

    put32(cd, 0x02014b50);
    put16(cd, 20);
    put16(cd, 20);
    put16(cd, 0);
    put16(cd, m.method);
    put32(cd, 0);
    put32(cd, crc);
    put32(cd, payload.size());
    put32(cd, m.content.size());
    put16(cd, m.name.size());
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, 0);
    put16(cd, 0);
    put32(cd, 0);
    put32(cd, offset);
    cd.insert(cd.end(), m.name.begin(), m.name.end());
  }
  uint32_t cdOffset = static_cast<uint32_t>(out.size());
  out.insert(out.end(), cd.begin(), cd.end());
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, members.size());
  put16(out, members.size());
  put32(out, cd.size());
  put32(out, cdOffset);
  put16(out, comment.size());
  out.insert(out.end(), comment.begin(), comment.end());
  return out;
}

/// A raw deflate stream made of "stored" blocks (RFC 1951 section 3.2.4):
/// valid input for any inflater, no compressor needed.
Bytes storedDeflate(const Bytes &data, size_t blockSize = 100) {
  Bytes out;
  size_t pos = 0;
  do {
    size_t n = std::min(blockSize, data.size() - pos);
    bool last = pos + n == data.size();
    out.push_back(last ? 1 : 0); // BFINAL, BTYPE = 00
    put16(out, n);
    put16(out, ~n & 0xffff);
    out.insert(out.end(), data.begin() + pos, data.begin() + pos + n);
    pos += n;
  } while (pos < data.size());
  return out;
}

void writeBytes(const std::string &path, const Bytes &bytes) {
  std::FILE *f = std::fopen(path.c_str(), "wb");
  ASSERT_TRUE(f);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

Bytes readBytes(const std::string &path) {
  Bytes out;
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return out;
  int c;
  while ((c = std::fgetc(f)) != EOF)
    out.push_back(static_cast<unsigned char>(c));
  std::fclose(f);
  return out;
}

using Arrays = std::vector<std::pair<std::string, Tensor>>;

/// Reads the archive `bytes` through a temporary file.
bool readNpzBytes(const Bytes &bytes, Arrays &arrays, std::string &error) {
  std::string path = tempPath("archive.npz");
  writeBytes(path, bytes);
  bool ok = readNpz(path, arrays, error);
  std::remove(path.c_str());
  return ok;
}

std::string npzError(const Bytes &bytes) {
  Arrays arrays;
  std::string error;
  EXPECT_FALSE(readNpzBytes(bytes, arrays, error));
  return error;
}

TEST(NpzTest, WriteThenReadKeepsNamesOrderAndValues) {
  Arrays arrays = {{"weight", patterned(DType::F32, {2, 3})},
                   {"arr_0", patterned(DType::I8, {4})},
                   {"scalar", patterned(DType::I64, {})},
                   {"empty", patterned(DType::U8, {0, 2})}};
  std::string path = tempPath("rt.npz"), error;
  ASSERT_TRUE(writeNpz(path, arrays, error)) << error;
  Arrays back;
  ASSERT_TRUE(readNpz(path, back, error)) << error;
  ASSERT_EQ(back.size(), arrays.size());
  for (size_t i = 0; i < arrays.size(); ++i) {
    EXPECT_EQ(back[i].first, arrays[i].first);
    EXPECT_TRUE(sameTensor(back[i].second, arrays[i].second));
  }
  // Walk the local headers by hand: stored members holding exactly
  // serializeNpy's bytes, with CRCs from an independent implementation.
  Bytes zip = readBytes(path);
  size_t p = 0;
  for (const auto &[name, t] : arrays) {
    ASSERT_LE(p + 30, zip.size());
    auto at16 = [&](size_t o) { return size_t(zip[o] | (zip[o + 1] << 8)); };
    auto at32 = [&](size_t o) { return at16(o) | (at16(o + 2) << 16); };
    EXPECT_EQ(at32(p), 0x04034b50u);
    EXPECT_EQ(at16(p + 8), 0u); // stored
    Bytes npy = serializeNpy(t);
    EXPECT_EQ(at32(p + 14), referenceCrc32(npy));
    EXPECT_EQ(at32(p + 18), npy.size());
    size_t nameLen = at16(p + 26), data = p + 30 + nameLen + at16(p + 28);
    EXPECT_EQ(std::string(zip.begin() + p + 30, zip.begin() + p + 30 + nameLen),
              name + ".npy");
    ASSERT_LE(data + npy.size(), zip.size());
    EXPECT_TRUE(std::equal(npy.begin(), npy.end(), zip.begin() + data));
    p = data + npy.size();
  }
  EXPECT_EQ(zip[zip.size() - 22], 'P');
  EXPECT_EQ(zip[zip.size() - 12], arrays.size()); // total entries
  std::remove(path.c_str());

  EXPECT_FALSE(writeNpz(
      path, {{"a", arrays[0].second}, {"a", arrays[1].second}}, error));
  EXPECT_NE(error.find("duplicate"), std::string::npos) << error;
}

TEST(NpzTest, EmptyArchive) {
  Arrays arrays;
  std::string error;
  ASSERT_TRUE(readNpzBytes(buildZip({}), arrays, error)) << error;
  EXPECT_TRUE(arrays.empty());
}

TEST(NpzTest, ReadsStoredAndDeflatedMembersWithZip64LocalExtra) {
  Tensor a = patterned(DType::F32, {3, 5, 7});
  Tensor b = patterned(DType::I16, {4});
  Member stored{"a.npy", serializeNpy(a)};
  Member deflated{"dir/b.npy", serializeNpy(b), 8};
  deflated.payload = storedDeflate(deflated.content, 50);
  // np.savez forces a zip64 extra field (id 1, two 8-byte sizes) into each
  // local header; only the central directory's sizes are authoritative.
  Bytes extra;
  put16(extra, 1);
  put16(extra, 16);
  for (int i = 0; i < 16; ++i)
    extra.push_back(i < 2 ? 0x40 : 0);
  stored.localExtra = extra;
  deflated.localExtra = extra;
  Arrays arrays;
  std::string error;
  ASSERT_TRUE(readNpzBytes(buildZip({stored, deflated}), arrays, error))
      << error;
  ASSERT_EQ(arrays.size(), 2u);
  EXPECT_EQ(arrays[0].first, "a");
  EXPECT_TRUE(sameTensor(arrays[0].second, a));
  EXPECT_EQ(arrays[1].first, "dir/b");
  EXPECT_TRUE(sameTensor(arrays[1].second, b));
}

TEST(NpzTest, ArchiveComments) {
  Member m{"x.npy", serializeNpy(patterned(DType::U8, {3}))};
  Arrays arrays;
  std::string error;
  EXPECT_TRUE(readNpzBytes(buildZip({m}, "a trailing comment"), arrays, error))
      << error;
  // A comment that contains an end-record signature must not be mistaken
  // for the record.
  std::string tricky = std::string("PK\x05\x06", 4) + std::string(30, 'z');
  EXPECT_TRUE(readNpzBytes(buildZip({m}, tricky), arrays, error)) << error;
  EXPECT_TRUE(
      readNpzBytes(buildZip({m}, std::string(65535, 'c')), arrays, error))
      << error;
  EXPECT_EQ(arrays.size(), 1u);
}

/// Offset of the end-of-central-directory record of a comment-less archive.
size_t eocdOf(const Bytes &zip) { return zip.size() - 22; }
/// Offset of the first central directory entry.
size_t firstCentralEntry(const Bytes &zip) {
  size_t e = eocdOf(zip);
  return zip[e + 16] | (zip[e + 17] << 8) | (zip[e + 18] << 16) |
         (size_t(zip[e + 19]) << 24);
}

TEST(NpzTest, MalformedArchivesNameTheProblem) {
  Bytes npy = serializeNpy(patterned(DType::F32, {2}));
  Bytes good = buildZip({{"a.npy", npy}});
  auto patched = [&](size_t offset, std::initializer_list<unsigned char> b) {
    Bytes z = good;
    size_t i = offset;
    for (unsigned char v : b)
      z[i++] = v;
    return z;
  };
  size_t e = eocdOf(good), c = firstCentralEntry(good);
  Bytes corrupt = good;
  corrupt[40] ^= 1; // inside the member's data
  Member deflated{"d.npy", npy, 8};
  deflated.payload = storedDeflate(npy);
  Bytes badDeflate = buildZip({deflated});
  badDeflate[30 + 5 + 3] ^= 0xff; // NLEN no longer complements LEN
  Member truncatedDeflate = deflated;
  truncatedDeflate.payload.resize(deflated.payload.size() - 10);
  Member shortDeflate = deflated;
  shortDeflate.content.push_back(0); // declares one byte more than inflates
  Member longDeflate = deflated;
  Bytes longer = npy;
  longer.push_back(0);
  longDeflate.payload = storedDeflate(longer); // inflates one byte too many
  Member huge = deflated;
  huge.content = Bytes(200000, 0);
  huge.payload = Bytes(10, 0);
  Member text{"notes.txt", {'h', 'i'}};
  Member badNpy{"b.npy", {'x'}};

  struct Case {
    Bytes bytes;
    const char *phrase;
  } cases[] = {
      {{}, "end-of-central-directory"},
      {Bytes(good.begin(), good.end() - 5), "end-of-central-directory"},
      {Bytes(good.begin() + 10, good.end()), "central directory"},
      {npy, "end-of-central-directory"},
      {corrupt, "CRC-32 mismatch"},
      {patched(e + 16, {0xff, 0xff, 0xff, 0xff}), "zip64"},
      {patched(e + 10, {0xff, 0xff}), "zip64"},
      {patched(c + 20, {0xff, 0xff, 0xff, 0xff}), "zip64"},
      {patched(e + 4, {1}), "multi-disk"},
      {patched(e + 12, {0xff, 0xff}), "central directory"},
      {patched(c, {'X'}), "corrupt central directory entry"},
      {patched(c + 28, {0xff}), "truncated central directory entry"},
      {patched(c + 8, {1}), "encrypted"},
      {patched(c + 10, {12}), "unsupported compression method 12"},
      {patched(c + 24, {0xff}), "different compressed and uncompressed"},
      {patched(c + 42, {0x10}), "bad local header offset"},
      {patched(0, {'X'}), "bad local header offset"},
      {patched(28, {0xff, 0xff}), "truncated member data"},
      {badDeflate, "corrupt deflate stream"},
      {buildZip({truncatedDeflate}), "truncated deflate stream"},
      {buildZip({shortDeflate}), "the archive declares"},
      {buildZip({longDeflate}), "exceeds the declared size"},
      {buildZip({huge}), "impossible"},
      {buildZip({text}), "'notes.txt' is not a .npy file"},
      {buildZip({badNpy}), "member 'b.npy': truncated header"},
  };
  for (const Case &k : cases) {
    SCOPED_TRACE(k.phrase);
    std::string error = npzError(k.bytes);
    EXPECT_NE(error.find(k.phrase), std::string::npos) << error;
  }
  Arrays arrays;
  std::string error;
  EXPECT_FALSE(readNpz(tempPath("missing.npz"), arrays, error));
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

TEST(NpzTest, EveryTruncationAndByteFlipIsSafe) {
  Bytes good = buildZip({{"a.npy", serializeNpy(patterned(DType::I8, {9}))},
                         {"b.npy", serializeNpy(patterned(DType::F64, {2}))}});
  std::string path = tempPath("cut.npz");
  for (size_t n = 0; n < good.size(); ++n) {
    writeBytes(path, Bytes(good.begin(), good.begin() + n));
    Arrays arrays;
    std::string error;
    EXPECT_FALSE(readNpz(path, arrays, error)) << n;
  }
  // A flipped byte may land in a field nobody checks (a timestamp), but
  // must never crash, and a failure always says why.
  for (size_t i = 0; i < good.size(); ++i) {
    Bytes flipped = good;
    flipped[i] ^= 0xa5;
    writeBytes(path, flipped);
    Arrays arrays;
    std::string error;
    if (!readNpz(path, arrays, error)) {
      EXPECT_FALSE(error.empty()) << i;
    }
  }
  std::remove(path.c_str());
}

} // namespace
