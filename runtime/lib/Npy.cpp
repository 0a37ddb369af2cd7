//===- Npy.cpp - NumPy .npy / .npz reader and writer ----------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//
//
// This file reads and writes NumPy's .npy files and .npz archives. It is our
// own implementation, written from the format specifications:
//
// - .npy (NumPy Enhancement Proposal 1, restated in the docstring of
//   numpy/lib/format.py): the magic "\x93NUMPY", a major and a minor version
//   byte, a little-endian header length (2 bytes in version 1.0, 4 bytes in
//   2.0 and 3.0), then the header: the repr() of a Python dict with the keys
//   'descr', 'fortran_order' and 'shape', padded with spaces and a final
//   newline. Version 3.0 only changes the header encoding (UTF-8 instead of
//   latin-1), which does not matter for the ASCII subset accepted here. The
//   raw element data follows the header.
// - .npz: a zip archive (PKWARE APPNOTE.TXT) with one .npy member per array.
//   The central directory, found through the end-of-central-directory
//   record, is the authority for member sizes, offsets and CRCs: np.savez
//   forces zip64 extra fields into the local headers (whose 32-bit size
//   fields then read 0xFFFFFFFF), while the central directory keeps plain
//   32-bit sizes for members under 4 GiB. Members are stored (method 0) or
//   deflated (method 8, np.savez_compressed), inflated with zlib's raw mode.
//
// Every length read from the input is checked against the bytes that remain
// before it is used, so that a malformed file yields a message and never an
// out-of-bounds read. The header dict is parsed by a small recursive-descent
// parser of the Python literal subset NumPy writes, never evaluated.
//
//===----------------------------------------------------------------------===//

#include "qc/runtime/Npy.h"

#define ZLIB_CONST
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .npy reader copies little-endian data verbatim"
#endif

namespace qc::rt {

//===----------------------------------------------------------------------===//
// Byte helpers
//===----------------------------------------------------------------------===//

static uint16_t readLE16(const unsigned char *p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

static uint32_t readLE32(const unsigned char *p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}

static void appendLE16(std::vector<unsigned char> &out, uint32_t v) {
  out.push_back(static_cast<unsigned char>(v & 0xff));
  out.push_back(static_cast<unsigned char>((v >> 8) & 0xff));
}

static void appendLE32(std::vector<unsigned char> &out, uint32_t v) {
  appendLE16(out, v & 0xffff);
  appendLE16(out, v >> 16);
}

static bool readFile(const std::string &path, std::vector<unsigned char> &bytes,
                     std::string &error) {
  std::FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  bytes.clear();
  unsigned char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0)
    bytes.insert(bytes.end(), buffer, buffer + n);
  bool failed = std::ferror(f) != 0;
  int savedErrno = errno;
  std::fclose(f);
  if (failed) {
    error = "cannot read '" + path + "': " + std::strerror(savedErrno);
    return false;
  }
  return true;
}

static bool writeFile(const std::string &path,
                      const std::vector<unsigned char> &bytes,
                      std::string &error) {
  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) {
    error = "cannot create '" + path + "': " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  int savedErrno = errno;
  // fclose flushes: a full disk may only show up here.
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  if (!ok)
    error = "cannot write '" + path + "': " + std::strerror(savedErrno);
  return ok;
}

//===----------------------------------------------------------------------===//
// .npy header dict
//===----------------------------------------------------------------------===//

namespace {

/// The three values of a .npy header dict.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

/// Recursive-descent parser of the Python literal subset that NumPy writes
/// as a .npy header: a dict of string keys whose values are strings,
/// True/False, or tuples of non-negative integers.
class HeaderParser {
public:
  HeaderParser(const char *text, const char *textEnd, std::string &error)
      : begin(text), cur(text), end(textEnd), error(error) {}

  bool parse(NpyHeader &header);

private:
  enum class Kind { String, Bool, Tuple };
  struct Value {
    Kind kind = Kind::String;
    std::string str;
    bool boolean = false;
    std::vector<int64_t> tuple;
  };

