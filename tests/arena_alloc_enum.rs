//! An expression tree as an enum: unit, tuple and struct variants, direct self-references.

#![allow(missing_docs)] // test types, named for what they exercise; the tests are their documentation

use arena::{arena_alloc, arena_scope, Arena, CloneIn, CloneOut};

#[arena_alloc]
#[derive(Debug)]
pub enum Expr<'a> {
    /// A literal.
    Number(f64),
    Variable {
        name: &'a str,
    },
    Negate(&'a Expr<'a>),
    Binary {
        op: char,
        left: &'a Expr<'a>,
        right: &'a Self,
    },
    Call {
        function: &'a str,
        arguments: &'a [Expr<'a>],
    },
    Missing,
}

impl ExprOwned {
    fn eval(&self, x: f64) -> f64 {
        match self {
            ExprOwned::Number(value) => *value,
            ExprOwned::Variable { .. } => x,
            ExprOwned::Negate(inner) => -inner.eval(x),
            ExprOwned::Binary {
                op: '+',
                left,
                right,
            } => left.eval(x) + right.eval(x),
            ExprOwned::Binary {
                op: '*',
                left,
                right,
            } => left.eval(x) * right.eval(x),
            ExprOwned::Binary { op, .. } => panic!("unknown operator {op}"),
            ExprOwned::Call { arguments, .. } => {
                arguments.iter().map(|argument| argument.eval(x)).sum()
            }
            ExprOwned::Missing => f64::NAN,
        }
    }
}

/// `-(x * 3) + sum(1, 2)`
fn parse<'a>(mem: &'a Arena) -> &'a Expr<'a> {
    let x = mem.alloc(Expr::Variable {
        name: mem.alloc_str("x"),
    });
    let three = mem.alloc(Expr::Number(3.0));
    let product = mem.alloc(Expr::Binary {
        op: '*',
        left: x,
        right: three,
    });
    let negated = mem.alloc(Expr::Negate(product));
    let arguments = mem.alloc_slice_fill_with(2, |i| Expr::Number(i as f64 + 1.0));
    let call = mem.alloc(Expr::Call {
        function: mem.alloc_str("sum"),
        arguments,
    });
    mem.alloc(Expr::Binary {
        op: '+',
        left: negated,
        right: call,
    })
}

#[test]
fn expression_tree_clones_out_with_boxes() {
    let tree: ExprOwned = arena_scope!(|mem| parse(mem).clone_out());
    assert_eq!(tree.eval(2.0), -(2.0 * 3.0) + 3.0);
    match &tree {
        ExprOwned::Binary { left, .. } => match &**left {
            ExprOwned::Negate(inner) => {
                assert!(matches!(**inner, ExprOwned::Binary { op: '*', .. }))
            }
            other => panic!("expected a negation, got {other:?}"),
        },
        other => panic!("expected a sum, got {other:?}"),
    }
    // A slice of self-references by value is not boxed.
    if let ExprOwned::Binary { right, .. } = &tree {
        if let ExprOwned::Call {
            function,
            arguments,
        } = &**right
        {
            let _: &Vec<ExprOwned> = arguments;
            assert_eq!(function, "sum");
        }
    }
}

#[test]
fn unit_variants_survive() {
    let missing = Arena::new();
    let owned = missing.alloc(Expr::Missing).clone_out();
    assert!(matches!(owned, ExprOwned::Missing));
    let back: Expr<'_> = owned.clone_in(&missing);
    assert!(matches!(back, Expr::Missing));
}

#[test]
fn expression_tree_round_trips_through_arenas() {
    let target = Arena::new();
    let copied: &Expr<'_> = {
        let source = Arena::new();
        target.alloc(parse(&source).clone_in(&target))
    };
    let from_heap: Expr<'_> = copied.clone_out().clone_in(&target);
    assert_eq!(from_heap.clone_out().eval(1.0), -(3.0) + 3.0);
    assert_eq!(
        format!("{:?}", copied.clone_out()),
        format!("{:?}", from_heap.clone_out())
    );
}
