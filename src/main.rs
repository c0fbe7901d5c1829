fn main() -> std::process::ExitCode {
    labform::main()
}
