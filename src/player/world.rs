//! A case played on an in-process world: what AWS answers and stores, seen from the inside.
//!
//! The player asks the reference two questions about a case, and both are this one play. What
//! AWS holds after the case (the stored-policy expectation): the case played on a fresh world.
//! Whether a fixture a pool lends is as good as a fresh one: the case played on a copy of the
//! pool's mirror of the target (the lent functions with what earlier cases left on them, under
//! the target's names), and compared with the fresh play.

use super::{Fixture, PlayError, Player, Renaming};
use crate::case::{Given, Placeholders, Request};
use crate::reference::{Config, Reference};
use crate::target::{observe, Observed, Reply, Session, TargetError};
use crate::wire::{answer, execute, Operation, Response};
use std::collections::{BTreeSet, HashMap};

pub(crate) use crate::reference::Statements;

/// The function (target name) and policy key an operation addresses.
pub(crate) type Address = (String, Option<String>);

/// A case played on a world.
#[derive(Debug, Clone)]
pub(crate) struct WorldPlay {
    /// The answer, under the case's names.
    pub answer: Observed,
    /// The policy the request addressed, where it names an existing function.
    pub addressed: Option<Address>,
    /// That policy just before the request (after `given`) and after it.
    pub before: Statements,
    pub after: Statements,
    /// Whether its RevisionId changed with the request.
    pub revision_changed: bool,
    /// The policies the `given` permissions went to.
    pub given_keys: BTreeSet<Address>,
    /// How the request's function was renamed for the world.
    pub renaming: Option<Renaming>,
}

/// A reference seen through a session that names functions as a target's session does.
struct WorldSession<'a> {
    world: &'a mut Reference,
    rename: &'a dyn Fn(&str) -> String,
}

impl Session for WorldSession<'_> {
    fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
        Ok(execute(self.world, op))
    }

    fn call(&mut self, op: &Operation) -> Result<Reply, TargetError> {
        Ok(Reply::Typed(answer(self.world, op)))
    }

    fn function_name(&self, original: &str) -> String {
        (self.rename)(original)
    }
}

/// A fresh world in the target's account, region and partition: the real reference, whatever
/// the target is (the oracle is AWS, never a faulty variant).
pub(crate) fn fresh_world(vars: &Placeholders) -> Reference {
    Reference::new(Config {
        account: vars.account.clone(),
        region: vars.region.clone(),
        partition: vars.partition.clone(),
        ..Config::default()
    })
}

/// Plays `given` and `request` on `world`, whose functions named in `names` exist already
/// (their `given` permissions are added), the others named by `rename`.
pub(crate) fn play(
    world: &mut Reference,
    vars: &Placeholders,
    names: HashMap<String, Fixture>,
    rename: &dyn Fn(&str) -> String,
    given: &Given,
    request: &Request,
) -> Result<WorldPlay, PlayError> {
    let prepared = {
        let mut session = WorldSession {
            world: &mut *world,
            rename,
        };
        let mut player = Player::on(&mut session, vars.clone(), names.clone());
        player.provision(given)?;
        player.prepare(request)?
    };
    let target_name = |case_name: &str| {
        names
            .get(case_name)
            .map_or_else(|| rename(case_name), |f| f.name.clone())
    };
    let mut given_keys = BTreeSet::new();
    for f in &given.functions {
        for p in &f.permissions {
            let q = p.qualifier.as_deref().map(|q| vars.apply(q));
            given_keys.extend(world.policy_address(&target_name(&f.name), q.as_deref()));
        }
    }
    let Operation::AddPermission(op) = &prepared.operation else {
        unreachable!("prepare makes an AddPermission")
    };
    let addressed = world.policy_address(&op.function_name, op.qualifier.as_deref());
    let policy = |w: &Reference| match &addressed {
        Some((name, key)) => (
            w.statements(name, key),
            w.get_policy(name, key.as_deref())
                .ok()
                .map(|p| p.revision_id),
        ),
        None => (Vec::new(), None),
    };
    let (before, revision_before) = policy(world);
    let reply = answer(world, &prepared.operation);
    let (after, revision_after) = policy(world);
    let observed = observe(&reply.into_response());
    Ok(WorldPlay {
        answer: match &prepared.renaming {
            Some(r) => r.observed_back(observed),
            None => observed,
        },
        addressed,
        before,
        after,
        revision_changed: revision_before != revision_after,
        given_keys,
        renaming: prepared.renaming,
    })
}
