//! Compiles `proto/` with protox (pure Rust, so no `protoc` is needed on any machine) and
//! generates the tonic server and client code from the resulting descriptors.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "proto/tfplugin6.proto",
        "proto/plugin.proto",
        "proto/health.proto",
    ];
    for file in files {
        println!("cargo:rerun-if-changed={file}");
    }
    // tfplugin6: every RPC the provider does not implement answers `Unimplemented`, the code
    // Terraform reads as "not supported" (for GetResourceIdentitySchemas it accepts no other).
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .generate_default_stubs(true)
        .compile_fds(protox::compile(["proto/tfplugin6.proto"], ["proto"])?)?;
    // go-plugin's services are implemented in full: no stubs, so a missing method fails to build.
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_fds(protox::compile(
            ["proto/plugin.proto", "proto/health.proto"],
            ["proto"],
        )?)?;
    Ok(())
}
