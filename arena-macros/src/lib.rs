//! The procedural macros of the [`arena`](https://docs.rs/arena) crate. Depend on `arena`, which
//! re-exports them; generated code names only `::arena::__private` (or the `crate = path` you
//! give) and `::core`.
//!
//! `#[arena_alloc]` is a pipeline, one module per step: `attr` parses the options, `ast` the
//! item and its fields (with `shape` for the mapping of field types), `valid` checks it,
//! `expand` generates the code (one file per generated item family under `expand/`), and
//! `fallback` emits the item plus the errors when something is wrong; `errors` collects the
//! errors of every step, so they are all reported at once. `scope` holds `arena_scope!`.
#![deny(missing_docs)]

mod ast;
mod attr;
mod errors;
mod expand;
mod fallback;
mod scope;
mod serde_attr;
mod shape;
mod valid;

use proc_macro::TokenStream;

/// Generates, for a struct or an enum that borrows an arena, its owned twin and the code that
/// copies values between the arena and the heap.
///
/// ```
/// use arena::{arena_alloc, arena_scope, Arena, ArenaVec, CloneIn, CloneOut};
///
/// #[arena_alloc]
/// #[derive(Debug)]
/// pub struct Person<'a> {
///     pub name: &'a str,
///     pub age: u32,
///     pub tags: &'a [&'a str],
///     pub friends: ArenaVec<'a, &'a Person<'a>>,
///     pub best: Option<&'a Person<'a>>,
/// }
///
/// // `PersonOwned` has the same fields, on the heap:
/// let owned: PersonOwned = arena_scope!(|mem| {
///     let bob = mem.alloc(Person {
///         name: mem.alloc_str("bob"),
///         age: 42,
///         tags: mem.alloc_slice_copy(&["admin"]),
///         friends: ArenaVec::new_in(mem),
///         best: None,
///     });
///     bob.clone_out()
/// }); // the arena is gone, the copy lives on
/// assert_eq!(owned.name, "bob");
/// assert_eq!(owned.tags, vec![String::from("admin")]);
///
/// // Back into an arena, from the heap:
/// let mem = Arena::new();
/// let again: Person<'_> = owned.clone_in(&mem);
/// assert_eq!(again.age, 42);
/// ```
///
/// # What is generated
///
/// For `#[arena_alloc] struct Person<'a> { .. }`:
///
/// - `PersonOwned`, the *owned twin*: same visibility, field names, docs and variants, with each
///   field type mapped by the table below; `#[derive(Debug, Clone)]` unless `derive(..)` says
///   otherwise.
/// - `impl CloneOut for Person<'_>` with `type Owned = PersonOwned`: a deep copy to the heap.
/// - `impl<'n> CloneIn<'n> for Person<'_>` with `type Cloned = Person<'n>`: a deep copy into
///   another arena.
/// - `impl<'n> CloneIn<'n> for PersonOwned` with `type Cloned = Person<'n>`: heap to arena.
///
/// # Mapping of field types
///
/// `'a` is the arena's lifetime, `X'` the owned form of `X`.
///
/// | field type in the arena type | field type in the twin | notes |
/// |---|---|---|
/// | `bool`, `char`, integers, floats, `()` | the same | copied |
/// | `&'a str`, `&'a mut str`, `ArenaString<'a>` | `String` | |
/// | `&'a [X]`, `&'a mut [X]`, `ArenaVec<'a, X>` | `Vec<X'>` | a slice of plain data is copied with one `memcpy` |
/// | `ArenaHashMap<'a, K, V>` | `HashMap<K', V'>` | |
/// | `&'a X`, `&'a mut X` | `X'` | no `Box`: the value is stored inline |
/// | `&'a Self` or `&'a Person<'a>` directly, or inside `Option`, `Result`, a tuple or an array | `Box<PersonOwned>` | boxed, or the twin would be infinitely large |
/// | `&'a Self` inside a slice, `ArenaVec` or `ArenaHashMap` | `PersonOwned` | already on the heap |
/// | `Option<X>`, `Result<X, Y>`, `(X, Y, ..)`, `[X; N]` | `Option<X'>`, `Result<X', Y'>`, `(X', Y', ..)`, `[X'; N]` | |
/// | `PhantomData<X>` | `PhantomData<X'>` | |
/// | `Cell<X>` of plain data (`Cell<u32>`) | `Cell<X>` | a `Cell` whose value borrows the arena (`Cell<&'a str>`) is an error at the field: a `Cell` hands out only copies, and the owned form of a borrowed value is not `Copy` |
/// | a type parameter `T` | `T` | in the twin, `T` stands for the owned form: `Pair<'a, T>` clones out to `PairOwned<T::Owned>` |
/// | `&'b X` where `'b` is not the arena's lifetime (`&'static str`) | the same | the reference is copied |
/// | any other type `X` (another `#[arena_alloc]` type, a hand-written type) | `<X as CloneOut>::Owned` | copied through its [`CloneOut`] / [`CloneIn`] impls; its owned form must clone in to `X` |
///
/// The item's bounds, inline or in a `where` clause, hold on every generated impl; on the
/// twin's `CloneIn` impl, whose `T` is the owned form, they hold for the copies
/// (`<T as CloneIn<'n>>::Cloned`).
///
/// Types are recognised by their last path segment (`Option`, `arena::ArenaVec`, ..). Only a
/// *direct* self-reference is boxed: for mutually recursive types, break the cycle with
/// `#[arena(with = ..)]`.
///
/// [`CloneOut`]: https://docs.rs/arena/latest/arena/trait.CloneOut.html
/// [`CloneIn`]: https://docs.rs/arena/latest/arena/trait.CloneIn.html
///
/// # Options
///
/// `#[arena_alloc(owned = PersonData, derive(Debug, Clone, PartialEq), crate = ::my_arena, lifetime = 'a)]`
///
/// | option | meaning |
/// |---|---|
/// | `owned = Name` | name of the twin; default `<Item>Owned` |
/// | `derive(Trait, ..)` | derives for the twin, *replacing* the default `Debug, Clone`; `derive()` derives nothing |
/// | `crate = path` | where the `arena` crate is, when the dependency is renamed; default `::arena` |
/// | `lifetime = 'a` | which lifetime parameter is the arena's, when the item has several; references with the other lifetimes are copied as they are, and the twin keeps those lifetimes |
/// | `deserialize` | also generates `impl DeserializeIn<'a>` (feature `serde` of `arena`): see below |
///
/// # Deserializing: `#[arena_alloc(deserialize)]`
///
/// Generates `DeserializeIn<'a>`, so `Item::deserialize_in(deserializer, &mem)` reads any serde
/// format straight into the arena: what `#[derive(Deserialize)]` does for heap types, with the
/// same wire forms (a struct is a map or a sequence, an enum is externally tagged). Each field
/// is read through its type's `DeserializeIn` (`&'a str` and slices are copied into the arena),
/// an `#[arena(clone)]` field through its own `serde::Deserialize`. The `#[serde(..)]` attributes
/// users already write are honoured:
///
/// | attribute | on | effect |
/// |---|---|---|
/// | `rename = ".."`, `rename(deserialize = "..")` | item, field, variant | the name read (the item's appears in messages) |
/// | `rename_all = ".."` | item | how field (struct) or variant (enum) names are spelt: serde's eight rules |
/// | `deny_unknown_fields` | item | an unknown key is an error naming the key and the fields |
/// | `alias = ".."` | field, variant | another accepted name; may repeat |
/// | `default` | field | when absent: `DefaultIn::default_in`, i.e. `Default::default()`, or an empty `ArenaVec` / `ArenaString` / `ArenaHashMap` in the arena |
/// | `default = "path"` | field | when absent: `path()` |
/// | `skip_deserializing`, `skip` | field | never read (its key is unknown); always the default |
/// | `skip_serializing`, `skip_serializing_if`, `serialize_with`, `getter`, `crate` | | only for `#[derive(Serialize)]`: accepted, no effect here |
///
/// A missing `Option` field is `None`, as with serde_derive. Any other serde attribute
/// (`flatten`, `tag`, `untagged`, `with`, `other` ..) is a compile error at its tokens that lists
/// these. `#[derive(Serialize)]` on the same item keeps working (both read the same
/// attributes); without a serde derive the `#[serde(..)]` attributes are removed from the
/// emitted item, so they need no registration.
///
/// The owned twin reads and writes the same documents as the item: when its `derive(..)` names
/// `Serialize` or `Deserialize`, it repeats the item's `#[serde(..)]` attributes (on the item,
/// each field and each variant) as written, so `#[arena_alloc(deserialize, derive(Deserialize,
/// Serialize))]` gives two types with one wire form. A `default = "path"` is then called for the
/// twin too, so `path` must also give the twin's field type (plain `default` needs no care).
/// Without a serde derive in `derive(..)` the twin has no `#[serde(..)]` attribute.
///
/// ```
/// use arena::{arena_alloc, arena_scope, DeserializeIn};
///
/// #[arena_alloc(deserialize)]
/// #[derive(Debug)]
/// pub struct Order<'a> {
///     #[serde(rename = "order_id")]
///     pub id: u64,
///     pub lines: &'a [Line<'a>],
/// }
///
/// #[arena_alloc(deserialize)]
/// #[derive(Debug)]
/// pub enum Line<'a> {
///     Item { sku: &'a str, quantity: u32 },
///     Note(&'a str),
/// }
///
/// let text = r#"{"order_id": 7, "lines": [{"Item": {"sku": "A1", "quantity": 2}}, {"Note": "gift"}]}"#;
/// let quantity = arena_scope!(|mem| {
///     let order = Order::deserialize_in(&mut serde_json::Deserializer::from_str(text), mem).unwrap();
///     match order.lines[0] {
///         Line::Item { quantity, .. } => quantity,
///         Line::Note(_) => 0,
///     }
/// });
/// assert_eq!(quantity, 2);
/// ```
///
/// # Field attributes
///
/// | attribute | meaning |
/// |---|---|
/// | `#[arena(clone)]` | the twin has the same type, copied with `Clone::clone` in every direction; the type must not borrow the arena |
/// | `#[arena(with = module)]` | the twin's type is `module::Owned`, and the copies call `module::clone_out(&field) -> Owned`, `module::clone_in(&field, &'n Arena) -> Field<'n>` and `module::from_owned(&Owned, &'n Arena) -> Field<'n>` |
///
/// ```
/// use arena::{arena_alloc, Arena, CloneOut};
///
/// mod upper {
///     use arena::Arena;
///     pub type Owned = String;
///     pub fn clone_out(name: &&str) -> String {
///         name.to_uppercase()
///     }
///     pub fn clone_in<'n>(name: &&str, arena: &'n Arena) -> &'n str {
///         arena.alloc_str(name)
///     }
///     pub fn from_owned<'n>(name: &str, arena: &'n Arena) -> &'n str {
///         arena.alloc_str(&name.to_lowercase())
///     }
/// }
///
/// #[derive(Clone, Debug, PartialEq)]
/// pub enum Color {
///     Red,
/// }
///
/// #[arena_alloc(owned = Label, derive(Debug, PartialEq))]
/// pub struct Tag<'a> {
///     #[arena(with = upper)]
///     pub name: &'a str,
///     #[arena(clone)]
///     pub color: Color,
/// }
///
/// let mem = Arena::new();
/// let tag = Tag { name: mem.alloc_str("urgent"), color: Color::Red };
/// assert_eq!(tag.clone_out(), Label { name: "URGENT".into(), color: Color::Red });
/// ```
///
/// # Errors
///
/// Each mistake is a compile error at the tokens that caused it, all reported at once, and the
/// item itself is still emitted so the rest of the crate compiles: a union; no lifetime
/// parameter; several lifetimes without `lifetime = ..`; a field type that needs `Drop`
/// (`String`, `Vec<T>`, `Box<T>`, `HashMap`: use `&'a str`, `ArenaVec<'a, T>`, `&'a T`,
/// `ArenaHashMap`); a type it cannot copy (function pointers, raw pointers, trait objects);
/// misspelt or repeated options.
///
/// A field whose type borrows nothing and has no [`CloneOut`] impl (a plain `Copy` enum, say)
/// is one error at the field, which says to mark it `#[arena(clone)]`.
#[proc_macro_attribute]
pub fn arena_alloc(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::arena_alloc(args.into(), item.into()).into()
}

