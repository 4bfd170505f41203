//! Thread settings for the model's numeric kernels, shared by every interface.
//!
//! Documents run in parallel on rayon's threads; candle's own worker pool (spin-waiting
//! threads for elementwise ops) then fights them for the cores: measured on 2 cores, the
//! pipeline with NER ran at 150k chars/s on two threads versus 440k with candle kept to the
//! calling thread. And candle (0.11) asks for its matrix-multiplication thread count at every
//! matmul: when `RAYON_NUM_THREADS` is unset it re-reads `/proc/cpuinfo` each time (17 times
//! per document, ~6% of the CPU time and most of the system time measured on a 1,600-document
//! run). Setting both variables once, before any thread exists, fixes both; explicit user
//! settings are kept.

/// Keep candle's elementwise pool on the calling thread and give its matmuls the rayon thread
/// count (`threads`, else the variable's value, else one per core), unless the user set them.
/// Call at start-up, before other threads exist (environment writes are not thread-safe).
pub fn settle_kernel_threads(threads: Option<usize>) {
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        std::env::set_var("CANDLE_NUM_THREADS", "1");
    }
    let n = threads.or_else(|| {
        std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
    });
    let n = n.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    std::env::set_var("RAYON_NUM_THREADS", n.to_string());
}
