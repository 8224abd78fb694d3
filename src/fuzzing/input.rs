//! Bytes as a case: a `given` state (functions, versions, an alias, permissions granted before)
//! and one AddPermission request, both from the crate's `Arbitrary` dictionary, so a fuzzer's
//! mutations move between the states and requests the contract distinguishes.
//!
//! Every `given` permission is one the reference grants (a candidate it refuses is left out),
//! so any input gives a case that can be set up on a correct target: a divergence is then
//! always about the request or the state, never a broken fixture.

use crate::case::fixture::{ALIAS, FUNCTION};
use crate::case::{Given, GivenFunction, GivenPermission, Request};
use crate::contract::{DEFAULT_ACCOUNT, INVOKE_ACTION};
use crate::generate::values::{ACTIONS, SERVICES};
use crate::reference::{AddPermissionRequest, Body, Config, Reference};
use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The second function a case may have: the name the dictionary uses for "another function".
const OTHER: &str = "other-fn";

/// Most versions the fixture function gets: enough for a qualifier to name an old one.
const MAX_VERSIONS: u8 = 2;

/// Most permissions tried in `given` on the fixture function: enough for a duplicate Sid, a
/// RevisionId to change and a policy of several statements.
const MAX_GIVEN_PERMISSIONS: u8 = 3;

/// The `given` state and request `u` describes.
pub fn case_parts(u: &mut Unstructured<'_>) -> Result<(Given, Request)> {
    let mut world = Reference::new(Config::default());
    let mut fixture = GivenFunction {
        name: FUNCTION.into(),
        versions: Vec::new(),
        aliases: BTreeMap::new(),
        permissions: Vec::new(),
    };
    // The reference refuses nothing here: the names and versions are the contract's own.
    let _ = world.create_function(FUNCTION);
    for _ in 0..u.int_in_range(0..=MAX_VERSIONS)? {
        if let Ok(f) = world.publish_version(FUNCTION) {
            fixture.versions.push(f.version);
        }
    }
    if u.ratio(2, 3)? {
        let target = match fixture.versions.last() {
            Some(v) if u.ratio(3, 4)? => v.clone(),
            _ => "$LATEST".to_string(),
        };
        if world.create_alias(FUNCTION, ALIAS, &target).is_ok() {
            fixture.aliases.insert(ALIAS.into(), target);
        }
    }
    for _ in 0..u.int_in_range(0..=MAX_GIVEN_PERMISSIONS)? {
        let granted = AddPermissionRequest {
            function_name: FUNCTION.into(),
            qualifier: given_qualifier(u, &fixture)?,
            body: Body::Json(given_body(u)?),
        };
        if world.add_permission(&granted).is_ok() {
            let Body::Json(body) = granted.body else {
                unreachable!("built as JSON above")
            };
            fixture.permissions.push(GivenPermission {
                qualifier: granted.qualifier,
                body,
            });
        }
    }
    let mut functions = vec![fixture];
    if u.ratio(1, 4)? {
        functions.push(GivenFunction {
            name: OTHER.into(),
            versions: Vec::new(),
            aliases: BTreeMap::new(),
            permissions: Vec::new(),
        });
    }
    let request = request_of(AddPermissionRequest::arbitrary(u)?);
    Ok((Given { functions }, request))
}

/// The qualifier a `given` permission goes to: none, a published version or the alias.
fn given_qualifier(u: &mut Unstructured<'_>, f: &GivenFunction) -> Result<Option<String>> {
    let mut choices: Vec<Option<String>> = vec![None];
    choices.extend(f.versions.iter().cloned().map(Some));
    choices.extend(f.aliases.keys().cloned().map(Some));
    Ok(u.choose(&choices)?.clone())
}

/// A permission the reference grants on a fresh policy: a dictionary Sid (so the request can
/// collide with it), a dictionary action and a service or account principal. A duplicate Sid
/// makes the reference refuse it, and the caller leaves it out.
fn given_body(u: &mut Unstructured<'_>) -> Result<Value> {
    let sid = *u.choose(&GIVEN_SIDS)?;
    let action = if u.ratio(3, 4)? {
        INVOKE_ACTION
    } else {
        *u.choose(&ACTIONS)?
    };
    let principal = match u.int_in_range(0..=3u8)? {
        0 => DEFAULT_ACCOUNT.to_string(),
        _ => u.choose(&SERVICES)?.to_string(),
    };
    Ok(json!({"StatementId": sid, "Action": action, "Principal": principal}))
}

/// The Sids `given` permissions use: those of the `Arbitrary` dictionary, so a request's Sid
/// often meets one already in the policy.
const GIVEN_SIDS: [&str; 3] = ["existing", "new", "fuzz-1"];

/// An operation's request as a case writes it: a JSON body as JSON, any other body as the text
/// of its bytes (a case holds UTF-8; bytes that are not become U+FFFD, as the case then says).
fn request_of(req: AddPermissionRequest) -> Request {
    let (body, raw_body) = match req.body {
        Body::Json(v) => (Some(v), None),
        Body::Raw(bytes) => (None, Some(String::from_utf8_lossy(&bytes).into_owned())),
    };
    Request {
        function_name: req.function_name,
        qualifier: req.qualifier,
        body,
        raw_body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::arbitrary::test_bytes;
    use crate::generate::oracle;

    #[test]
    fn every_input_gives_a_case_the_reference_can_set_up() {
        let (mut with_permissions, mut with_versions) = (0, 0);
        let mut statuses = std::collections::BTreeSet::new();
        for seed in 0..400u64 {
            let data = test_bytes(seed, (seed % 300) as usize);
            let (given, request) = case_parts(&mut Unstructured::new(&data)).expect("any bytes");
            let answer = oracle::run(&given, &request);
            assert_ne!(answer.status, 0, "seed {seed}: setup failed: {answer}");
            with_permissions += usize::from(!given.functions[0].permissions.is_empty());
            with_versions += usize::from(!given.functions[0].versions.is_empty());
            statuses.insert(answer.status);
        }
        assert!(
            with_permissions > 20,
            "{with_permissions} cases with given permissions"
        );
        assert!(with_versions > 100, "{with_versions} cases with versions");
        // Random bytes reach refusals of several kinds; a fuzzer's guided inputs reach the 201s.
        assert!(statuses.len() >= 3, "statuses reached: {statuses:?}");
    }
}
