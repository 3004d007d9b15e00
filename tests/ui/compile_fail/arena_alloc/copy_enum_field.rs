// A plain `Copy` enum as a field: it has no `CloneOut` / `CloneIn` impls, so the macro cannot
// copy it; the one error is at the field and says to write `#[arena(clone)]`.
use arena::arena_alloc;

#[derive(Clone, Copy, Debug)]
pub enum Method {
    Get,
    Post,
}

#[arena_alloc]
pub struct Request<'a> {
    pub path: &'a str,
    pub method: Method,
}

fn main() {}