  void skipSpace() {
    while (cur != end &&
           (*cur == ' ' || *cur == '\t' || *cur == '\n' || *cur == '\r'))
      ++cur;
  }
  bool consume(char c) {
    skipSpace();
    if (cur == end || *cur != c)
      return false;
    ++cur;
    return true;
  }
  bool fail(const std::string &what) {
    error = "malformed header: " + what + " at offset " +
            std::to_string(cur - begin);
    return false;
  }
  bool startsWith(const char *word) const {
    size_t n = std::strlen(word);
    return static_cast<size_t>(end - cur) >= n &&
           std::memcmp(cur, word, n) == 0;
  }

  bool parseString(std::string &s);
  bool parseInteger(int64_t &v);
  bool parseTuple(std::vector<int64_t> &tuple);
  bool parseValue(const std::string &key, Value &value);
  bool store(const std::string &key, const Value &value, NpyHeader &header);

  const char *begin;
  const char *cur;
  const char *end;
  std::string &error;
  std::set<std::string> seen;
};

} // namespace

bool HeaderParser::parseString(std::string &s) {
  skipSpace();
  if (cur == end || (*cur != '\'' && *cur != '"'))
    return fail("expected a string");
  char quote = *cur++;
  const char *start = cur;
  while (cur != end && *cur != quote) {
    // NumPy's keys and type strings never need escapes.
    if (*cur == '\\' || *cur == '\n')
      return fail("unsupported character in string");
    ++cur;
  }
  if (cur == end)
    return fail("unterminated string");
  s.assign(start, cur);
  ++cur;
  return true;
}

bool HeaderParser::parseInteger(int64_t &v) {
  skipSpace();
  if (cur != end && *cur == '-')
    return fail("negative dimension");
  if (cur == end || *cur < '0' || *cur > '9')
    return fail("expected an integer");
  v = 0;
  while (cur != end && *cur >= '0' && *cur <= '9') {
    if (__builtin_mul_overflow(v, 10, &v) ||
        __builtin_add_overflow(v, *cur - '0', &v))
      return fail("dimension does not fit in 64 bits");
    ++cur;
  }
  // Python 2 wrote long integers as "3L".
  if (cur != end && (*cur == 'L' || *cur == 'l'))
    ++cur;
  return true;
}

bool HeaderParser::parseTuple(std::vector<int64_t> &tuple) {
  // The caller has consumed '('. A 1-tuple needs its trailing comma: "(3)"
  // is the integer 3 in Python, and NumPy rejects it as a shape.
  tuple.clear();
  if (consume(')'))
    return true;
  bool sawComma = false;
  for (;;) {
    int64_t v;
    if (!parseInteger(v))
      return false;
    tuple.push_back(v);
    if (consume(')'))
      break;
    if (!consume(','))
      return fail("expected ',' or ')' in shape tuple");
    sawComma = true;
    if (consume(')'))
      break;
  }
  if (tuple.size() == 1 && !sawComma)
    return fail("shape is not a tuple (a 1-tuple needs a trailing comma)");
  return true;
}

bool HeaderParser::parseValue(const std::string &key, Value &value) {
  skipSpace();
  if (cur == end)
    return fail("expected a value");
  if (*cur == '\'' || *cur == '"') {
    value.kind = Kind::String;
    return parseString(value.str);
  }
  if (*cur == '(') {
    ++cur;
    value.kind = Kind::Tuple;
    return parseTuple(value.tuple);
  }
  if (startsWith("True") || startsWith("False")) {
    value.kind = Kind::Bool;
    value.boolean = *cur == 'T';
    cur += value.boolean ? 4 : 5;
    return true;
  }
  // A list descr describes a structured (record) dtype.
  if (key == "descr" && *cur == '[') {
    error = "unsupported dtype: structured (record) arrays are not supported";
    return false;
  }
  return fail("unsupported value for key '" + key + "'");
}

bool HeaderParser::store(const std::string &key, const Value &value,
                         NpyHeader &header) {
  if (!seen.insert(key).second)
    return fail("duplicate key '" + key + "'");
  if (key == "descr") {
    if (value.kind != Kind::String)
      return fail("'descr' is not a string");
    header.descr = value.str;
  } else if (key == "fortran_order") {
    if (value.kind != Kind::Bool)
      return fail("'fortran_order' is not True or False");
    header.fortranOrder = value.boolean;
  } else if (key == "shape") {
    if (value.kind != Kind::Tuple)
      return fail("'shape' is not a tuple");
    header.shape = value.tuple;
  } else {
    return fail("unexpected key '" + key + "'");
  }
  return true;
}

bool HeaderParser::parse(NpyHeader &header) {
  if (!consume('{'))
    return fail("expected '{'");
  while (!consume('}')) {
    std::string key;
    Value value;
    if (!parseString(key))
      return false;
    if (!consume(':'))
      return fail("expected ':' after key '" + key + "'");
    if (!parseValue(key, value) || !store(key, value, header))
      return false;
    // Entries are separated by commas; NumPy also ends with one.
    if (!consume(',')) {
      if (!consume('}'))
        return fail("expected ',' or '}'");
      break;
    }
  }
  skipSpace();
  if (cur != end)
    return fail("trailing characters after the dict");
  for (const char *key : {"descr", "fortran_order", "shape"})
    if (!seen.count(key)) {
      error = std::string("malformed header: missing key '") + key + "'";
      return false;
    }
  return true;
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

static const unsigned char kNpyMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/// The type string NumPy writes for `dtype` on a little-endian machine.
static const char *descrOf(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "<f4";
  case DType::F64:
    return "<f8";
  case DType::I8:
    return "|i1";
  case DType::U8:
    return "|u1";
  case DType::I16:
    return "<i2";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  case DType::Bool:
    return "|b1";
  }
  return "";
}

/// Maps a type string to a dtype. One-byte types ignore the byte-order
/// character (NumPy writes '|', but '<', '>' and '=' mean the same there);
/// wider types must be little-endian.
static bool parseDescr(const std::string &descr, DType &dtype,
                       std::string &error) {
  static const struct {
    const char *code;
    DType dtype;
  } kTypes[] = {{"f4", DType::F32}, {"f8", DType::F64}, {"i1", DType::I8},
                {"u1", DType::U8},  {"i2", DType::I16}, {"i4", DType::I32},
                {"i8", DType::I64}, {"b1", DType::Bool}};
  std::string prefix = "unsupported dtype '" + descr + "'";
  if (descr.size() == 3 && std::strchr("<>|=", descr[0])) {
    std::string code = descr.substr(1);
    for (const auto &t : kTypes) {
      if (code != t.code)
        continue;
      if (dtypeSize(t.dtype) == 1 || descr[0] == '<') {
        dtype = t.dtype;
        return true;
      }
      error = prefix +
              (descr[0] == '>' ? " (big-endian)" : " (byte order must be '<')");
      return false;
    }
  }
  error = prefix + " (supported: <f4 <f8 |i1 |u1 <i2 <i4 <i8 |b1)";
  return false;
}

static std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ',';
  return s + ")";
}

