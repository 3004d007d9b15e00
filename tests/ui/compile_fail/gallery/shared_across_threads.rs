// An arena can move to another thread, but two threads cannot allocate from it at once.
use arena::Arena;

fn main() {
    let mem = Arena::new();
    std::thread::scope(|s| {
        s.spawn(|| *mem.alloc(1u32));
        *mem.alloc(2u32)
    });
}
