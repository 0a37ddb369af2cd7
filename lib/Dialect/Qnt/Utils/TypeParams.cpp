//===- TypeParams.cpp - qnt types as runtime parameters -------------------===//
//
// Part of the quant project.
//
//===----------------------------------------------------------------------===//

#include "qc/Dialect/Qnt/Utils/TypeParams.h"

using namespace qc;

rt::QuantParams qc::getQuantParams(qnt::UniformType type) {
  rt::QuantParams params;
  params.scales.assign(type.getScales().asArrayRef().begin(),
                       type.getScales().asArrayRef().end());
  params.zeroPoints.assign(type.getZeroPoints().asArrayRef().begin(),
                           type.getZeroPoints().asArrayRef().end());
  params.axis = type.getAxis();
  params.groupSize = type.getGroupSize();
  params.qmin = type.getStorageMin();
  params.qmax = type.getStorageMax();
  return params;
}
