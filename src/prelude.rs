//! What a conformance test needs, in one import: `use addperm::prelude::*;`.
//!
//! ```
//! use addperm::prelude::*;
//!
//! let cases = addperm::case::parse(
//!     r#"{"id":"ok","given":{"functions":[{"name":"f"}]},"request":{"function_name":"f","body":{"StatementId":"s","Action":"lambda:InvokeFunction","Principal":"s3.amazonaws.com"}},"expect":{"status":201,"error_type":null}}"#,
//!     "inline",
//! )
//! .unwrap();
//! let run = conformance(&ReferenceTarget::default()).cases(cases).compare(Compare::Exact).run();
//! run.assert_all_pass();
//! ```

pub use crate::case::{read as read_cases, Case};
pub use crate::conformance::{conformance, ConformanceRun};
pub use crate::outcome::{CaseResult, Compare, Verdict};
pub use crate::target::{HttpOptions, HttpTarget, ReferenceTarget, Target};
