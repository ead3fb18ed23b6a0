//! Prints the JSON Schema of deploy.yml: `cargo run -p deliverybot-core --features schema --example schema`.
fn main() {
    print!("{}", deliverybot_core::schema_json());
}
