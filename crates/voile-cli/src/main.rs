//! voile-cli: the `voile` binary.
fn main() {}