/// Splits the file into header text and data: checks the magic, the
/// version and that the header length lies inside the file.
static bool splitNpy(const unsigned char *data, size_t size,
                     const char *&header, size_t &headerLen, size_t &dataOffset,
                     std::string &error) {
  if (size < 8) {
    error = "truncated header: " + std::to_string(size) +
            " bytes is too short for a .npy file";
    return false;
  }
  if (std::memcmp(data, kNpyMagic, sizeof(kNpyMagic)) != 0) {
    error = "bad magic string: not a .npy file";
    return false;
  }
  unsigned major = data[6], minor = data[7];
  if (major < 1 || major > 3 || minor != 0) {
    error = "unsupported .npy format version " + std::to_string(major) + "." +
            std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)";
    return false;
  }
  size_t prefix = major == 1 ? 10 : 12;
  if (size < prefix) {
    error = "truncated header: no room for the header length";
    return false;
  }
  headerLen = major == 1 ? readLE16(data + 8) : readLE32(data + 8);
  if (headerLen > size - prefix) {
    error = "header length " + std::to_string(headerLen) +
            " extends beyond the end of the file (" + std::to_string(size) +
            " bytes)";
    return false;
  }
  header = reinterpret_cast<const char *>(data + prefix);
  dataOffset = prefix + headerLen;
  return true;
}

