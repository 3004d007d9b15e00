//! The `#[serde(..)]` attributes `#[arena_alloc(deserialize)]` honours, parsed from the item as
//! the user wrote it for serde_derive: container `rename`, `rename_all`, `deny_unknown_fields`;
//! field `rename`, `alias`, `default`, `skip_deserializing` (and `skip`); variant `rename`,
//! `alias`. Attributes that only change serialization are accepted and left to
//! `#[derive(Serialize)]`; any other is an error at its tokens naming what is supported.

use crate::errors::Errors;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, DeriveInput, ExprPath, LitStr};

const SUPPORTED: &str = "#[arena_alloc(deserialize)] supports, on the item: `rename`, \
    `rename_all`, `deny_unknown_fields`; on a field: `rename`, `alias`, `default`, \
    `default = \"path\"`, `skip_deserializing`, `skip`; on a variant: `rename`, `alias` (and \
    attributes that only change serialization)";

/// The options of the whole item.
#[derive(Default)]
pub struct Container {
    /// `rename = ".."`: the name given to the deserializer.
    pub rename: Option<String>,
    /// `rename_all = ".."`: how field (struct) or variant (enum) names are spelt.
    pub rename_all: Option<RenameRule>,
    /// `deny_unknown_fields`: a key that is no field is an error.
    pub deny_unknown_fields: bool,
}

/// What a missing field becomes.
pub enum DefaultValue {
    /// `#[serde(default)]`: `DefaultIn::default_in` (empty arena containers, `Default` otherwise).
    Default,
    /// `#[serde(default = "path")]`: `path()`.
    Path(ExprPath),
}

/// The options of one field.
#[derive(Default)]
pub struct FieldAttrs {
    pub rename: Option<String>,
    pub aliases: Vec<String>,
    pub default: Option<DefaultValue>,
    /// `skip_deserializing` or `skip`: never read, always the default.
    pub skip: bool,
}

/// The options of one variant.
#[derive(Default)]
pub struct VariantAttrs {
    pub rename: Option<String>,
    pub aliases: Vec<String>,
}

/// serde's case conventions for `rename_all`.
#[derive(Clone, Copy)]
pub enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

const RULES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

impl RenameRule {
    /// A field name, written in snake_case in Rust, spelt by this rule.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal | RenameRule::Camel => {
                let mut out = String::new();
                let mut capitalize = matches!(self, RenameRule::Pascal);
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        out.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        out.push(ch);
                    }
                }
                out
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// A variant name, written in PascalCase in Rust, spelt by this rule.
    pub fn apply_to_variant(self, variant: &str) -> String {
        let snake = || {
            let mut out = String::new();
            for (index, ch) in variant.char_indices() {
                if index > 0 && ch.is_uppercase() {
                    out.push('_');
                }
                out.push(ch.to_ascii_lowercase());
            }
            out
        };
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => {
                let mut chars = variant.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            }
            RenameRule::Snake => snake(),
            RenameRule::ScreamingSnake => snake().to_ascii_uppercase(),
            RenameRule::Kebab => snake().replace('_', "-"),
            RenameRule::ScreamingKebab => snake().to_ascii_uppercase().replace('_', "-"),
        }
    }
}

fn is_serde(attr: &Attribute) -> bool {
    attr.path().is_ident("serde")
}

/// The name of a meta item as written (`rename`, `skip_serializing_if`).
fn key_of(meta: &ParseNestedMeta) -> String {
    meta.path
        .get_ident()
        .map_or_else(|| String::from("?"), ToString::to_string)
}

/// Skips the value of an attribute we do not read (`= expr` or `(..)`), so parsing goes on.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

/// `"name"`, or `(deserialize = "name")` / `(serialize = "..", deserialize = "..")`: the name
/// deserialization uses, if any.
fn parse_name(meta: &ParseNestedMeta) -> syn::Result<Option<LitStr>> {
    if meta.input.peek(syn::Token![=]) {
        return Ok(Some(meta.value()?.parse()?));
    }
    let mut name = None;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("deserialize") {
            name = Some(inner.value()?.parse::<LitStr>()?);
        } else if inner.path.is_ident("serialize") {
            inner.value()?.parse::<LitStr>()?;
        } else {
            return Err(inner.error("expected `serialize = \"..\"` or `deserialize = \"..\"`"));
        }
        Ok(())
    })?;
    Ok(name)
}

fn unsupported(meta: &ParseNestedMeta, place: &str, errors: &mut Errors) -> syn::Result<()> {
    let key = key_of(meta);
    errors.at(
        &meta.path,
        format!("`#[serde({key})]` on {place} is not supported here; {SUPPORTED}"),
    );
    skip_value(meta)
}

/// Runs `each` over the items of every `#[serde(..)]` attribute in `attrs`.
fn for_each_meta(
    attrs: &[Attribute],
    errors: &mut Errors,
    mut each: impl FnMut(&ParseNestedMeta, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|attr| is_serde(attr)) {
        let mut local = Errors::default();
        let parsed = attr.parse_nested_meta(|meta| each(&meta, &mut local));
        errors.extend(local);
        if let Err(error) = parsed {
            errors.push(error);
        }
    }
}

