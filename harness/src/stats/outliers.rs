//! Tukey's fences (Tukey 1977, "Exploratory Data Analysis"): values below `Q1 − 1.5·IQR` or
//! above `Q3 + 1.5·IQR` are flagged as outliers. They are reported (count in `summary.csv`,
//! a flag per invocation in `invocations.csv`) and never dropped from any statistic: an
//! outlying invocation is data about the VM, not noise to hide.

use super::describe::quantile;

/// The fences of a sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fences {
    pub low: f64,
    pub high: f64,
}

impl Fences {
    pub fn is_outlier(&self, x: f64) -> bool {
        x < self.low || x > self.high
    }
}

/// Tukey's inner fences (k = 1.5) of `xs`; infinite fences for fewer than 4 values, where
/// quartiles say nothing.
pub fn tukey_fences(xs: &[f64]) -> Fences {
    if xs.len() < 4 {
        return Fences {
            low: f64::NEG_INFINITY,
            high: f64::INFINITY,
        };
    }
    let (Some(q1), Some(q3)) = (quantile(xs, 0.25), quantile(xs, 0.75)) else {
        unreachable!("at least 4 values");
    };
    let iqr = q3 - q1;
    Fences {
        low: q1 - 1.5 * iqr,
        high: q3 + 1.5 * iqr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_far_values_only() {
        let xs = [10.0, 11.0, 10.5, 10.2, 10.8, 25.0];
        let f = tukey_fences(&xs);
        let flagged: Vec<bool> = xs.iter().map(|&x| f.is_outlier(x)).collect();
        assert_eq!(flagged, [false, false, false, false, false, true]);
        assert!(!tukey_fences(&[1.0, 100.0]).is_outlier(1000.0));
    }
}