bool parseNpy(const unsigned char *data, size_t size, Tensor &out,
              std::string &error) {
  const char *headerText;
  size_t headerLen, dataOffset;
  if (!splitNpy(data, size, headerText, headerLen, dataOffset, error))
    return false;
  NpyHeader header;
  HeaderParser parser(headerText, headerText + headerLen, error);
  DType dtype;
  if (!parser.parse(header) || !parseDescr(header.descr, dtype, error))
    return false;
  if (header.fortranOrder) {
    error = "fortran_order arrays are not supported (C order only)";
    return false;
  }
  int64_t count;
  if (!checkedProductOf(header.shape, count)) {
    error =
        "element count of shape " + shapeString(header.shape) + " overflows";
    return false;
  }
  size_t available = size - dataOffset;
  size_t elemSize = dtypeSize(dtype);
  // Compare element counts first so that count * elemSize cannot overflow.
  if (static_cast<uint64_t>(count) > available / elemSize) {
    error = "truncated data: shape " + shapeString(header.shape) + " of " +
            header.descr + " needs more than the " + std::to_string(available) +
            " data bytes present";
    return false;
  }
  size_t needed = static_cast<size_t>(count) * elemSize;
  if (needed != available) {
    error = "data size mismatch: shape " + shapeString(header.shape) +
            " needs " + std::to_string(needed) + " bytes, file has " +
            std::to_string(available);
    return false;
  }
  out = Tensor(dtype, header.shape);
  if (needed)
    std::memcpy(out.raw(), data + dataOffset, needed);
  return true;
}

