//! An OpenAPI 3 description of AddPermission, generated from the contract, for other tools
//! (Schemathesis, Dredd, client generators).
//!
//! OpenAPI patterns are ECMA-262 regexes matched anywhere in the value, so every pattern is
//! emitted anchored and translated to AWS's meaning (`\d` = `[0-9]`, `\s` = ASCII white space),
//! the same translation the reference uses, spelled the ECMA way.

use super::{contract, ErrorKind, Location, Member, MemberType};
use serde_json::{json, Map, Value};

/// The pattern of `m` as an anchored ECMA-262 regex with AWS's meaning.
fn ecma_pattern(m: &Member) -> Option<String> {
    let p = m.pattern.as_ref()?;
    let rust = super::translate(p.value.source()).ok()?;
    let ecma = rust
        .replace(r"\x{85}", r"\u0085")
        .replace(r"\x{2028}", r"\u2028")
        .replace(r"\x{2029}", r"\u2029");
    Some(format!("^(?:{ecma})$"))
}

fn schema(m: &Member) -> Value {
    let mut s = Map::new();
    s.insert(
        "type".into(),
        json!(match m.ty {
            MemberType::String => "string",
            MemberType::Boolean => "boolean",
        }),
    );
    if let Some(min) = m.min() {
        s.insert("minLength".into(), json!(min));
    }
    if let Some(max) = m.max() {
        s.insert("maxLength".into(), json!(max));
    }
    if let Some(p) = ecma_pattern(m) {
        s.insert("pattern".into(), json!(p));
    }
    if let Some(e) = &m.enum_values {
        s.insert("enum".into(), json!(e.value));
    }
    s.insert("description".into(), json!(m.description));
    Value::Object(s)
}

/// A body AWS accepts (201 on an existing function without a policy): schema-driven tools
/// rarely draw one by chance, since the schema cannot say which principals are valid.
pub fn example_body() -> Value {
    json!({"StatementId": "example-sid", "Action": super::INVOKE_ACTION,
           "Principal": "s3.amazonaws.com", "SourceArn": "arn:aws:s3:::example-bucket",
           "SourceAccount": super::DEFAULT_ACCOUNT})
}

/// The OpenAPI 3.0 document.
pub fn openapi() -> Value {
    let c = contract();
    let param = |m: &Member, location: &str| json!({"name": m.name, "in": location, "required": m.required, "schema": schema(m)});
    let mut parameters = Vec::new();
    let mut properties = Map::new();
    let mut required = Vec::new();
    for m in &c.members {
        match m.location {
            Location::Uri => parameters.push(param(m, "path")),
            Location::Query => parameters.push(param(m, "query")),
            Location::Body => {
                let mut schema = schema(m);
                // The reference, like AWS's JSON reader, takes a null member for an absent one:
                // fine for an optional member, "must not be null" for a required one.
                if !m.required {
                    schema["nullable"] = json!(true);
                }
                properties.insert(m.name.into(), schema);
                if m.required {
                    required.push(m.name);
                }
            }
        }
    }
    let mut responses = Map::new();
    responses.insert(
        "201".into(),
        json!({"description": "The statement was added.",
               "content": {"application/json": {"schema": {
                   "type": "object", "required": ["Statement"],
                   "properties": {"Statement": {"type": "string"}}}}}}),
    );
    for status in [400u16, 404, 409, 412, 429, 500] {
        let names: Vec<&str> = ErrorKind::ALL
            .iter()
            .filter(|e| e.status() == status)
            .map(|e| e.name())
            .collect();
        responses.insert(
            status.to_string(),
            json!({"description": names.join(", "),
                   "headers": {"x-amzn-ErrorType": {"schema": {"type": "string", "enum": names}}},
                   "content": {"application/json": {"schema": {"type": "object", "properties": {
                       "Type": {"type": "string"}, "message": {"type": "string"}, "Message": {"type": "string"}}}}}}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "AWS Lambda AddPermission (addperm contract)", "version": "2015-03-31"},
        "paths": {"/2015-03-31/functions/{FunctionName}/policy": {"post": {
            "operationId": "AddPermission",
            "parameters": parameters,
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": {"type": "object", "required": required, "properties": properties},
                "example": example_body()}}},
            "responses": responses,
        }}},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_is_described_with_its_constraints() {
        let doc = openapi();
        let op = &doc["paths"]["/2015-03-31/functions/{FunctionName}/policy"]["post"];
        assert_eq!(op["parameters"].as_array().unwrap().len(), 2);
        let props = op["requestBody"]["content"]["application/json"]["schema"]["properties"]
            .as_object()
            .unwrap();
        assert_eq!(props.len(), 10);
        assert_eq!(props["StatementId"]["maxLength"], 100);
        assert_eq!(props["SourceAccount"]["pattern"], "^(?:[0-9]{12})$");
        assert_eq!(props["InvokedViaFunctionUrl"]["type"], "boolean");
        assert_eq!(props["SourceArn"]["nullable"], true);
        assert!(props["StatementId"].get("nullable").is_none());
        assert_eq!(
            props["FunctionUrlAuthType"]["enum"],
            json!(["AWS_IAM", "NONE"])
        );
        let example = &op["requestBody"]["content"]["application/json"]["example"];
        assert_eq!(example, &example_body());
        assert_eq!(example["Principal"], "s3.amazonaws.com");
        assert!(op["responses"]["412"]["description"]
            .as_str()
            .unwrap()
            .contains("PreconditionFailedException"));
    }
}
