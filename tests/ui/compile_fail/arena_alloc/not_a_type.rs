use arena::arena_alloc;

#[arena_alloc]
fn build() {}

fn main() {
    build();
}
