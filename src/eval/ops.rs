//! Arithmetic, comparison and logic operators.

use hcl_edit::expr::{BinaryOperator, UnaryOperator};
use labform_sdk::{Type, Value};

use super::expr::describe;
use super::Marked;

fn number(v: &Marked, op: &str) -> Result<f64, String> {
    match Type::Number.convert(&v.value) {
        Ok(Value::Number(n)) => Ok(n),
        _ => Err(format!("`{op}` needs numbers, got {}", describe(v))),
    }
}

fn boolean(v: &Marked, op: &str) -> Result<bool, String> {
    match Type::Bool.convert(&v.value) {
        Ok(Value::Bool(b)) => Ok(b),
        _ => Err(format!("`{op}` needs bools, got {}", describe(v))),
    }
}

/// A unary operator; the result is sensitive when the operand holds anything sensitive.
pub fn unary(op: UnaryOperator, v: Marked) -> Result<Marked, String> {
    let marks = v.marks.collapsed();
    if v.value.is_unknown() {
        return Ok(Marked::new(Value::Unknown, marks));
    }
    let out = match op {
        UnaryOperator::Neg => Value::Number(-number(&v, "-")?),
        UnaryOperator::Not => Value::Bool(!boolean(&v, "!")?),
    };
    Ok(Marked::new(out, marks))
}

/// A binary operator; the result is sensitive when either operand holds anything sensitive.
pub fn binary(op: BinaryOperator, lhs: Marked, rhs: Marked) -> Result<Marked, String> {
    let mut marks = lhs.marks.collapsed();
    marks.union(&rhs.marks.collapsed());
    binary_value(op, &lhs, &rhs).map(|v| Marked::new(v, marks))
}

fn binary_value(op: BinaryOperator, lhs: &Marked, rhs: &Marked) -> Result<Value, String> {
    use BinaryOperator::*;
    let sym = op.as_str();
    // `false && unknown` and `true || unknown` are known, as in Terraform.
    match (op, &lhs.value, &rhs.value) {
        (And, Value::Bool(false), _) | (And, _, Value::Bool(false)) => {
            return Ok(Value::Bool(false))
        }
        (Or, Value::Bool(true), _) | (Or, _, Value::Bool(true)) => return Ok(Value::Bool(true)),
        _ => {}
    }
    if lhs.value.is_unknown() || rhs.value.is_unknown() {
        return Ok(Value::Unknown);
    }
    match op {
        Eq => Ok(Value::Bool(equal(&lhs.value, &rhs.value))),
        NotEq => Ok(Value::Bool(!equal(&lhs.value, &rhs.value))),
        And => Ok(Value::Bool(boolean(lhs, sym)? && boolean(rhs, sym)?)),
        Or => Ok(Value::Bool(boolean(lhs, sym)? || boolean(rhs, sym)?)),
        Plus | Minus | Mul | Div | Mod | Less | LessEq | Greater | GreaterEq => {
            let (a, b) = (number(lhs, sym)?, number(rhs, sym)?);
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
    use crate::eval::Marks;

    fn plain(v: Value) -> Marked {
        Marked::plain(v)
    }

    fn secret(v: Value) -> Marked {
        Marked::new(v, Marks::whole())
    }

    #[test]
    fn arithmetic_converts_numeric_strings() {
        assert_eq!(
            binary(
                BinaryOperator::Plus,
                plain("2".into()),
                plain(Value::Number(3.0))
            ),
            Ok(plain(Value::Number(5.0)))
        );
        assert!(binary(
            BinaryOperator::Div,
            plain(Value::Number(1.0)),
            plain(Value::Number(0.0))
        )
        .is_err());
    }

    #[test]
    fn unknown_flows_through_except_where_logic_decides() {
        assert_eq!(
            binary(
                BinaryOperator::Plus,
                plain(Value::Unknown),
                plain(Value::Number(1.0))
            ),
            Ok(plain(Value::Unknown))
        );
        assert_eq!(
            binary(
                BinaryOperator::And,
                plain(Value::Bool(false)),
                plain(Value::Unknown)
            ),
            Ok(plain(Value::Bool(false)))
        );
    }

    #[test]
    fn a_sensitive_operand_marks_the_result_and_is_never_quoted() {
        let r = binary(
            BinaryOperator::Eq,
            secret("s3cr3t".into()),
            plain("x".into()),
        );
        assert_eq!(r, Ok(secret(Value::Bool(false))));
        let r = unary(UnaryOperator::Not, secret(Value::Bool(true)));
        assert_eq!(r, Ok(secret(Value::Bool(false))));
        let e = binary(
            BinaryOperator::Plus,
            secret("s3cr3t".into()),
            plain(Value::Number(1.0)),
        );
        let e = e.expect_err("not a number");
        assert!(
            !e.contains("s3cr3t") && e.contains("(sensitive value)"),
            "{e}"
        );
        // A list holding one sensitive element makes a comparison of it sensitive too.
        let mut m = Marks::none();
        m.nest("0", &Marks::whole());
        let list = Marked::new(Value::List(vec!["a".into()]), m);
        let r = binary(BinaryOperator::Eq, list, plain(Value::Null)).expect("compares");
        assert!(r.marks.is_whole());
    }
}
