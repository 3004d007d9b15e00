use arena::arena_alloc;

#[arena_alloc(lifetime = 'b)]
pub struct Token<'src, 'arena> {
    pub text: &'src str,
    pub interned: &'arena str,
}

fn main() {}
