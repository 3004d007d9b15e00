//! A pooled arena held across `.await` in tasks that move between threads.
//!
//! A tiny executor (two worker threads with a run queue each, wakers from `std::task::Wake`)
//! stands in for a multi-threaded async runtime that moves tasks between workers: here a task
//! woken up always goes to the other worker's queue, so every task resumes on another thread
//! than the one it started on. Each task takes a `PooledArena` from a shared
//! `ArenaPool`, fills it, yields, and keeps using what it allocated: the guard is `Send`, and
//! so are the plain references into it (`&str`, `&mut [u64]`). When the task ends, the guard
//! goes back to the pool from whichever worker finished it.
//!
//! (A container such as `ArenaVec` holds a `&Arena`, which is not `Send`, since an arena is not
//! `Sync`: keep one across an `.await` only in a task that stays on its thread.)
//!
//! ```sh
//! cargo run --example async_pool
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use arena::ArenaPool;

static POOL: ArenaPool = ArenaPool::new();

type BoxedTask = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A spawned task: its future, the workers' queues, and the worker that polled it last.
struct Task {
    future: Mutex<Option<BoxedTask>>,
    queues: [Sender<Arc<Task>>; 2],
    polled_by: AtomicUsize,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        let other = 1 - self.polled_by.load(Ordering::Relaxed);
        // The workers are gone once every task finished; a late wake has nothing to do.
        let _ = self.queues[other].clone().send(self);
    }
}

/// Worker `me` polls the tasks of its queue until the queue closes.
fn worker(me: usize, queue: Receiver<Arc<Task>>) {
    for task in queue {
        task.polled_by.store(me, Ordering::Relaxed);
        let waker = Waker::from(task.clone());
        let mut slot = task.future.lock().unwrap();
        if let Some(mut future) = slot.take() {
            if future
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending()
            {
                *slot = Some(future);
            }
        }
    }
}

/// Returns `Pending` once, waking itself: the task goes to the back of the queue.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn thread_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned()
}

/// One request: parse into a pooled arena, yield, finish with what was parsed.
async fn handle(id: u64, report: Sender<String>) {
    let mem = POOL.get();
    let started_on = thread_name();
    let path: &str = mem.alloc_str(&format!("/items/{id}"));
    let sizes: &mut [u64] = mem.alloc_slice_fill_with(16, |i| id * 100 + i as u64);
    YieldNow(false).await; // the guard and the references live across this point
    sizes[0] += 1;
    let total: u64 = sizes.iter().sum();
    let line = format!(
        "task {id}: {path} total {total}, started on {started_on}, resumed on {}",
        thread_name()
    );
    drop(mem); // back to the pool, reset, from this worker
    let _ = report.send(line);
}

fn main() {
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..2).map(|_| channel::<Arc<Task>>()).unzip();
    let queues = [senders[0].clone(), senders[1].clone()];
    let (report, reports) = channel();
    let tasks = 6;
    for id in 0..tasks {
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(handle(id, report.clone())))),
            queues: queues.clone(),
            polled_by: AtomicUsize::new(0),
        });
        queues[id as usize % 2].send(task).unwrap();
    }
    drop(report);
    for (me, queue) in receivers.into_iter().enumerate() {
        std::thread::Builder::new()
            .name(format!("worker-{me}"))
            .spawn(move || worker(me, queue))
            .unwrap();
    }
    // Every task reports once, as it finishes. (The workers then wait on their queues; they end
    // with the process.)
    for line in reports.iter().take(tasks as usize) {
        println!("{line}");
    }
    let stats = POOL.stats();
    println!(
        "pool: {} arenas created for {tasks} tasks, {} in use, {} idle",
        stats.arenas_created, stats.arenas_in_use, stats.idle_arenas
    );
    assert_eq!(stats.arenas_in_use, 0);
}
