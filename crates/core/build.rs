//! The built-in policies and BAA data are embedded from the workspace's `policies/`; rebuild when
//! they change, including when a file is added.
fn main() {
    println!("cargo:rerun-if-changed=../../policies");
}
