//! No string longer than `graphql.max_string_chars` reaches a resolver, whether it is
//! written into the document or sent as a variable: such a request is a `VALIDATION`
//! error naming the argument (`search`, `input.title`, `answers[3].note`), not an
//! `INTERNAL` from whatever underneath first chokes on it (SQLite's LIKE, say).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerResult, Variables};
use async_graphql_value::{ConstValue, Value};

use crate::error::ApiError;

pub struct StringLimit {
    pub max_chars: usize,
}

impl ExtensionFactory for StringLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(StringLimit {
            max_chars: self.max_chars,
        })
    }
}

#[async_trait::async_trait]
impl Extension for StringLimit {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if let Some(field) = too_long(&document, variables, self.max_chars) {
            let error =
                ApiError::field(field, format!("内容过长（最多 {} 个字符）", self.max_chars));
            return Err(error.into_server_error());
        }
        Ok(document)
    }
}

/// The path of the first argument whose strings exceed `max`.
fn too_long(document: &ExecutableDocument, variables: &Variables, max: usize) -> Option<String> {
    let mut sets: Vec<&SelectionSet> = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .collect();
    sets.extend(
        document
            .fragments
            .values()
            .map(|f| &f.node.selection_set.node),
    );
    while let Some(set) = sets.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    for (name, value) in &field.node.arguments {
                        if let Some(path) =
                            value_too_long(&value.node, name.node.as_str(), variables, max)
                        {
                            return Some(path);
                        }
                    }
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => sets.push(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    None
}

fn value_too_long(value: &Value, path: &str, variables: &Variables, max: usize) -> Option<String> {
    match value {
        Value::String(s) if s.chars().count() > max => Some(path.to_owned()),
        Value::Variable(name) => variables
            .get(name)
            .and_then(|v| const_too_long(v, path, max)),
        Value::List(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| value_too_long(v, &format!("{path}[{i}]"), variables, max)),
        Value::Object(fields) => fields
            .iter()
            .find_map(|(k, v)| value_too_long(v, &format!("{path}.{k}"), variables, max)),
        _ => None,
    }
}

fn const_too_long(value: &ConstValue, path: &str, max: usize) -> Option<String> {
    match value {
        ConstValue::String(s) if s.chars().count() > max => Some(path.to_owned()),
        ConstValue::List(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| const_too_long(v, &format!("{path}[{i}]"), max)),
        ConstValue::Object(fields) => fields
            .iter()
            .find_map(|(k, v)| const_too_long(v, &format!("{path}.{k}"), max)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, variables: serde_json::Value) -> Option<String> {
        let document = async_graphql::parser::parse_query(query).unwrap();
        let variables = Variables::from_json(variables);
        too_long(&document, &variables, 5)
    }

    #[test]
    fn names_the_argument_however_the_string_arrives() {
        assert_eq!(
            check("{ a(x: \"123456\") }", serde_json::json!({})),
            Some("x".into())
        );
        assert_eq!(check("{ a(x: \"12345\") }", serde_json::json!({})), None);
        assert_eq!(
            check(
                "query($v: String) { a { b(search: $v) } }",
                serde_json::json!({ "v": "abcdef" })
            ),
            Some("search".into())
        );
        assert_eq!(
            check(
                "mutation($a: [In!]!) { save(answers: $a) }",
                serde_json::json!({ "a": [{ "note": "ok" }, { "note": "too long" }] })
            ),
            Some("answers[1].note".into())
        );
        assert_eq!(
            check(
                "{ ...F } fragment F on Q { a(input: { t: \"xxxxxxx\" }) }",
                serde_json::json!({})
            ),
            Some("input.t".into())
        );
        assert_eq!(
            check("{ a(x: \"中文五个字\") }", serde_json::json!({})),
            None,
            "characters, not bytes"
        );
    }
}
