//===- QntAttrs.cpp - qnt attributes --------------------------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/IR/QntOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace qc::qnt;

#define GET_ATTRDEF_CLASSES
#include "qc/Dialect/Qnt/IR/QntOpsAttrs.cpp.inc"

void QntDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qc/Dialect/Qnt/IR/QntOpsAttrs.cpp.inc"
      >();
}

LogicalResult RangeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                APFloat lo, APFloat hi) {
  double l = lo.convertToDouble(), h = hi.convertToDouble();
  if (std::isnan(l) || std::isnan(h))
    return emitError() << "range bounds must not be NaN";
  if (l > h)
    return emitError() << "range lower bound " << l
                       << " is above the upper bound " << h;
  return success();
}

/// `<` lo `,` hi `>`, each a float literal (or an integer, or +-inf via
/// MLIR's hexadecimal float spelling).
Attribute RangeAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  double lo = 0, hi = 0;
  if (parser.parseLess() || parser.parseFloat(lo) || parser.parseComma() ||
      parser.parseFloat(hi) || parser.parseGreater())
    return {};
  return parser.getChecked<RangeAttr>(loc, parser.getContext(), APFloat(lo),
                                      APFloat(hi));
}

void RangeAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printer.printFloat(getLo());
  printer << ", ";
  printer.printFloat(getHi());
  printer << ">";
}
