// mimalloc instead of the system allocator: a plan of 100,000 resources spent over half its
// time in glibc's malloc, free and their free-list consolidation (see bench/engine).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    labform::main()
}