bool readNpy(const std::string &path, Tensor &out, std::string &error) {
  std::vector<unsigned char> bytes;
  if (!readFile(path, bytes, error))
    return false;
  if (!parseNpy(bytes.data(), bytes.size(), out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

/// Header dict padded with spaces and a newline so that the data starts at
/// a multiple of 64 bytes, as format.py does (for aligned memory mapping).
static std::string paddedHeader(const Tensor &tensor, size_t prefixLen) {
  std::string header =
      std::string("{'descr': '") + descrOf(tensor.dtype()) +
      "', 'fortran_order': False, 'shape': " + shapeString(tensor.shape()) +
      ", }";
  size_t unpadded = prefixLen + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  return header;
}

std::vector<unsigned char> serializeNpy(const Tensor &tensor) {
  // Version 1.0 unless the header length does not fit its 16-bit field.
  std::string header = paddedHeader(tensor, 10);
  bool v2 = header.size() > 0xffff;
  if (v2)
    header = paddedHeader(tensor, 12);
  std::vector<unsigned char> out(kNpyMagic, kNpyMagic + sizeof(kNpyMagic));
  out.push_back(v2 ? 2 : 1);
  out.push_back(0);
  if (v2)
    appendLE32(out, static_cast<uint32_t>(header.size()));
  else
    appendLE16(out, static_cast<uint32_t>(header.size()));
  out.insert(out.end(), header.begin(), header.end());
  size_t dataStart = out.size();
  out.insert(out.end(), tensor.raw(), tensor.raw() + tensor.byteSize());
  // NumPy expects bools to be 0 or 1.
  if (tensor.dtype() == DType::Bool)
    for (size_t i = dataStart; i < out.size(); ++i)
      out[i] = out[i] != 0;
  return out;
}

bool writeNpy(const std::string &path, const Tensor &tensor,
              std::string &error) {
  return writeFile(path, serializeNpy(tensor), error);
}

//===----------------------------------------------------------------------===//
// .npz (zip, PKWARE APPNOTE.TXT sections 4.3.7, 4.3.12 and 4.3.16)
//===----------------------------------------------------------------------===//

static constexpr uint32_t kLocalHeaderSig = 0x04034b50;
static constexpr uint32_t kCentralHeaderSig = 0x02014b50;
static constexpr uint32_t kEndOfCentralDirSig = 0x06054b50;
static constexpr size_t kLocalHeaderSize = 30;
static constexpr size_t kCentralHeaderSize = 46;
static constexpr size_t kEndOfCentralDirSize = 22;
static constexpr uint32_t kMethodStored = 0;
static constexpr uint32_t kMethodDeflated = 8;
/// 1980-01-01 00:00:00 in MS-DOS format: fixed, so output is reproducible.
static constexpr uint32_t kDosDate = (1 << 5) | 1;

static const char *const kZip64Message = "zip64 archives are not supported";

namespace {
/// One member as described by the central directory.
struct ZipMember {
  std::string name;
  uint32_t method = 0;
  uint32_t crc = 0;
  uint32_t compressedSize = 0;
  uint32_t uncompressedSize = 0;
  uint32_t localHeaderOffset = 0;
};
} // namespace

/// Finds the end-of-central-directory record. It is the last 22 bytes of the
/// archive unless the archive has a comment (at most 65535 bytes), so scan
/// backwards and accept a signature whose comment length reaches exactly to
/// the end of the file (a signature-like byte run inside a comment does
/// not).
static bool findEndOfCentralDir(const unsigned char *data, size_t size,
                                size_t &pos, std::string &error) {
  if (size >= kEndOfCentralDirSize) {
    size_t last = size - kEndOfCentralDirSize;
    size_t first = last > 0xffff ? last - 0xffff : 0;
    for (size_t p = last + 1; p-- > first;) {
      if (readLE32(data + p) == kEndOfCentralDirSig &&
          p + kEndOfCentralDirSize + readLE16(data + p + 20) == size) {
        pos = p;
        return true;
      }
    }
  }
  error = "not a zip archive: no end-of-central-directory record";
  return false;
}

/// Reads the central directory entries into `members`.
static bool readCentralDir(const unsigned char *data, size_t size,
                           std::vector<ZipMember> &members,
                           std::string &error) {
  size_t eocd;
  if (!findEndOfCentralDir(data, size, eocd, error))
    return false;
  const unsigned char *e = data + eocd;
  uint32_t count = readLE16(e + 10), cdSize = readLE32(e + 12),
           cdOffset = readLE32(e + 16);
  if (count == 0xffff || cdSize == 0xffffffff || cdOffset == 0xffffffff) {
    error = kZip64Message;
    return false;
  }
  if (readLE16(e + 4) != 0 || readLE16(e + 6) != 0 ||
      readLE16(e + 8) != count) {
    error = "multi-disk zip archives are not supported";
    return false;
  }
  if (static_cast<uint64_t>(cdOffset) + cdSize > eocd) {
    error = "central directory extends beyond its end record";
    return false;
  }
  size_t p = cdOffset, cdEnd = static_cast<size_t>(cdOffset) + cdSize;
  for (uint32_t i = 0; i < count; ++i) {
    if (cdEnd - p < kCentralHeaderSize ||
        readLE32(data + p) != kCentralHeaderSig) {
      error = "corrupt central directory entry " + std::to_string(i);
      return false;
    }
    const unsigned char *h = data + p;
    size_t nameLen = readLE16(h + 28), extraLen = readLE16(h + 30),
           commentLen = readLE16(h + 32);
    size_t entrySize = kCentralHeaderSize + nameLen + extraLen + commentLen;
    if (cdEnd - p < entrySize) {
      error = "truncated central directory entry " + std::to_string(i);
      return false;
    }
    ZipMember m;
    m.name.assign(reinterpret_cast<const char *>(h + kCentralHeaderSize),
                  nameLen);
    if (readLE16(h + 8) & 1) {
      error = "member '" + m.name + "' is encrypted";
      return false;
    }
    m.method = readLE16(h + 10);
    m.crc = readLE32(h + 16);
    m.compressedSize = readLE32(h + 20);
    m.uncompressedSize = readLE32(h + 24);
    m.localHeaderOffset = readLE32(h + 42);
    if (m.compressedSize == 0xffffffff || m.uncompressedSize == 0xffffffff ||
        m.localHeaderOffset == 0xffffffff) {
      error = std::string(kZip64Message) + " (member '" + m.name + "')";
      return false;
    }
    members.push_back(std::move(m));
    p += entrySize;
  }
  return true;
}

/// Locates the member's data through its local header, whose name and extra
/// field lengths may differ from the central directory's.
static bool locateData(const unsigned char *data, size_t size,
                       const ZipMember &m, size_t &offset, std::string &error) {
  size_t h = m.localHeaderOffset;
  if (h > size || size - h < kLocalHeaderSize ||
      readLE32(data + h) != kLocalHeaderSig) {
    error = "bad local header offset";
    return false;
  }
  uint64_t start = static_cast<uint64_t>(h) + kLocalHeaderSize +
                   readLE16(data + h + 26) + readLE16(data + h + 28);
  if (start > size || size - start < m.compressedSize) {
    error = "truncated member data";
    return false;
  }
  offset = static_cast<size_t>(start);
  return true;
}

/// Inflates a raw deflate stream (no zlib header) of known output size.
static bool inflateRaw(const unsigned char *src, size_t srcSize, size_t outSize,
                       std::vector<unsigned char> &out, std::string &error) {
  // Deflate cannot expand by more than about 1032:1; a larger declared
  // size is corrupt and must not drive a huge allocation.
  if (outSize / 1032 > srcSize + 1) {
    error = "declared size " + std::to_string(outSize) + " is impossible for " +
            std::to_string(srcSize) + " deflated bytes";
    return false;
  }
  out.assign(outSize + 1, 0); // +1: a non-null buffer even when empty.
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
    error = "cannot initialize zlib";
    return false;
  }
  zs.next_in = src;
  zs.avail_in = static_cast<uInt>(srcSize);
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(outSize);
  int ret = inflate(&zs, Z_FINISH);
  std::string zmsg = zs.msg ? zs.msg : "invalid data";
  uLong produced = zs.total_out;
  bool full = zs.avail_out == 0;
  inflateEnd(&zs);
  out.resize(outSize);
  if (ret == Z_STREAM_END && produced == outSize)
    return true;
  if (ret == Z_STREAM_END)
    error = "inflated " + std::to_string(produced) +
            " bytes, the archive declares " + std::to_string(outSize);
  else if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT)
    error = "corrupt deflate stream: " + zmsg;
  else if (ret == Z_MEM_ERROR)
    error = "out of memory while inflating";
  else if (full)
    error =
        "inflated data exceeds the declared size " + std::to_string(outSize);
  else
    error = "truncated deflate stream";
  return false;
}

/// Computes the CRC-32 of `size` bytes in chunks that fit zlib's uInt.
static uint32_t crc32Of(const unsigned char *p, size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (size) {
    uInt chunk = size > (1u << 30) ? (1u << 30) : static_cast<uInt>(size);
    crc = crc32(crc, p, chunk);
    p += chunk;
    size -= chunk;
  }
  return static_cast<uint32_t>(crc);
}

/// Extracts, checks and parses one member.
static bool readMember(const unsigned char *data, size_t size,
                       const ZipMember &m, Tensor &tensor, std::string &error) {
  size_t offset;
  if (!locateData(data, size, m, offset, error))
    return false;
  const unsigned char *src = data + offset;
  std::vector<unsigned char> inflated;
  if (m.method == kMethodDeflated) {
    if (!inflateRaw(src, m.compressedSize, m.uncompressedSize, inflated, error))
      return false;
    src = inflated.data();
  } else if (m.method != kMethodStored) {
    error = "unsupported compression method " + std::to_string(m.method) +
            " (only stored and deflated)";
    return false;
  } else if (m.compressedSize != m.uncompressedSize) {
    error = "stored member with different compressed and uncompressed sizes";
    return false;
  }
  uint32_t crc = crc32Of(src, m.uncompressedSize);
  if (crc != m.crc) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), " (expected %08x, computed %08x)", m.crc,
                  crc);
    error = std::string("CRC-32 mismatch") + buf;
    return false;
  }
  return parseNpy(src, m.uncompressedSize, tensor, error);
}

