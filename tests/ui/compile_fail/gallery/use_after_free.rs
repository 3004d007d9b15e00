// Go: `mem.Free(); o.Num = 123` compiles, and only `go run -asan` may catch it at run time.
use arena::Arena;

struct T {
    num: i64,
}

fn main() {
    let mem = Arena::new();
    let o = mem.alloc(T { num: 0 });
    mem.free();
    o.num = 123; // the arena, and `o` with it, is gone
}
