//! Mutations of Ruff source for the stable fuzzer: byte flips and interesting bytes,
//! deletions, duplications, token splices between corpus files, interesting tokens, long
//! flat chains and deep nesting inserted at a token boundary. One to four are stacked per
//! input. The random source is SplitMix64 (Steele, Lea and Flood, OOPSLA 2014), so a
//! campaign's seed replays it.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Inputs never grow past this (a long run must not drift into megabyte-sized inputs).
pub const MAX_INPUT: usize = 1 << 20;

const INTERESTING_BYTES: &[u8] = b"\0\xff\x80\xc3\xe2{}()[]\"\\\n\r\t$#/*:=;,.-+<>!~^&|_0e";

/// Tokens that reach rarely taken paths: keywords in odd places, interpolation, comments,
/// escapes, literals at the edges of what lexes.
const TOKENS: &[&str] = &[
    "func",
    "return",
    "if",
    "else",
    "while",
    "loop",
    "for",
    "in",
    "break",
    "continue",
    "struct",
    "let",
    "mut",
    "const",
    "true",
    "false",
    "null",
    "and",
    "or",
    "not",
    ":=",
    "=",
    "+=",
    "%=",
    "==",
    "<=",
    "<<",
    ">>",
    "&&",
    "||",
    "!",
    "~",
    "${",
    "}",
    "\"",
    "\"${x}\"",
    "\"\\u{1F600}\"",
    "\"\\u{110000}\"",
    "\"\\q\"",
    "/*",
    "*/",
    "//",
    "#",
    "\n",
    ";",
    "9223372036854775808",
    "-9223372036854775808",
    "99999999999999999999",
    "0x",
    "0x_1",
    "1_",
    "1e",
    "1e400",
    "1.e5",
    ".5",
    "0.0",
    "007",
    "π",
    "変数",
    "x٣",
    "\u{feff}",
    "\u{a0}",
    "@",
    "'",
    "$",
    "p.loop",
    "Pt {}",
    "Pt { x: 1 }",
    "func(a, a) {}",
    "a < b < c",
    "print(",
    "range(",
    "[1, 2",
    "{\"k\": ",
    "x := ",
    "x.y.z = ",
    "a[i] op= ",
];

/// Wrappers for deep nesting: (opening, closing), repeated many times around a point.
const NESTERS: &[(&str, &str)] = &[
    ("(", ")"),
    ("[", "]"),
    ("-", ""),
    ("!", ""),
    ("not ", ""),
    ("~", ""),
    ("f(", ")"),
    ("{\"k\": ", "}"),
    ("if x {\n", "\n}"),
    ("while false {\n", "\n}"),
    ("for i in 1 {\n", "\n}"),
    ("func() {\n", "\n}"),
    ("\"${", "}\""),
    ("x := ", ""),
];

/// The character class of a byte for the crude tokenizer that works on any bytes: a
/// token is a run of word bytes (letters, digits, `_`, non-ASCII), of spaces, or a single
/// other byte.
fn class(b: u8) -> u8 {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | 0x80.. => 0,
        b' ' | b'\t' | b'\r' | b'\n' => 1,
        _ => 2,
    }
}

/// Whether a token boundary lies just before `input[i]`.
fn is_boundary(input: &[u8], i: usize) -> bool {
    i == 0 || i == input.len() || class(input[i]) == 2 || class(input[i]) != class(input[i - 1])
}

/// A random token boundary of `input`.
fn boundary(rng: &mut Rng, input: &[u8]) -> usize {
    let mut i = rng.below(input.len() + 1);
    while !is_boundary(input, i) {
        i -= 1;
    }
    i
}

/// A random range of one to eight whole tokens of `input`.
fn token_range(rng: &mut Rng, input: &[u8]) -> (usize, usize) {
    let start = boundary(rng, input);
    let mut end = start;
    for _ in 0..1 + rng.below(8) {
        if end == input.len() {
            break;
        }
        end += 1;
        while !is_boundary(input, end) {
            end += 1;
        }
    }
    (start, end)
}

/// A repetition count: usually hundreds to thousands, now and then far more.
fn count(rng: &mut Rng, usual: &[usize], rare: &[usize]) -> usize {
    if rng.below(10) == 0 {
        *rng.pick(rare)
    } else {
        *rng.pick(usual)
    }
}

/// One mutation of `input` (`corpus` gives material to splice in).
fn mutate_once(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    match rng.below(11) {
        0 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] ^= 1 << rng.below(8);
        }
        1 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] = *rng.pick(INTERESTING_BYTES);
        }
        2 if !input.is_empty() => {
            let start = rng.below(input.len());
            let len = 1 + rng.below((input.len() - start).min(64));
            input.drain(start..start + len);
        }
        3 if !input.is_empty() => {
            let (a, b) = token_range(rng, input);
            let copy = input[a..b].to_vec();
            let at = boundary(rng, input);
            input.splice(at..at, copy);
        }
        4 | 5 => {
            // Splice tokens of another corpus file in, replacing a token range or not.
            let other = rng.pick(corpus);
            if other.is_empty() {
                return;
            }
            let (a, b) = token_range(rng, other);
            let piece = other[a..b].to_vec();
            let (c, d) = if rng.below(2) == 0 {
                token_range(rng, input)
            } else {
                let at = boundary(rng, input);
                (at, at)
            };
            input.splice(c..d, piece);
        }
        6 | 7 => {
            let token = rng.pick(TOKENS).as_bytes().to_vec();
            let at = boundary(rng, input);
            input.splice(at..at, token);
        }
        8 => {
            // Deep nesting: hundreds to a hundred thousand levels around a point.
            let (open, close) = *rng.pick(NESTERS);
            let depth = count(
                rng,
                &[50, 200, 499, 500, 501, 2_000],
                &[10_000, 10_001, 100_000],
            );
            let at = boundary(rng, input);
            let mut piece = open.repeat(depth).into_bytes();
            piece.extend_from_slice(b"x");
            piece.extend_from_slice(close.repeat(depth).as_bytes());
            input.splice(at..at, piece);
        }
        9 => {
            // A long flat chain: `+ 1` thousands of times.
            let op = *rng.pick(&[
                " + 1", " - x", " * 2", " && y", " or z", " .f", "[0]", "(1)",
            ]);
            let terms = count(rng, &[100, 500, 501, 2_000], &[5_000, 50_000]);
            let at = boundary(rng, input);
            input.splice(at..at, op.repeat(terms).into_bytes());
        }
        _ => {
            let cut = rng.below(input.len() + 1);
            input.truncate(cut);
        }
    }
}

/// A new input: a corpus entry with one to four mutations stacked.
pub fn mutant(rng: &mut Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut input = rng.pick(corpus).clone();
    for _ in 0..1 + rng.below(4) {
        mutate_once(rng, &mut input, corpus);
        if input.len() > MAX_INPUT {
            input.truncate(MAX_INPUT);
        }
    }
    input
}
