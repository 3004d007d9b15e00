//! Checks on the parsed item; each error points at the tokens that caused it and says what to
//! write instead.

use crate::ast::{Body, Field, Input};
use crate::attr::FieldMode;
use crate::errors::Errors;
use crate::shape;
use syn::visit::Visit;

/// Runs every check, recording each mistake in `errors`.
pub fn check(input: &Input, errors: &mut Errors) {
    match &input.body {
        Body::Union(union_token) => errors.at(
            union_token,
            "#[arena_alloc] supports structs and enums, not unions: which field of a union is \
             set is not known, so it cannot be deep-copied; use an enum",
        ),
        Body::Struct(fields) => fields
            .fields
            .iter()
            .for_each(|field| check_field(input, field, errors)),
        Body::Enum(variants) => variants
            .iter()
            .flat_map(|variant| &variant.fields.fields)
            .for_each(|field| check_field(input, field, errors)),
    }
}

fn check_field(input: &Input, field: &Field, errors: &mut Errors) {
    let arena = input
        .arena
        .as_ref()
        .map_or_else(|| "'a".to_owned(), ToString::to_string);
    let mut finder = DropTypes {
        arena: &arena,
        errors,
    };
    finder.visit_type(&field.ty);
    if let FieldMode::Clone(keyword) = &field.mode {
        if let Some(lifetime) = &input.arena {
            if shape::uses_lifetime(&field.ty, &lifetime.ident) {
                errors.at(
                    keyword,
                    format!(
                        "`#[arena(clone)]` keeps the field's type in the owned twin, but this type \
                         borrows the arena (`{lifetime}`), which the twin must outlive; remove \
                         `clone` to deep-copy it, or use `#[arena(with = module)]`"
                    ),
                );
            }
        }
        if let Some(param) = shape::first_param_in(&field.ty, &input.type_params) {
            errors.at(
                keyword,
                format!(
                    "`#[arena(clone)]` cannot keep a type that mentions the type parameter \
                     `{param}`: in the twin, `{param}` is the owned form; use \
                     `#[arena(with = module)]`"
                ),
            );
        }
    }
}

/// Finds types that need `Drop`, which an arena never runs.
struct DropTypes<'v> {
    arena: &'v str,
    errors: &'v mut Errors,
}

impl<'ast> Visit<'ast> for DropTypes<'_> {
    fn visit_type_path(&mut self, path: &'ast syn::TypePath) {
        let arena = self.arena;
        if let Some(last) = path.path.segments.last() {
            let instead = match last.ident.to_string().as_str() {
                "String" => Some(format!(
                    "`&{arena} str` (made with `mem.alloc_str`), or `ArenaString<{arena}>` to build it in place"
                )),
                "Vec" => Some(format!(
                    "`ArenaVec<{arena}, T>` (made with `mem.vec()`), or `&{arena} [T]`"
                )),
                "Box" | "Rc" | "Arc" => Some(format!("`&{arena} T` (made with `mem.alloc`)")),
                "HashMap" | "BTreeMap" => Some(format!(
                    "`ArenaHashMap<{arena}, K, V>` (made with `mem.hash_map()`)"
                )),
                _ => None,
            };
            if let Some(instead) = instead {
                self.errors.at(
                    path,
                    format!(
                        "`{}` needs `Drop`, but values in an arena are never dropped, so its memory \
                         would leak; use {instead}",
                        last.ident
                    ),
                );
            }
        }
        syn::visit::visit_type_path(self, path);
    }
}
