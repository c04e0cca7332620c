//! The operator vocabulary: the one list of binary and unary operators that the parser,
//! the compiler, the value semantics, the interpreter and the JIT all speak.
//!
//! Each operator carries its facts as data (`BinOp::ALL` is the table): how it is written,
//! its precedence, and its family, which says what operand types it is defined on and
//! what it produces. Code that treats operators alike asks the family instead of listing
//! operators, so a new operator of an existing family needs no change there.

/// A binary operator (`&&` and `||` are control flow, not operators).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// What kind of operation a binary operator is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// `+ - * / %`: Int op Int is an Int, any other mix of Int and Float a Float (plus the
    /// Str and Array cases of `values::binary`).
    Arith,
    /// `& | ^ << >>`: Ints only, result Int.
    Bitwise,
    /// `< <= > >=`: numbers or strings, result Bool.
    Order,
    /// `== !=`: any two values, result Bool.
    Equality,
}

/// One row of the operator table.
pub struct BinOpInfo {
    pub op: BinOp,
    /// The operator's name, as the disassembler prints it (`Add`, `Shl`, ...).
    pub name: &'static str,
    /// As written in source and in error messages.
    pub symbol: &'static str,
    /// Precedence level (LANGUAGE.md's operator table; higher binds tighter; `||` is 1 and
    /// `&&` 2).
    pub level: u8,
    pub family: Family,
}

const fn row(
    op: BinOp,
    name: &'static str,
    symbol: &'static str,
    level: u8,
    family: Family,
) -> BinOpInfo {
    BinOpInfo {
        op,
        name,
        symbol,
        level,
        family,
    }
}

/// The level of the comparison operators, which do not chain.
pub const COMPARISON_LEVEL: u8 = 3;

impl BinOp {
    /// Every binary operator, in `BinOp` order (row `i` describes the operator whose
    /// discriminant is `i`).
    pub const ALL: [BinOpInfo; 16] = [
        row(BinOp::Add, "Add", "+", 8, Family::Arith),
        row(BinOp::Sub, "Sub", "-", 8, Family::Arith),
        row(BinOp::Mul, "Mul", "*", 9, Family::Arith),
        row(BinOp::Div, "Div", "/", 9, Family::Arith),
        row(BinOp::Mod, "Mod", "%", 9, Family::Arith),
        row(BinOp::BitAnd, "BitAnd", "&", 6, Family::Bitwise),
        row(BinOp::BitOr, "BitOr", "|", 4, Family::Bitwise),
        row(BinOp::BitXor, "BitXor", "^", 5, Family::Bitwise),
        row(BinOp::Shl, "Shl", "<<", 7, Family::Bitwise),
        row(BinOp::Shr, "Shr", ">>", 7, Family::Bitwise),
        row(BinOp::Eq, "Eq", "==", COMPARISON_LEVEL, Family::Equality),
        row(BinOp::Ne, "Ne", "!=", COMPARISON_LEVEL, Family::Equality),
        row(BinOp::Lt, "Lt", "<", COMPARISON_LEVEL, Family::Order),
        row(BinOp::Le, "Le", "<=", COMPARISON_LEVEL, Family::Order),
        row(BinOp::Gt, "Gt", ">", COMPARISON_LEVEL, Family::Order),
        row(BinOp::Ge, "Ge", ">=", COMPARISON_LEVEL, Family::Order),
    ];

    /// This operator's row of `ALL`.
    #[inline]
    pub const fn info(self) -> &'static BinOpInfo {
        &BinOp::ALL[self as usize]
    }

    /// The operator's name (`Add`, `Le`, ...).
    #[inline]
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// The operator as written in source and in error messages (`+`, `<=`, ...).
    #[inline]
    pub const fn symbol(self) -> &'static str {
        self.info().symbol
    }

    #[inline]
    pub const fn family(self) -> Family {
        self.info().family
    }

    /// True for operators whose result is a Bool (comparisons).
    #[inline]
    pub const fn compares(self) -> bool {
        matches!(self.family(), Family::Order | Family::Equality)
    }

    /// The operator with discriminant `code` (the inverse of `self as u8`).
    #[inline]
    pub const fn from_code(code: u8) -> Option<BinOp> {
        if (code as usize) < BinOp::ALL.len() {
            Some(BinOp::ALL[code as usize].op)
        } else {
            None
        }
    }
}

/// A unary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `-x`: Int (wrapping) or Float.
    Neg,
    /// `!x` / `not x`: Bool of the operand's falsiness.
    Not,
    /// `~x`: bitwise not, Ints only.
    BitNot,
    /// Bool of the operand's truthiness: not written in source; the value `&&` and `||`
    /// produce.
    Truthy,
}

impl UnOp {
    /// True if the result is a Bool whatever the operand (`Not`, `Truthy`).
    #[inline]
    pub const fn tests_truth(self) -> bool {
        matches!(self, UnOp::Not | UnOp::Truthy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_follow_discriminants() {
        for (i, row) in BinOp::ALL.iter().enumerate() {
            assert_eq!(row.op as usize, i, "{:?}", row.op);
            assert_eq!(row.name, format!("{:?}", row.op));
            assert_eq!(BinOp::from_code(i as u8), Some(row.op));
        }
        assert_eq!(BinOp::from_code(BinOp::ALL.len() as u8), None);
    }

    #[test]
    fn symbols_are_unique() {
        for a in &BinOp::ALL {
            let same = BinOp::ALL.iter().filter(|b| b.symbol == a.symbol).count();
            assert_eq!(same, 1, "{}", a.symbol);
        }
    }
}
