//! One module per subcommand.
pub mod bench;
pub mod detect;
pub mod eval;
pub mod pseudo;
pub mod synth;
pub mod train;
