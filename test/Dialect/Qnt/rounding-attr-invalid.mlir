// RUN: quant-opt %s --split-input-file -verify-diagnostics

// qnt.rounding names the model-wide rounding (gemmlowp or half_even) and
// belongs on a module.

// expected-error@+1 {{'qnt.rounding' must be "gemmlowp" or "half_even", got "tosa_double"}}
module attributes {qnt.rounding = "tosa_double"} {
}

// -----

// expected-error@+1 {{'qnt.rounding' must be "gemmlowp" or "half_even", got 3 : i32}}
module attributes {qnt.rounding = 3 : i32} {
}

// -----

// expected-error@+1 {{'qnt.rounding' belongs on a builtin.module}}
func.func @f() attributes {qnt.rounding = "half_even"} {
  return
}
