//! How a field type maps to its owned form: the rows of the mapping table in the docs of
//! `#[arena_alloc]`, recognised from the syntax of the type.

use crate::errors::Errors;
use proc_macro2::Span;
use syn::visit::Visit;
use syn::{Expr, GenericArgument, Ident, Lifetime, PathArguments, Type};

/// The owned form of one field type, recursively.
pub enum Shape {
    /// A primitive (`u32`, `bool`, `()` …): the same type, copied.
    Plain(Type),
    /// Any other type: through its `CloneOut` / `CloneIn` impls.
    Leaf(Type),
    /// A type parameter `T`: the twin's `T` stands for the owned form of the arena's `T`.
    Param(Ident),
    /// A shared reference that does not borrow the arena (`&'static str`): copied as it is.
    Kept(Type),
    /// `&'a str` → `String`.
    Str { mutable: bool },
    /// `&'a [T]` → `Vec<T>`.
    Slice { element: Box<Shape>, mutable: bool },
    /// `&'a T` → the owned `T`, without a `Box`.
    Ref { target: Box<Shape>, mutable: bool },
    /// `&'a Self`: the twin, boxed unless a slice, vector or map already puts it on the heap.
    SelfRef { mutable: bool },
    /// `Self` by value (inside an `ArenaVec` for example): the twin.
    SelfValue,
    /// `ArenaVec<'a, T>` → `Vec<T>`.
    ArenaVec(Box<Shape>),
    /// `ArenaString<'a>` → `String`.
    ArenaString,
    /// `ArenaHashMap<'a, K, V>` → `HashMap<K, V>`; `key_type` is the arena-side key type.
    ArenaHashMap {
        key: Box<Shape>,
        key_type: Type,
        value: Box<Shape>,
    },
    /// `Option<T>`.
    Option(Box<Shape>),
    /// `Result<T, E>`.
    Result(Box<Shape>, Box<Shape>),
    /// `(A, B, ..)`.
    Tuple(Vec<Shape>),
    /// `[T; N]`.
    Array(Box<Shape>, Expr),
    /// `PhantomData<T>` → `PhantomData<owned T>`.
    Phantom(Box<Shape>),
    /// A type the macro cannot copy; an error has been recorded.
    Unsupported,
}

impl Shape {
    /// Whether a type parameter of the item appears anywhere in the shape.
    pub fn contains_param(&self) -> bool {
        match self {
            Shape::Param(_) => true,
            Shape::Slice { element: inner, .. }
            | Shape::Ref { target: inner, .. }
            | Shape::ArenaVec(inner)
            | Shape::Option(inner)
            | Shape::Array(inner, _)
            | Shape::Phantom(inner) => inner.contains_param(),
            Shape::ArenaHashMap { key, value, .. } => {
                key.contains_param() || value.contains_param()
            }
            Shape::Result(ok, error) => ok.contains_param() || error.contains_param(),
            Shape::Tuple(elements) => elements.iter().any(Shape::contains_param),
            _ => false,
        }
    }
}

/// Maps field types to [`Shape`]s, knowing the item's name, its arena lifetime and its type
/// parameters.
pub struct Classifier<'c> {
    pub item: &'c Ident,
    pub arena: &'c Ident,
    pub params: &'c [Ident],
}

const PRIMITIVES: &[&str] = &[
    "bool", "char", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
    "isize", "f32", "f64",
];

const UNSUPPORTED: &str = "mark the field `#[arena(clone)]` to copy it as it is, or \
    `#[arena(with = module)]` to convert it with your own functions";

