//! Vendor extensions: which ones the generator reads, and a warning for every other one, so a
//! spec author who expects `x-something` to change the output learns that it does not.

use super::*;
use crate::spec::{Extensions, Schema};

/// The extensions the generator reads, and where.
pub(super) const KNOWN: &[&str] = &[
    // Operation: the group (client accessor) and the method name, as the official SDKs.
    "x-speakeasy-group",
    "x-speakeasy-name-override",
    // Operation: `x-speakeasy-pagination` gives a streamed list.
    "x-speakeasy-pagination",
    // Document: parameters held by the client (the account id) instead of each call.
    "x-speakeasy-globals",
    // Document: the globals are hidden from method signatures, which is what the client's
    // account id already does.
    "x-speakeasy-globals-hidden",
    // Operation: `required`, `optional` or `none` authentication.
    "x-cld-auth",
    // Operation: `idempotent`, `non-idempotent` or `never` retried.
    "x-cld-retry",
];

impl Lowerer<'_> {
    /// Warns once per unknown extension name, at its first place, counting the others.
    pub(super) fn check_extensions(&mut self) {
        let doc = self.doc;
        let mut sets: Vec<&Extensions> = vec![&doc.extensions];
        let mut schemas: Vec<&Schema> = Vec::new();
        for entry in &doc.paths {
            for p in &entry.parameters {
                sets.push(&p.extensions);
                schemas.extend(&p.schema);
            }
            for op in &entry.operations {
                sets.push(&op.extensions);
                for p in &op.parameters {
                    sets.push(&p.extensions);
                    schemas.extend(&p.schema);
                }
            }
        }
        for (_, p) in &doc.components.parameters {
            sets.push(&p.extensions);
        }
        schemas.extend(doc.components.schemas.iter().map(|(_, s)| s));
        // Schemas nest; an explicit stack keeps the walk free of recursion.
        while let Some(s) = schemas.pop() {
            sets.push(&s.extensions);
            schemas.extend(s.properties.iter().map(|(_, p)| p));
            schemas.extend(s.items.as_deref());
            schemas.extend(&s.prefix_items);
            schemas.extend(&s.all_of);
            schemas.extend(&s.one_of);
            schemas.extend(&s.any_of);
            schemas.extend(s.not.as_deref());
            if let Some(crate::spec::Additional::Schema(a)) = &s.additional {
                schemas.push(a);
            }
        }
        for set in sets {
            for (name, _) in &set.entries {
                if !KNOWN.contains(&name.as_str()) {
                    self.diagnostics.warn_once(
                        &format!("extension:{name}"),
                        &set.pointer_of(name),
                        format!("vendor extension {name} is not read by the generator"),
                    );
                }
            }
        }
    }
}
