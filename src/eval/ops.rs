//! Arithmetic, comparison and logic operators.

use hcl_edit::expr::{BinaryOperator, UnaryOperator};
use labform_sdk::{Type, Value};

use super::expr::short;

fn number(v: &Value, op: &str) -> Result<f64, String> {
    match Type::Number.convert(v) {
        Ok(Value::Number(n)) => Ok(n),
        _ => Err(format!("`{op}` needs numbers, got {}", short(v))),
    }
}

fn boolean(v: &Value, op: &str) -> Result<bool, String> {
    match Type::Bool.convert(v) {
        Ok(Value::Bool(b)) => Ok(b),
        _ => Err(format!("`{op}` needs bools, got {}", short(v))),
    }
}

pub fn unary(op: UnaryOperator, v: Value) -> Result<Value, String> {
    if v.is_unknown() {
        return Ok(Value::Unknown);
    }
    match op {
        UnaryOperator::Neg => Ok(Value::Number(-number(&v, "-")?)),
        UnaryOperator::Not => Ok(Value::Bool(!boolean(&v, "!")?)),
    }
}

pub fn binary(op: BinaryOperator, lhs: Value, rhs: Value) -> Result<Value, String> {
    use BinaryOperator::*;
    let sym = op.as_str();
    // `false && unknown` and `true || unknown` are known, as in Terraform.
    match (op, &lhs, &rhs) {
        (And, Value::Bool(false), _) | (And, _, Value::Bool(false)) => {
            return Ok(Value::Bool(false))
        }
        (Or, Value::Bool(true), _) | (Or, _, Value::Bool(true)) => return Ok(Value::Bool(true)),
        _ => {}
    }
    if lhs.is_unknown() || rhs.is_unknown() {
        return Ok(Value::Unknown);
    }
    match op {
        Eq => Ok(Value::Bool(equal(&lhs, &rhs))),
        NotEq => Ok(Value::Bool(!equal(&lhs, &rhs))),
        And => Ok(Value::Bool(boolean(&lhs, sym)? && boolean(&rhs, sym)?)),
        Or => Ok(Value::Bool(boolean(&lhs, sym)? || boolean(&rhs, sym)?)),
        Plus | Minus | Mul | Div | Mod | Less | LessEq | Greater | GreaterEq => {
            let (a, b) = (number(&lhs, sym)?, number(&rhs, sym)?);
            let out = match op {
                Plus => Value::Number(a + b),
                Minus => Value::Number(a - b),
                Mul => Value::Number(a * b),
                Div if b == 0.0 => return Err("division by zero".into()),
                Div => Value::Number(a / b),
                Mod if b == 0.0 => return Err("modulo by zero".into()),
                Mod => Value::Number(a % b),
                Less => Value::Bool(a < b),
                LessEq => Value::Bool(a <= b),
                Greater => Value::Bool(a > b),
                _ => Value::Bool(a >= b),
            };
            match out {
                Value::Number(n) if !n.is_finite() => {
                    Err("the result is not a finite number".into())
                }
                v => Ok(v),
            }
        }
    }
}

/// Equality as Terraform sees it: same type and same value (no conversion between kinds).
fn equal(a: &Value, b: &Value) -> bool {
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_converts_numeric_strings() {
        assert_eq!(
            binary(BinaryOperator::Plus, "2".into(), Value::Number(3.0)),
            Ok(Value::Number(5.0))
        );
        assert!(binary(BinaryOperator::Div, Value::Number(1.0), Value::Number(0.0)).is_err());
    }

    #[test]
    fn unknown_flows_through_except_where_logic_decides() {
        assert_eq!(
            binary(BinaryOperator::Plus, Value::Unknown, Value::Number(1.0)),
            Ok(Value::Unknown)
        );
        assert_eq!(
            binary(BinaryOperator::And, Value::Bool(false), Value::Unknown),
            Ok(Value::Bool(false))
        );
    }
}