impl Classifier<'_> {
    /// Classifies `ty`, recording in `errors` what cannot be mapped.
    pub fn classify(&self, ty: &Type, errors: &mut Errors) -> Shape {
        match ty {
            Type::Paren(inner) => self.classify(&inner.elem, errors),
            Type::Group(inner) => self.classify(&inner.elem, errors),
            Type::Reference(reference) => {
                let mutable = reference.mutability.is_some();
                let Some(lifetime) = &reference.lifetime else {
                    errors.at(
                        reference,
                        format!(
                            "a reference in an arena type borrows the arena: write `&'{} ..`",
                            self.arena
                        ),
                    );
                    return Shape::Unsupported;
                };
                if lifetime.ident != *self.arena {
                    if mutable {
                        errors.at(
                            reference,
                            format!(
                                "this `&mut` does not borrow the arena (`'{}`), so it cannot be copied; {UNSUPPORTED}",
                                self.arena
                            ),
                        );
                        return Shape::Unsupported;
                    }
                    self.reject_params(ty, errors);
                    return Shape::Kept(ty.clone());
                }
                match &*reference.elem {
                    Type::Path(path) if path.qself.is_none() && path.path.is_ident("str") => {
                        Shape::Str { mutable }
                    }
                    Type::Slice(slice) => Shape::Slice {
                        element: Box::new(self.classify(&slice.elem, errors)),
                        mutable,
                    },
                    target => match self.classify(target, errors) {
                        Shape::SelfValue => Shape::SelfRef { mutable },
                        target => Shape::Ref {
                            target: Box::new(target),
                            mutable,
                        },
                    },
                }
            }
            Type::Tuple(tuple) if tuple.elems.is_empty() => Shape::Plain(ty.clone()),
            Type::Tuple(tuple) => Shape::Tuple(
                tuple
                    .elems
                    .iter()
                    .map(|element| self.classify(element, errors))
                    .collect(),
            ),
            Type::Array(array) => Shape::Array(
                Box::new(self.classify(&array.elem, errors)),
                array.len.clone(),
            ),
            Type::Path(path) if path.qself.is_none() => self.classify_path(ty, &path.path, errors),
            Type::Path(_) => {
                self.reject_params(ty, errors);
                Shape::Leaf(ty.clone())
            }
            _ => {
                errors.at(
                    ty,
                    format!("#[arena_alloc] cannot deep-copy this type; {UNSUPPORTED}"),
                );
                Shape::Unsupported
            }
        }
    }

    fn classify_path(&self, ty: &Type, path: &syn::Path, errors: &mut Errors) -> Shape {
        let last = path.segments.last().expect("a path has a segment");
        let single = path.segments.len() == 1 && path.leading_colon.is_none();
        let name = last.ident.to_string();
        if single && last.arguments.is_none() {
            if self.params.contains(&last.ident) {
                return Shape::Param(last.ident.clone());
            }
            if PRIMITIVES.contains(&name.as_str()) {
                return Shape::Plain(ty.clone());
            }
        }
        if single && (last.ident == "Self" || last.ident == *self.item) {
            return Shape::SelfValue;
        }
        let types: Vec<&Type> = match &last.arguments {
            PathArguments::AngleBracketed(arguments) => arguments
                .args
                .iter()
                .filter_map(|argument| match argument {
                    GenericArgument::Type(ty) => Some(ty),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        match (name.as_str(), types.as_slice()) {
            ("Option", [inner]) => Shape::Option(Box::new(self.classify(inner, errors))),
            ("Result", [ok, error]) => Shape::Result(
                Box::new(self.classify(ok, errors)),
                Box::new(self.classify(error, errors)),
            ),
            ("ArenaVec", [element]) => Shape::ArenaVec(Box::new(self.classify(element, errors))),
            ("ArenaString", []) => Shape::ArenaString,
            ("ArenaHashMap", [key, value]) => Shape::ArenaHashMap {
                key: Box::new(self.classify(key, errors)),
                key_type: (*key).clone(),
                value: Box::new(self.classify(value, errors)),
            },
            ("Cell", [inner]) if uses_lifetime(inner, self.arena) => {
                errors.at(
                    ty,
                    format!(
                        "#[arena_alloc] cannot deep-copy a `Cell` whose value borrows the arena \
                         (`'{arena}`): a `Cell` hands out only copies of its value, and the owned \
                         form of a borrowed value (`String` for `&'{arena} str`) is not `Copy`; \
                         keep plain data in the `Cell` (`Cell<u32>`), or convert the field with \
                         `#[arena(with = module)]`",
                        arena = self.arena
                    ),
                );
                Shape::Unsupported
            }
            ("PhantomData", [inner]) => {
                let mut ignored = Errors::default();
                Shape::Phantom(Box::new(self.classify(inner, &mut ignored)))
            }
            _ => {
                self.reject_params(ty, errors);
                Shape::Leaf(ty.clone())
            }
        }
    }

    /// A type parameter inside a type the macro does not know cannot be mapped: in the twin, `T`
    /// means the owned form of the arena's `T`.
    fn reject_params(&self, ty: &Type, errors: &mut Errors) {
        if let Some(param) = first_param_in(ty, self.params) {
            errors.at(
                ty,
                format!(
                    "#[arena_alloc] maps a type parameter only where it stands alone, behind a \
                     reference, or inside `Option`, `Result`, tuples, arrays, slices, `ArenaVec` \
                     and `ArenaHashMap`; here `{param}` is inside another type; {UNSUPPORTED}"
                ),
            );
        }
    }
}

/// Looks through a type for a type parameter, or a lifetime, appearing in it.
struct Occurrences<'v> {
    params: &'v [Ident],
    lifetime: Option<&'v Ident>,
    found_param: Option<Ident>,
    found_lifetime: bool,
}

impl<'ast> Visit<'ast> for Occurrences<'_> {
    fn visit_type_path(&mut self, path: &'ast syn::TypePath) {
        if path.qself.is_none() && path.path.segments.len() == 1 {
            let ident = &path.path.segments[0].ident;
            if self.params.contains(ident) && self.found_param.is_none() {
                self.found_param = Some(ident.clone());
            }
        }
        syn::visit::visit_type_path(self, path);
    }

    fn visit_lifetime(&mut self, lifetime: &'ast Lifetime) {
        if Some(&lifetime.ident) == self.lifetime {
            self.found_lifetime = true;
        }
    }
}