static bool hasNpySuffix(const std::string &name) {
  return name.size() >= 4 && name.compare(name.size() - 4, 4, ".npy") == 0;
}

bool readNpz(const std::string &path,
             std::vector<std::pair<std::string, Tensor>> &out,
             std::string &error) {
  out.clear();
  std::vector<unsigned char> bytes;
  if (!readFile(path, bytes, error))
    return false;
  std::vector<ZipMember> members;
  if (!readCentralDir(bytes.data(), bytes.size(), members, error)) {
    error = path + ": " + error;
    return false;
  }
  for (const ZipMember &m : members) {
    if (!hasNpySuffix(m.name)) {
      error = path + ": member '" + m.name + "' is not a .npy file";
      return false;
    }
    Tensor tensor;
    if (!readMember(bytes.data(), bytes.size(), m, tensor, error)) {
      error = path + ": member '" + m.name + "': " + error;
      return false;
    }
    out.emplace_back(m.name.substr(0, m.name.size() - 4), std::move(tensor));
  }
  return true;
}

/// Appends the fields shared by local and central headers, from "version
/// needed" to the extra field length.
static void appendCommonHeader(std::vector<unsigned char> &out,
                               const ZipMember &m, bool utf8) {
  appendLE16(out, 20);                  // version needed: 2.0
  appendLE16(out, utf8 ? 1u << 11 : 0); // flags: bit 11 = UTF-8 name
  appendLE16(out, kMethodStored);
  appendLE16(out, 0); // time 00:00:00
  appendLE16(out, kDosDate);
  appendLE32(out, m.crc);
  appendLE32(out, m.compressedSize);
  appendLE32(out, m.uncompressedSize);
  appendLE16(out, static_cast<uint32_t>(m.name.size()));
  appendLE16(out, 0); // extra field length
}

