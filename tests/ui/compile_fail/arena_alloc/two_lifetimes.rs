use arena::arena_alloc;

#[arena_alloc]
pub struct Token<'src, 'arena> {
    pub text: &'src str,
    pub interned: &'arena str,
}

fn main() {}