/// The first of `params` that appears in `ty`.
pub fn first_param_in(ty: &Type, params: &[Ident]) -> Option<Ident> {
    let mut occurrences = Occurrences {
        params,
        lifetime: None,
        found_param: None,
        found_lifetime: false,
    };
    occurrences.visit_type(ty);
    occurrences.found_param
}

/// Whether the lifetime `lifetime` appears in `ty`.
pub fn uses_lifetime(ty: &Type, lifetime: &Ident) -> bool {
    let mut occurrences = Occurrences {
        params: &[],
        lifetime: Some(lifetime),
        found_param: None,
        found_lifetime: false,
    };
    occurrences.visit_type(ty);
    occurrences.found_lifetime
}

/// Finds what ties a type to the item it appears in: a lifetime other than `'static`, one of the
/// item's generic parameters, `Self`, or a macro whose expansion cannot be seen.
struct Ties<'v> {
    params: &'v [Ident],
    found: bool,
}

impl<'ast> Visit<'ast> for Ties<'_> {
    fn visit_lifetime(&mut self, lifetime: &'ast Lifetime) {
        if lifetime.ident != "static" {
            self.found = true;
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some(first) = path.segments.first() {
            if path.leading_colon.is_none()
                && (first.ident == "Self" || self.params.contains(&first.ident))
            {
                self.found = true;
            }
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, _: &'ast syn::Macro) {
        self.found = true;
    }
}

/// Whether `ty` stands on its own, apart from the item: no lifetime but `'static`, none of
/// `params` (the item's type and const parameters), no `Self`. Its impls can then be checked
/// where the item is defined.
pub fn is_standalone(ty: &Type, params: &[Ident]) -> bool {
    let mut ties = Ties {
        params,
        found: false,
    };
    ties.visit_type(ty);
    !ties.found
}

/// A placeholder arena lifetime for when the item has none (an error has been recorded).
pub fn placeholder_lifetime() -> Ident {
    Ident::new("__arena_missing", Span::call_site())
}