static bool isAscii(const std::string &s) {
  for (unsigned char c : s)
    if (c >= 0x80)
      return false;
  return true;
}

/// Appends the central directory and its end record for `members`.
static void appendCentralDir(std::vector<unsigned char> &out,
                             const std::vector<ZipMember> &members) {
  size_t cdOffset = out.size();
  for (const ZipMember &m : members) {
    appendLE32(out, kCentralHeaderSig);
    appendLE16(out, (3u << 8) | 20); // made by: Unix, zip 2.0
    appendCommonHeader(out, m, !isAscii(m.name));
    appendLE16(out, 0);              // comment length
    appendLE16(out, 0);              // disk number
    appendLE16(out, 0);              // internal attributes
    appendLE32(out, 0100644u << 16); // external: regular file, rw-r--r--
    appendLE32(out, m.localHeaderOffset);
    out.insert(out.end(), m.name.begin(), m.name.end());
  }
  size_t cdSize = out.size() - cdOffset;
  appendLE32(out, kEndOfCentralDirSig);
  appendLE16(out, 0); // this disk
  appendLE16(out, 0); // disk with the central directory
  appendLE16(out, static_cast<uint32_t>(members.size()));
  appendLE16(out, static_cast<uint32_t>(members.size()));
  appendLE32(out, static_cast<uint32_t>(cdSize));
  appendLE32(out, static_cast<uint32_t>(cdOffset));
  appendLE16(out, 0); // comment length
}

bool writeNpz(const std::string &path,
              const std::vector<std::pair<std::string, Tensor>> &arrays,
              std::string &error) {
  // Without zip64 an archive holds fewer than 65535 members and every
  // offset and size stays below 4 GiB; our test data needs neither.
  constexpr uint64_t kLimit = 0xffffffffu;
  if (arrays.size() >= 0xffff) {
    error = "too many arrays for a zip archive without zip64";
    return false;
  }
  std::vector<unsigned char> out;
  std::vector<ZipMember> members;
  std::set<std::string> names;
  uint64_t cdSize = kEndOfCentralDirSize;
  for (const auto &[key, tensor] : arrays) {
    ZipMember m;
    m.name = key + ".npy";
    if (!names.insert(m.name).second || m.name.size() > 0xffff) {
      error = "bad or duplicate array name '" + key + "'";
      return false;
    }
    std::vector<unsigned char> npy = serializeNpy(tensor);
    cdSize += kCentralHeaderSize + m.name.size();
    if (out.size() + kLocalHeaderSize + m.name.size() + npy.size() + cdSize >=
        kLimit) {
      error = "archive too large for zip without zip64 (array '" + key + "')";
      return false;
    }
    m.crc = crc32Of(npy.data(), npy.size());
    m.compressedSize = m.uncompressedSize = static_cast<uint32_t>(npy.size());
    m.localHeaderOffset = static_cast<uint32_t>(out.size());
    appendLE32(out, kLocalHeaderSig);
    appendCommonHeader(out, m, !isAscii(m.name));
    out.insert(out.end(), m.name.begin(), m.name.end());
    out.insert(out.end(), npy.begin(), npy.end());
    members.push_back(std::move(m));
  }
  appendCentralDir(out, members);
  return writeFile(path, out, error);
}

} // namespace qc::rt
