use arena::arena_alloc;

#[arena_alloc]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

fn main() {
    let _ = Point { x: 0.0, y: 1.0 };
}
