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
    /// The payload of the first destructor that panicked, if any.
    pub(crate) first_panic: Option<Box<dyn Any + Send + 'static>>,
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
    /// destructors run, and the first payload is handed back for the caller to resume once its
    /// own state is consistent.
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

    #[cold]
    fn run_pending(&mut self, run: &mut DropsRun) {
        while let Some(header) = self.head.get() {
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
                run.first_panic.get_or_insert(payload);
            }
        }
    }
}