/// The container options, recording mistakes in `errors`.
pub fn container(item: &DeriveInput, errors: &mut Errors) -> Container {
    let mut options = Container::default();
    for_each_meta(&item.attrs, errors, |meta, errors| {
        match key_of(meta).as_str() {
            "rename" => options.rename = parse_name(meta)?.map(|name| name.value()),
            "rename_all" => {
                if let Some(rule) = parse_name(meta)? {
                    match RULES.iter().find(|(name, _)| *name == rule.value()) {
                        Some((_, found)) => options.rename_all = Some(*found),
                        None => {
                            let names: Vec<String> = RULES
                                .iter()
                                .map(|(name, _)| format!("\"{name}\""))
                                .collect();
                            errors.at(
                                &rule,
                                format!(
                                    "unknown rename rule `{}`; use one of {}",
                                    rule.value(),
                                    names.join(", ")
                                ),
                            );
                        }
                    }
                }
            }
            "deny_unknown_fields" => options.deny_unknown_fields = true,
            // Serialization only, or serde_derive's own: nothing to do here.
            "crate" => skip_value(meta)?,
            _ => unsupported(meta, "the item", errors)?,
        }
        Ok(())
    });
    options
}

/// `rename` and `alias`, which fields and variants share: records the name in `rename` or
/// `aliases` and returns `true`, or returns `false` for any other `key`.
fn names(
    key: &str,
    meta: &ParseNestedMeta,
    rename: &mut Option<String>,
    aliases: &mut Vec<String>,
) -> syn::Result<bool> {
    match key {
        "rename" => *rename = parse_name(meta)?.map(|name| name.value()),
        "alias" => aliases.push(meta.value()?.parse::<LitStr>()?.value()),
        _ => return Ok(false),
    }
    Ok(true)
}

/// The options of one field, recording mistakes in `errors`.
pub fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut options = FieldAttrs::default();
    for_each_meta(attrs, errors, |meta, errors| {
        let key = key_of(meta);
        if names(&key, meta, &mut options.rename, &mut options.aliases)? {
            return Ok(());
        }
        match key.as_str() {
            "default" => {
                options.default = Some(if meta.input.peek(syn::Token![=]) {
                    let path: LitStr = meta.value()?.parse()?;
                    DefaultValue::Path(path.parse()?)
                } else {
                    DefaultValue::Default
                });
            }
            "skip_deserializing" | "skip" => options.skip = true,
            "skip_serializing" | "skip_serializing_if" | "serialize_with" | "getter" => {
                skip_value(meta)?
            }
            _ => unsupported(meta, "a field", errors)?,
        }
        Ok(())
    });
    options
}

/// The options of one variant, recording mistakes in `errors`.
pub fn variant(attrs: &[Attribute], errors: &mut Errors) -> VariantAttrs {
    let mut options = VariantAttrs::default();
    for_each_meta(attrs, errors, |meta, errors| {
        let key = key_of(meta);
        if names(&key, meta, &mut options.rename, &mut options.aliases)? {
            return Ok(());
        }
        match key.as_str() {
            "skip_serializing" | "serialize_with" => skip_value(meta)?,
            _ => unsupported(meta, "a variant", errors)?,
        }
        Ok(())
    });
    options
}

/// Whether the item derives a serde trait itself (`#[derive(Serialize)]`, `serde::Deserialize`
/// ..), which registers `#[serde(..)]` as its helper attribute.
pub fn serde_derive_present(item: &DeriveInput) -> bool {
    item.attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .any(|attr| {
            let mut found = false;
            let _ = attr.parse_nested_meta(|meta| {
                let last = meta
                    .path
                    .segments
                    .last()
                    .map(|segment| segment.ident.to_string());
                found |= matches!(last.as_deref(), Some("Serialize" | "Deserialize"));
                Ok(())
            });
            found
        })
}

/// Removes every `#[serde(..)]` attribute from the item, its fields and variants: without a
/// serde derive nothing registers the attribute, and the compiler would reject it.
pub fn strip(item: &mut DeriveInput) {
    item.attrs.retain(|attr| !is_serde(attr));
    let strip_fields = |fields: &mut syn::Fields| {
        for field in fields.iter_mut() {
            field.attrs.retain(|attr| !is_serde(attr));
        }
    };
    match &mut item.data {
        syn::Data::Struct(data) => strip_fields(&mut data.fields),
        syn::Data::Enum(data) => {
            for variant in data.variants.iter_mut() {
                variant.attrs.retain(|attr| !is_serde(attr));
                strip_fields(&mut variant.fields);
            }
        }
        syn::Data::Union(data) => {
            for field in data.fields.named.iter_mut() {
                field.attrs.retain(|attr| !is_serde(attr));
            }
        }
    }
}

/// Every serde option of the item, in the order of its fields and variants.
pub struct Spec {
    pub container: Container,
    /// A struct's fields (empty for an enum).
    pub fields: Vec<FieldAttrs>,
    /// An enum's variants, each with its fields' options.
    pub variants: Vec<(VariantAttrs, Vec<FieldAttrs>)>,
}

/// Parses every `#[serde(..)]` of the item, recording mistakes in `errors`.
pub fn parse(item: &DeriveInput, errors: &mut Errors) -> Spec {
    let container = container(item, errors);
    let fields_of = |fields: &syn::Fields, errors: &mut Errors| -> Vec<FieldAttrs> {
        fields.iter().map(|f| field(&f.attrs, errors)).collect()
    };
    match &item.data {
        syn::Data::Struct(data) => Spec {
            container,
            fields: fields_of(&data.fields, errors),
            variants: Vec::new(),
        },
        syn::Data::Enum(data) => Spec {
            container,
            fields: Vec::new(),
            variants: data
                .variants
                .iter()
                .map(|v| (variant(&v.attrs, errors), fields_of(&v.fields, errors)))
                .collect(),
        },
        syn::Data::Union(_) => Spec {
            container,
            fields: Vec::new(),
            variants: Vec::new(),
        },
    }
}
