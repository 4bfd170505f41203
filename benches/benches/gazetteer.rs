//! Placeholder bench: replaced by the stage's owner.
fn main() {}
