//===- ModelRounding.cpp - The rounding a model asks for ------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/Utils/ModelRounding.h"

using namespace mlir;

std::optional<qc::rt::Rounding> qc::parseModelRounding(StringRef name) {
  if (name == "gemmlowp")
    return rt::Rounding::Gemmlowp;
  if (name == "half_even")
    return rt::Rounding::HalfEven;
  return std::nullopt;
}

StringRef qc::modelRoundingName(rt::Rounding rounding) {
  switch (rounding) {
  case rt::Rounding::Gemmlowp:
    return "gemmlowp";
  case rt::Rounding::HalfEven:
    return "half_even";
  case rt::Rounding::TosaSingle:
    return "tosa_single";
  case rt::Rounding::TosaDouble:
    return "tosa_double";
  }
  return "gemmlowp";
}

qc::rt::Rounding qc::getModelRounding(Operation *op) {
  for (Operation *at = op; at; at = at->getParentOp()) {
    auto module = dyn_cast<ModuleOp>(at);
    if (!module)
      continue;
    if (auto name = module->getAttrOfType<StringAttr>(kRoundingAttrName))
      if (std::optional<rt::Rounding> r = parseModelRounding(name.getValue()))
        return *r;
    return rt::Rounding::Gemmlowp;
  }
  return rt::Rounding::Gemmlowp;
}

void qc::setModelRounding(ModuleOp module, rt::Rounding rounding) {
  if (rounding == rt::Rounding::Gemmlowp) {
    module->removeAttr(kRoundingAttrName);
    return;
  }
  module->setAttr(
      kRoundingAttrName,
      StringAttr::get(module.getContext(), modelRoundingName(rounding)));
}

qc::qnt::RoundingMode qc::toRoundingMode(rt::Rounding rounding) {
  switch (rounding) {
  case rt::Rounding::Gemmlowp:
    return qnt::RoundingMode::gemmlowp;
  case rt::Rounding::HalfEven:
    return qnt::RoundingMode::half_even;
  case rt::Rounding::TosaSingle:
    return qnt::RoundingMode::tosa_single;
  case rt::Rounding::TosaDouble:
    return qnt::RoundingMode::tosa_double;
  }
  return qnt::RoundingMode::gemmlowp;
}
