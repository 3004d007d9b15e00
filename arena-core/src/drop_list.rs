//! The list of destructors registered by [`Arena::alloc_droppable`](crate::Arena::alloc_droppable).
//!
//! Each droppable value is allocated inside the arena together with a small header: the address
//! of the next header and a function that drops the value. The headers form an intrusive,
//! singly linked list whose head lives in the arena, so registering a destructor costs no
//! allocation beyond the value's own and the list is naturally in reverse order of allocation.

use core::any::Any;
use core::cell::Cell;
use core::ptr::NonNull;
use std::panic::{self, AssertUnwindSafe};

/// The part of every droppable node that the list walks.
pub(crate) struct DropHeader {
    next: Option<NonNull<DropHeader>>,
    drop_value: unsafe fn(NonNull<DropHeader>),
}

/// A droppable value with its header in front. `repr(C)` puts the header at offset 0, so a
/// pointer to the node is also a pointer to its header.
#[repr(C)]
pub(crate) struct DropNode<T> {
    header: DropHeader,
    value: T,
}

impl<T> DropNode<T> {
    /// A node for `value`, not yet linked.
    pub(crate) fn new(value: T) -> Self {
        DropNode {
            header: DropHeader {
                next: None,
                drop_value: drop_node_value::<T>,
            },
            value,
        }
    }

    /// The value inside a node.
    pub(crate) fn value_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

/// Drops the value of the `DropNode<T>` whose header is at `header`.
///
/// # Safety
///
/// `header` must point to the header of a live, initialized `DropNode<T>` (with this very `T`)
/// whose value has not been dropped yet, derived from a pointer to the whole node.
unsafe fn drop_node_value<T>(header: NonNull<DropHeader>) {
    let node = header.cast::<DropNode<T>>();
    // SAFETY: by this function's contract `node` points to a live `DropNode<T>` whose value was
    // not dropped; `addr_of_mut!` avoids creating a reference to the header we were called
    // through.
    unsafe { core::ptr::drop_in_place(core::ptr::addr_of_mut!((*node.as_ptr()).value)) }
}

/// The destructors an arena still owes.
#[derive(Default)]
pub(crate) struct DropList {
    head: Cell<Option<NonNull<DropHeader>>>,
    pending: Cell<usize>,
}

/// What running the list did.
pub(crate) struct DropsRun {
    /// How many destructors ran (including ones that panicked).
    pub(crate) count: usize,
    /// The panic of the first destructor that panicked, if any.
    pub(crate) first_panic: Option<DestructorPanic>,
}

/// The panic of a destructor, held until its caller can resume it.
///
/// A panic payload is a value like any other, and its own destructor may panic too. Dropping a
/// `DestructorPanic` (a caller that is already unwinding and must not panic again, or a panic
/// after the first) drops the payload inside `catch_unwind`, so such a payload can neither unwind
/// into the caller nor abort the process.
pub(crate) struct DestructorPanic {
    /// Always `Some` until [`DestructorPanic::resume`] takes it.
    payload: Option<Box<dyn Any + Send + 'static>>,
}

impl DestructorPanic {
    /// Resumes the panic, with its payload unchanged, in the caller.
    pub(crate) fn resume(mut self) -> ! {
        match self.payload.take() {
            Some(payload) => panic::resume_unwind(payload),
            None => unreachable!("a destructor panic resumed twice"),
        }
    }
}

impl Drop for DestructorPanic {
    fn drop(&mut self) {
        if let Some(payload) = self.payload.take() {
            discard_payload(payload);
        }
    }
}

/// How many payloads in a row [`discard_payload`] drops when each one's destructor panics with a
/// new payload, before it leaks the last one instead.
const NESTED_PAYLOADS: usize = 8;

/// Drops a panic payload that nobody will see, without letting its destructor's panic escape:
/// when that destructor panics, the new payload is dropped the same way, up to
/// [`NESTED_PAYLOADS`] times; a payload whose destructors panic beyond that is leaked.
#[cold]
fn discard_payload(mut payload: Box<dyn Any + Send + 'static>) {
    for _ in 0..NESTED_PAYLOADS {
        match panic::catch_unwind(AssertUnwindSafe(move || drop(payload))) {
            Ok(()) => return,
            Err(nested) => payload = nested,
        }
    }
    core::mem::forget(payload);
}

impl DropList {
    /// How many destructors are registered and not yet run.
    #[inline]
    pub(crate) fn pending(&self) -> usize {
        self.pending.get()
    }

    /// Links `node` at the front of the list.
    ///
    /// # Safety
    ///
    /// `node` must point to an initialized `DropNode<T>` that stays valid, and whose value is not
    /// dropped or moved by anyone else, until [`DropList::run_all`] runs. The pointer must carry
    /// the provenance of the whole node.
    pub(crate) unsafe fn push<T>(&self, node: NonNull<DropNode<T>>) {
        let header = node.cast::<DropHeader>();
        // SAFETY: the caller guarantees the node is initialized and valid; `repr(C)` puts the
        // header at offset 0, and no reference to the node is alive while we write its header.
        unsafe { (*header.as_ptr()).next = self.head.get() };
        self.head.set(Some(header));
        self.pending.set(self.pending.get() + 1);
    }

    /// Runs every registered destructor exactly once, newest first, and empties the list.
    ///
    /// A destructor that panics does not stop the others: the panic is caught, the remaining
    /// destructors run, and the first panic is handed back for the caller to resume once its own
    /// state is consistent. The payloads of later panics are dropped here, inside `catch_unwind`
    /// (see [`DestructorPanic`]), so a payload whose own destructor panics cannot cut the loop
    /// short.
    #[inline]
    pub(crate) fn run_all(&mut self) -> DropsRun {
        let mut run = DropsRun {
            count: 0,
            first_panic: None,
        };
        if self.head.get().is_some() {
            self.run_pending(&mut run);
        }
        run
    }

    /// Runs, newest first, the destructors registered after the list held `keep` of them, and
    /// leaves those `keep`; as [`DropList::run_all`] for panics.
    #[cold]
    #[inline(never)]
    pub(crate) fn run_newer_than(&mut self, keep: usize) -> DropsRun {
        let mut run = DropsRun {
            count: 0,
            first_panic: None,
        };
        self.run_pending_down_to(keep, &mut run);
        run
    }

    #[cold]
    fn run_pending(&mut self, run: &mut DropsRun) {
        self.run_pending_down_to(0, run);
    }

    fn run_pending_down_to(&mut self, keep: usize, run: &mut DropsRun) {
        while self.pending.get() > keep {
            let Some(header) = self.head.get() else {
                break;
            };
            // SAFETY: every header in the list belongs to a live node pushed under `push`'s
            // contract; unlinking it before calling its destructor means it is dropped once,
            // even if that destructor panics.
            let drop_value = unsafe {
                let header_ref = &*header.as_ptr();
                self.head.set(header_ref.next);
                header_ref.drop_value
            };
            self.pending.set(self.pending.get() - 1);
            run.count += 1;
            // SAFETY: `drop_value` was set by `DropNode::<T>::new` for this node's own `T`, and
            // the value has not been dropped (the node was still linked).
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| unsafe { drop_value(header) }));
            if let Err(payload) = outcome {
                if run.first_panic.is_none() {
                    run.first_panic = Some(DestructorPanic {
                        payload: Some(payload),
                    });
                } else {
                    discard_payload(payload);
                }
            }
        }
    }
}
