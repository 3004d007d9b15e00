use arena::arena_alloc;

#[arena_alloc]
pub union Bits<'a> {
    pub int: u32,
    pub text: &'a u8,
}

fn main() {
    // The union itself is still emitted, so this use compiles.
    let _ = Bits { int: 1 };
}