/// Runs a closure with a pooled per-thread arena that is reset and returned to the pool when
/// the closure ends, recording the call site for `ARENA_DEBUG=arenatrace=1`.
///
/// `arena_scope!(|mem| body)` or, with options in any order, each at most once,
/// `arena_scope!(capacity = 1 << 20, limit = 64 << 20, label = "req", |mem| body)`:
///
/// | option | meaning |
/// |---|---|
/// | `capacity = bytes` | memory the arena reserves up front |
/// | `limit = bytes` | hard limit on the memory the arena may reserve |
/// | `label = "name"` | the name in traces and limit errors; default the call site `file:line` |
/// | `count_allocations = bool` | count the scope's allocations in `mem.stats().allocations` (otherwise counted only while tracing: counting costs a store per allocation) |
///
/// ```
/// use arena::arena_scope;
///
/// let total: u64 = arena_scope!(label = "sum", |mem| {
///     let squares = mem.alloc_slice_fill_with(10, |i| (i * i) as u64);
///     squares.iter().sum()
/// });
/// assert_eq!(total, 285);
///
/// let allocations = arena_scope!(count_allocations = true, |mem| {
///     mem.alloc(1u32);
///     mem.alloc_str("two");
///     mem.stats().allocations
/// });
/// assert_eq!(allocations, Some(2));
/// assert_eq!(arena_scope!(|mem| mem.stats().allocations), None); // unless tracing
/// ```
///
/// Nothing borrowed from the scope's arena can leave the closure: `arena_scope!(|mem|
/// mem.alloc_str("bob"))` is a borrow error ("lifetime may not live long enough"). Copy the
/// value out instead:
///
/// ```
/// use arena::{arena_scope, CloneOut};
///
/// let name: String = arena_scope!(|mem| mem.alloc_str("bob").clone_out());
/// assert_eq!(name, "bob");
/// ```
#[proc_macro]
pub fn arena_scope(tokens: TokenStream) -> TokenStream {
    scope::arena_scope(tokens.into()).into()
}
