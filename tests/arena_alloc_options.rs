//! The options: `owned = Name`, `derive(..)`, `crate = path`, `lifetime = 'a`, and the field
//! attributes `#[arena(clone)]` and `#[arena(with = module)]`.

#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation

use arena::{arena_alloc, Arena, CloneIn, CloneOut};

#[arena_alloc(owned = Contact, derive(Debug, Clone, PartialEq, Eq, Hash, Default))]
pub struct Person<'a> {
    pub name: &'a str,
    pub emails: &'a [&'a str],
}

#[test]
fn renamed_twin_with_custom_derives() {
    let mem = Arena::new();
    let person = Person {
        name: mem.alloc_str("ada"),
        emails: mem.alloc_slice_copy(&["a@x"]),
    };
    let contact: Contact = person.clone_out();
    assert_eq!(
        contact,
        Contact {
            name: "ada".into(),
            emails: vec!["a@x".into()]
        }
    );
    assert_eq!(
        Contact::default(),
        Contact {
            name: String::new(),
            emails: Vec::new()
        }
    );
    let mut set = std::collections::HashSet::new();
    set.insert(contact.clone());
    assert!(set.contains(&contact));
}

/// The `arena` crate under another path, as with a renamed dependency.
mod renamed {
    pub use ::arena::*;
}

#[arena_alloc(crate = crate::renamed)]
pub struct Note<'a> {
    pub text: &'a str,
}

#[test]
fn crate_option_routes_generated_paths() {
    let mem = renamed::Arena::new();
    let note = Note {
        text: mem.alloc_str("hi"),
    };
    assert_eq!(note.clone_out().text, "hi");
}

#[arena_alloc(lifetime = 'arena)]
pub struct Borrowing<'src, 'arena> {
    pub source: &'src str,
    pub copy: &'arena str,
}

#[test]
fn lifetime_option_picks_the_arena_lifetime() {
    let text = String::from("kept");
    let mem = Arena::new();
    let borrowing = Borrowing {
        source: &text,
        copy: mem.alloc_str("copied"),
    };
    let owned: BorrowingOwned<'_> = borrowing.clone_out();
    assert_eq!((owned.source, owned.copy.as_str()), ("kept", "copied"));
    let other = Arena::new();
    let back = owned.clone_in(&other);
    assert_eq!((back.source, back.copy), ("kept", "copied"));
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    Low,
    High,
}

/// Upper-cases names on the way out, lower-cases them on the way in.
mod shout {
    use arena::Arena;

    pub type Owned = String;

    pub fn clone_out(name: &&str) -> String {
        name.to_uppercase()
    }

    pub fn clone_in<'n>(name: &&str, arena: &'n Arena) -> &'n str {
        arena.alloc_str(name)
    }

    pub fn from_owned<'n>(name: &str, arena: &'n Arena) -> &'n str {
        arena.alloc_str(&name.to_lowercase())
    }
}

#[arena_alloc]
pub struct Task<'a> {
    #[arena(with = shout)]
    pub title: &'a str,
    #[arena(clone)]
    pub priority: Priority,
}

#[test]
fn field_attributes_clone_and_with() {
    let mem = Arena::new();
    let task = Task {
        title: mem.alloc_str("Ship"),
        priority: Priority::High,
    };
    let owned: TaskOwned = task.clone_out();
    assert_eq!(owned.title, "SHIP");
    assert_eq!(owned.priority, Priority::High);
    let back = owned.clone_in(&mem);
    assert_eq!(back.title, "ship");
    let copy = task.clone_in(&mem);
    assert_eq!((copy.title, copy.priority), ("Ship", Priority::High));
    assert_ne!(copy.priority, Priority::Low);
}

#[arena_alloc(derive())]
pub struct Bare<'a> {
    pub name: &'a str,
}

#[test]
fn empty_derive_list_derives_nothing() {
    let mem = Arena::new();
    let bare: BareOwned = Bare {
        name: mem.alloc_str("b"),
    }
    .clone_out();
    assert_eq!(bare.name, "b");
}
