//! Fixtures that last: functions with their versions and aliases made once and lent to every
//! case whose `given` has that shape.
//!
//! A lent fixture is never trusted to be as good as a fresh one: the pool keeps a mirror of
//! what the target holds for its fixtures (a reference world under the target's names: AWS's
//! view of everything the cases did, with each addressed policy as the target was seen to store
//! it), plays the case on a copy of it, and lends the fixture only when that play answers and
//! stores exactly what the case played on a fresh world does. Earlier cases' statements stay
//! where they cannot matter (another qualifier, a Sid nobody reuses) and cost no request; a
//! `given` permission the fixture already holds is not granted again; a statement in the way
//! (the same Sid) is removed first, when that is cheaper than a new fixture. A fixture goes
//! back to the pool only when its state is known: the policy the request addressed was read and
//! holds, statement for statement, what AWS would hold (or what it held before, when the
//! target refused the request). A target that stored anything else may have stored something
//! elsewhere too (moto keeps one policy for a version and every alias of it): its fixture is
//! deleted. So a verdict does not depend on which case ran before.

use super::stored::{sid, Stored};
use super::world::{self, Statements, WorldPlay};
use super::{Fixture, PlayError, Played, Player};
use crate::case::{self, Given, Placeholders, Request};
use crate::contract::{provisioning, POLICY_SIZE_LIMIT};
use crate::reference::Reference;
use crate::target::{Session, Target, TargetError};
use crate::wire::Operation;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The most idle fixtures a pool keeps; the oldest goes first.
const MAX_IDLE: usize = 48;

/// Same-shape fixtures tried for one case before a new one is made.
const TRIES: usize = 3;

/// The most statements removed from a fixture to lend it (a new fixture costs about as much).
const MAX_REMOVALS: usize = 3;

/// The most policy text (earlier statements and the case's own) a lent fixture may see: a
/// quarter of the size limit, far enough from it that no way of counting (pretty-printed, other
/// key order) brings a case near the limit that would not be near it on a new fixture.
const SIZE_MARGIN: usize = POLICY_SIZE_LIMIT / 4;

/// A fixture's shape: what a `given` function provisions besides permissions.
type Shape = (Vec<String>, BTreeMap<String, String>);

/// A policy key: the qualifier whose policy it is (`None`: the function's own).
type Key = Option<String>;

/// One worker's fixtures on a target, and the session they live in.
pub struct Pool<'t> {
    session: Box<dyn Session + 't>,
    vars: Placeholders,
    mirror: Reference,
    idle: Vec<Pooled>,
    nonce: u64,
    made: u64,
}

/// A fixture waiting in the pool.
#[derive(Debug, Clone)]
struct Pooled {
    name: String,
    shape: Shape,
    /// `given` permissions granted on it that the target holds, by policy key: (Sid, body).
    granted: Vec<(Key, String, Value)>,
    /// Policies changed since the target's RevisionId was last read.
    unread: BTreeSet<Key>,
    /// The target's RevisionId of each policy as last read (`None`: no policy); a policy not
    /// listed (and not unread) has never existed.
    revisions: HashMap<Key, Option<String>>,
}

impl Pooled {
    fn new(name: String, shape: Shape) -> Pooled {
        Pooled {
            name,
            shape,
            granted: Vec::new(),
            unread: BTreeSet::new(),
            revisions: HashMap::new(),
        }
    }

    /// The target's RevisionId of policy `key`, where it is known.
    fn revision(&self, key: &Key) -> Option<Option<String>> {
        (!self.unread.contains(key)).then(|| self.revisions.get(key).cloned().flatten())
    }
}

/// A case played with the pool's fixtures: the play, and the addressed policy as read.
pub struct PoolPlayed {
    pub played: Played,
    pub read: Option<Read>,
}

/// The policy a request addressed, read after the request.
#[derive(Debug, Clone)]
pub struct Read {
    pub stored: Stored,
    /// Sids of statements earlier cases left on the fixture (left out of the comparison).
    pub leftovers: Vec<String>,
    /// The target's RevisionId just before the request, where the case's own world had a
    /// policy there to change (`Some(None)`: no policy).
    pub revision_before: Option<Option<String>>,
}

/// Fixtures chosen for a case: the target's names, and the play on the mirror that vouches
/// for them (with the world it left).
struct Lending {
    names: HashMap<String, Fixture>,
    lent: Vec<Pooled>,
    made: Vec<Pooled>,
    sim: Option<(WorldPlay, Reference)>,
}

/// What lending a fixture for a case takes: the `given` permissions it holds already (by
/// index), the statements to remove first (Sids in the way, by policy key), and the aliases
/// to make.
struct Plan {
    holds: Vec<usize>,
    removals: Vec<(Key, String)>,
    lacks: Vec<(String, String)>,
}

impl<'t> Pool<'t> {
    /// A pool on a session of its own on `target`.
    pub fn open(target: &'t dyn Target) -> Result<Pool<'t>, TargetError> {
        let vars = target.placeholders();
        Ok(Pool {
            session: target.session()?,
            mirror: world::fresh_world(&vars),
            vars,
            idle: Vec::new(),
            nonce: uuid::Uuid::new_v4().as_u64_pair().0,
            made: 0,
        })
    }

    /// Plays a case with lent or new fixtures. `fresh` is the case played on a fresh world
    /// (`None` when the reference cannot set its `given` up: then nothing is lent, and the
    /// fixtures made are deleted after the case).
    pub fn play(
        &mut self,
        given: &Given,
        request: &Request,
        fresh: Option<&WorldPlay>,
    ) -> Result<PoolPlayed, PlayError> {
        let lending = self.lend(given, request, fresh);
        let addressed = lending.sim.as_ref().and_then(|(s, _)| s.addressed.clone());
        // What stands on the addressed policy from earlier cases (claimed `given` ones are
        // this case's own), and its RevisionId where that is known.
        let (leftovers, known_revision) = match &addressed {
            Some((name, key)) => {
                // Every policy's: a target that mixes policies up shows them anywhere, and no
                // leftover shares a Sid with the case's statements.
                let mut leftovers: Vec<String> = Vec::new();
                for (k, statements) in self.mirror.policies(name) {
                    let mut holds: Vec<String> = lending
                        .names
                        .iter()
                        .filter(|(_, f)| &f.name == name)
                        .flat_map(|(case_name, f)| {
                            claimed_sids(given, case_name, f, &k, &self.vars)
                        })
                        .collect();
                    for (s, _) in statements {
                        match holds.iter().position(|h| *h == s) {
                            Some(i) => {
                                holds.remove(i);
                            }
                            None => leftovers.push(s),
                        }
                    }
                }
                let adds_there = lending
                    .sim
                    .as_ref()
                    .is_some_and(|(s, _)| s.given_keys.contains(&(name.clone(), key.clone())));
                let known = lending
                    .lent
                    .iter()
                    .chain(&lending.made)
                    .find(|f| &f.name == name)
                    .and_then(|f| f.revision(key))
                    .filter(|_| !adds_there);
                (leftovers, known)
            }
            None => (Vec::new(), None),
        };
        let wants_revision = fresh.is_some_and(|f| !f.before.is_empty());
        let outcome = {
            let mut player = Player::on(
                self.session.as_mut(),
                self.vars.clone(),
                lending.names.clone(),
            );
            player.provision(given).and_then(|()| {
                let prepared = player.prepare(request)?;
                let Operation::AddPermission(op) = &prepared.operation else {
                    unreachable!("prepare makes an AddPermission")
                };
                let (function_name, qualifier) = (op.function_name.clone(), op.qualifier.clone());
                let revision_before = match (&addressed, wants_revision, &known_revision) {
                    (Some(_), true, Some(known)) => Some(known.clone()),
                    (Some(_), true, None) => match &prepared.policy_revision {
                        Some(seen) => Some(seen.clone()),
                        None => player
                            .read_policy(&function_name, qualifier.as_deref())?
                            .revision()
                            .map(|r| r.map(str::to_string)),
                    },
                    _ => None,
                };
                let answer = player.session.get().call(&prepared.operation);
                let stored = match (&answer, &addressed) {
                    (Ok(_), Some(_)) => {
                        Some(player.read_policy(&function_name, qualifier.as_deref())?)
                    }
                    _ => None,
                };
                Ok((player.played(prepared, answer), stored, revision_before))
            })
        };
        let mut fixtures = lending.lent;
        fixtures.extend(lending.made);
        let (played, stored, revision_before) = match outcome {
            Ok(done) => done,
            Err(e) => {
                self.drop_fixtures(&fixtures);
                return Err(e);
            }
        };
        let read = stored.map(|stored| Read {
            stored,
            leftovers,
            revision_before,
        });
        self.settle(
            fixtures,
            &lending.names,
            given,
            lending.sim,
            &played,
            read.as_ref(),
        );
        Ok(PoolPlayed { played, read })
    }

    /// Chooses the case's fixtures: same-shape idle ones the mirror vouches for, else new ones.
    fn lend(&mut self, given: &Given, request: &Request, fresh: Option<&WorldPlay>) -> Lending {
        let poolable = !given.functions.is_empty()
            && given
                .functions
                .iter()
                .all(|f| provisioning().is_function_name(&f.name));
        if let (Some(fresh), true) = (fresh, poolable) {
            let needs = CaseNeeds::of(given, request, &self.vars);
            for attempt in 0..TRIES {
                let Some(picked) = self.pick(given, &needs, attempt) else {
                    break;
                };
                if let Some(lending) = self.try_lend(given, request, fresh, &needs, &picked) {
                    return lending;
                }
            }
        }
        // New fixtures, named as a session names a case's functions (the length kept), each
        // with a name of its own.
        let mut made = Vec::new();
        let names: HashMap<String, Fixture> = given
            .functions
            .iter()
            .map(|f| {
                let name = if poolable {
                    self.new_name(&f.name)
                } else {
                    f.name.clone()
                };
                made.push(Pooled::new(
                    name.clone(),
                    (f.versions.clone(), f.aliases.clone()),
                ));
                let fixture = Fixture {
                    name,
                    exists: false,
                    lacks: Vec::new(),
                    holds: Vec::new(),
                };
                (f.name.clone(), fixture)
            })
            .collect();
        let sim = (fresh.is_some() && poolable)
            .then(|| {
                let mut world = world::fresh_world(&self.vars);
                let session = &self.session;
                let rename = |n: &str| session.function_name(n);
                world::play(
                    &mut world,
                    &self.vars,
                    names.clone(),
                    &rename,
                    given,
                    request,
                )
                .ok()
                .map(|sim| (sim, world))
            })
            .flatten();
        Lending {
            names,
            lent: Vec::new(),
            made,
            sim,
        }
    }

    /// Lends the idle fixtures `picked` (one per `given` function) if the mirror shows the case
    /// cannot tell them from new ones, after at most [`MAX_REMOVALS`] statements in the way are
    /// removed from the target.
    fn try_lend(
        &mut self,
        given: &Given,
        request: &Request,
        fresh: &WorldPlay,
        needs: &CaseNeeds,
        picked: &[usize],
    ) -> Option<Lending> {
        // First only what is in the way (the same Sids); then everything on the policies the
        // case touches, for a case whose answer depends on a policy existing or on its size.
        for clean in [false, true] {
            let mut names = HashMap::new();
            let mut plans = Vec::new();
            for (f, &i) in given.functions.iter().zip(picked) {
                let pooled = &self.idle[i];
                let mut plan = self.plan(pooled, f, needs, clean);
                plan.lacks = lacks(&pooled.shape, &(f.versions.clone(), f.aliases.clone()))
                    .unwrap_or_default();
                names.insert(
                    f.name.clone(),
                    Fixture {
                        name: pooled.name.clone(),
                        exists: true,
                        lacks: plan.lacks.clone(),
                        holds: plan.holds.clone(),
                    },
                );
                plans.push((pooled.name.clone(), plan));
            }
            let cost: usize = plans
                .iter()
                .map(|(_, p)| p.removals.len() + p.lacks.len())
                .sum();
            if cost > MAX_REMOVALS {
                continue;
            }
            let mut world = world::fresh_world(&self.vars);
            for (name, plan) in &plans {
                world.copy_function(&self.mirror, name);
                remove_in(&mut world, name, &plan.removals);
            }
            let session = &self.session;
            let rename = |n: &str| session.function_name(n);
            let sim = world::play(
                &mut world,
                &self.vars,
                names.clone(),
                &rename,
                given,
                request,
            );
            match sim {
                Ok(sim) if same_as_fresh(&sim, fresh) => {
                    return self.commit_lending(picked, names, plans, sim, world)
                }
                _ => continue,
            }
        }
        None
    }

    /// Makes a lending real: the statements in the way removed from the target and the
    /// mirror, the fixtures taken out of the idle list (with the aliases they gain).
    fn commit_lending(
        &mut self,
        picked: &[usize],
        names: HashMap<String, Fixture>,
        plans: Vec<(String, Plan)>,
        sim: WorldPlay,
        world: Reference,
    ) -> Option<Lending> {
        for (name, plan) in &plans {
            if let Some(f) = self.idle.iter_mut().find(|f| &f.name == name) {
                f.shape.1.extend(plan.lacks.iter().cloned());
            }
        }
        // The removals the lending needs, on the target and in the mirror.
        for (name, plan) in &plans {
            for (key, statement) in &plan.removals {
                let removed = self.session.send(&Operation::RemovePermission {
                    function_name: name.clone(),
                    statement_id: statement.clone(),
                    qualifier: key.clone(),
                    revision_id: None,
                });
                if !removed.is_ok_and(|r| (200..300).contains(&r.status)) {
                    let i = self.idle.iter().position(|p| &p.name == name)?;
                    let gone = self.idle.remove(i);
                    self.drop_fixtures(&[gone]);
                    return None;
                }
            }
            remove_in(&mut self.mirror, name, &plan.removals);
        }
        let mut picked = picked.to_vec();
        picked.sort_unstable_by(|a, b| b.cmp(a));
        let mut lent: Vec<Pooled> = picked.into_iter().map(|i| self.idle.remove(i)).collect();
        for f in &mut lent {
            if let Some((_, plan)) = plans.iter().find(|(n, _)| *n == f.name) {
                for (key, s) in &plan.removals {
                    f.granted.retain(|(k, g, _)| !(k == key && g == s));
                    let emptied = self.mirror.statements(&f.name, key).is_empty();
                    if emptied {
                        f.unread.remove(key);
                        f.revisions.insert(key.clone(), None);
                    } else {
                        f.unread.insert(key.clone());
                    }
                }
            }
        }
        Some(Lending {
            names,
            lent,
            made: Vec::new(),
            sim: Some((sim, world)),
        })
    }

    /// What lending `pooled` for the `given` function `f` takes: the permissions it holds
    /// already, and the earlier cases' statements to remove so that none can matter on any
    /// target, however it stores policies: none shares a Sid with a statement of the case
    /// (`case_sids`), and with `clean` (a case that reads or sends a RevisionId, or too much
    /// policy text for leftovers to be sure to stay far from the size limit) none is left.
    fn plan(
        &self,
        pooled: &Pooled,
        f: &crate::case::GivenFunction,
        needs: &CaseNeeds,
        clean: bool,
    ) -> Plan {
        let clean = clean || needs.clean;
        let mut holds = Vec::new();
        let mut available = pooled.granted.clone();
        let mut claimed: Vec<(Key, String)> = Vec::new();
        for (i, p) in f.permissions.iter().enumerate() {
            let key: Key = p.qualifier.as_deref().map(|q| self.vars.apply(q));
            let body = self.vars.apply_json(&p.body);
            let Some(s) = body.get("StatementId").and_then(Value::as_str) else {
                continue;
            };
            if let Some(at) = available
                .iter()
                .position(|(k, g, b)| *k == key && g == s && *b == body)
            {
                available.remove(at);
                holds.push(i);
                claimed.push((key, s.to_string()));
            }
        }
        let mut leftovers = Vec::new();
        for (key, statements) in self.mirror.policies(&pooled.name) {
            for (s, text) in statements {
                match claimed.iter().position(|(k, c)| *k == key && *c == s) {
                    Some(i) => {
                        claimed.remove(i);
                    }
                    None => leftovers.push((key.clone(), s, text.len())),
                }
            }
        }
        let kept: usize = leftovers
            .iter()
            .filter(|(_, s, _)| !needs.sids.contains(s))
            .map(|(_, _, n)| n)
            .sum();
        let clean = clean || kept + needs.bytes > SIZE_MARGIN;
        let removals = leftovers
            .into_iter()
            .filter(|(_, s, _)| clean || needs.sids.contains(s))
            .map(|(k, s, _)| (k, s))
            .collect();
        Plan {
            holds,
            removals,
            lacks: Vec::new(),
        }
    }

    /// Idle fixtures for the `given` functions, one each, distinct: the `attempt`-th cheapest
    /// for each, cheapest being the fewest requests to lend it (aliases it lacks, statements
    /// in the way, permissions it does not hold yet), newest first among equals.
    fn pick(&self, given: &Given, needs: &CaseNeeds, attempt: usize) -> Option<Vec<usize>> {
        let mut picked: Vec<usize> = Vec::new();
        for f in &given.functions {
            let shape = (f.versions.clone(), f.aliases.clone());
            let mut candidates: Vec<(usize, usize)> = self
                .idle
                .iter()
                .enumerate()
                .filter(|(i, _)| !picked.contains(i))
                .filter_map(|(i, pooled)| {
                    let lacking = lacks(&pooled.shape, &shape)?.len();
                    let plan = self.plan(pooled, f, needs, false);
                    let adds = f.permissions.len() - plan.holds.len();
                    Some((lacking + plan.removals.len() + adds, i))
                })
                .collect();
            candidates.sort_by_key(|&(cost, i)| (cost, std::cmp::Reverse(i)));
            picked.push(candidates.get(attempt)?.1);
        }
        Some(picked)
    }

    /// A new fixture name for case function `case_name`: the session's way of naming it,
    /// made unique to this fixture.
    fn new_name(&mut self, case_name: &str) -> String {
        self.made += 1;
        crate::target::unique_name(case_name, self.nonce ^ self.made.rotate_left(32))
    }

    /// After a case: each fixture goes back to the pool when its state is known, else it is
    /// deleted. The mirror takes AWS's view of the case (the play on the mirror), with the
    /// addressed policy as read from the target.
    fn settle(
        &mut self,
        fixtures: Vec<Pooled>,
        names: &HashMap<String, Fixture>,
        given: &Given,
        sim: Option<(WorldPlay, Reference)>,
        played: &Played,
        read: Option<&Read>,
    ) {
        let Some((sim, world)) = sim else {
            self.drop_fixtures(&fixtures);
            return;
        };
        if !state_known(&sim, played, read) {
            self.drop_fixtures(&fixtures);
            return;
        }
        for mut f in fixtures {
            // The policies the `given` permissions went to, other than the one read already:
            // read too, so that a target that stores them elsewhere is seen to.
            let mut checked: Vec<(Key, Stored)> = Vec::new();
            let mut known = true;
            let written = written_keys(given, names, &f.name, &self.vars);
            for (name, key) in &sim.given_keys {
                if name != &f.name
                    || !written.contains(key)
                    || sim.addressed.as_ref() == Some(&(name.clone(), key.clone()))
                {
                    continue;
                }
                let stored = self
                    .session
                    .call(&Operation::GetPolicy {
                        function_name: name.clone(),
                        qualifier: key.clone(),
                    })
                    .map(Stored::read);
                let expected = values(&world.statements(name, key));
                match stored {
                    Ok(stored)
                        if !matches!(stored, Stored::Unreadable(_))
                            && stored.statements() == expected.as_slice() =>
                    {
                        checked.push((key.clone(), stored))
                    }
                    _ => known = false,
                }
            }
            if !known {
                self.drop_fixtures(&[f]);
                continue;
            }
            self.mirror.copy_function(&world, &f.name);
            for (key, stored) in checked {
                let statements: Statements = stored
                    .statements()
                    .iter()
                    .map(|s| (sid(s).to_string(), s.to_string()))
                    .collect();
                self.mirror.replace_policy(&f.name, key.clone(), statements);
                let revision = stored.revision().flatten().map(str::to_string);
                f.revisions.insert(key.clone(), revision);
            }
            // The `given` permissions granted now, which later cases may claim.
            if let Some((case_name, lent)) = names.iter().find(|(_, l)| l.name == f.name) {
                if let Some(g) = given.functions.iter().find(|g| &g.name == case_name) {
                    for (i, p) in g.permissions.iter().enumerate() {
                        let body = self.vars.apply_json(&p.body);
                        let s = body.get("StatementId").and_then(Value::as_str);
                        if let (false, Some(s)) = (lent.holds.contains(&i), s) {
                            let key: Key = p.qualifier.as_deref().map(|q| self.vars.apply(q));
                            f.granted.push((key, s.to_string(), body.clone()));
                        }
                    }
                }
            }
            if let (Some((name, key)), Some(read)) = (&sim.addressed, read) {
                if name == &f.name {
                    let statements: Statements = read
                        .stored
                        .statements()
                        .iter()
                        .map(|s| (sid(s).to_string(), s.to_string()))
                        .collect();
                    // What the target no longer holds cannot be claimed.
                    f.granted
                        .retain(|(k, g, _)| k != key || statements.iter().any(|(s, _)| s == g));
                    // The request's own statement, where stored, serves a later case whose
                    // `given` grants the same on the same policy.
                    let body: Option<Value> = serde_json::from_str(&played.prepared.sent.body).ok();
                    if let Some((body, s)) = body.and_then(|b| {
                        let s = b.get("StatementId")?.as_str()?.to_string();
                        Some((b, s))
                    }) {
                        if statements.iter().any(|(g, _)| *g == s) {
                            f.granted.push((key.clone(), s, body));
                        }
                    }
                    self.mirror.replace_policy(name, key.clone(), statements);
                    f.unread.remove(key);
                    let revision = read.stored.revision().flatten().map(str::to_string);
                    f.revisions.insert(key.clone(), revision);
                }
            }
            self.idle.push(f);
        }
        while self.idle.len() > MAX_IDLE {
            let oldest = self.idle.remove(0);
            self.drop_fixtures(&[oldest]);
        }
    }

    /// Deletes fixtures from the target and the mirror (best effort: a fixture left behind
    /// has a name no later case uses, and the session deletes what it created when it ends).
    fn drop_fixtures(&mut self, fixtures: &[Pooled]) {
        for f in fixtures {
            let _ = self.session.send(&Operation::DeleteFunction {
                name: f.name.clone(),
            });
            let _ = self.mirror.delete_function(&f.name);
        }
    }
}

impl Drop for Pool<'_> {
    /// Deletes every fixture the pool made: a run leaves nothing behind on the target.
    fn drop(&mut self) {
        self.session.finish();
    }
}

/// What a case asks of a lent fixture, whatever the target: no earlier statement under one of
/// its Sids (a duplicate), none at all where it sends or reads a RevisionId (whether a policy
/// exists decides what matches) or names no Sid, and little enough policy text that earlier
/// statements cannot bring it near the size limit.
struct CaseNeeds {
    sids: BTreeSet<String>,
    clean: bool,
    /// The bytes of the case's own statements' material (`given` bodies and request body).
    bytes: usize,
}

impl CaseNeeds {
    fn of(given: &Given, request: &Request, vars: &Placeholders) -> CaseNeeds {
        let sid = |b: &Value| b.get("StatementId")?.as_str().map(|s| vars.apply(s));
        let bodies = given
            .functions
            .iter()
            .flat_map(|f| &f.permissions)
            .map(|p| &p.body);
        let mut sids: BTreeSet<String> = bodies.clone().filter_map(sid).collect();
        sids.extend(request.body.as_ref().and_then(sid));
        let request_text = match (&request.body, &request.raw_body) {
            (Some(b), _) => b.to_string(),
            (None, raw) => raw.clone().unwrap_or_default(),
        };
        // A request without a StatementId of its own (or not JSON at all) may be stored by a
        // lenient target under any Sid: only a fixture without earlier statements is safe.
        let named = request.body.as_ref().and_then(sid).is_some();
        CaseNeeds {
            sids,
            clean: !named
                || request_text.contains("RevisionId")
                || case::needs_current_revision(&request_text),
            bytes: request_text.len() + bodies.map(|b| b.to_string().len()).sum::<usize>(),
        }
    }
}

/// The aliases a fixture of shape `has` lacks for a `given` function of shape `wants`, or
/// `None` when it cannot serve it (other versions, or an alias pointing elsewhere).
fn lacks(has: &Shape, wants: &Shape) -> Option<Vec<(String, String)>> {
    if has.0 != wants.0 {
        return None;
    }
    let mut lacking = Vec::new();
    for (alias, version) in &wants.1 {
        match has.1.get(alias) {
            Some(v) if v == version => {}
            Some(_) => return None,
            None => lacking.push((alias.clone(), version.clone())),
        }
    }
    Some(lacking)
}

/// The policies of fixture `name` that this case's `given` permissions were granted on (those
/// it held already not counted).
fn written_keys(
    given: &Given,
    names: &HashMap<String, Fixture>,
    name: &str,
    vars: &Placeholders,
) -> BTreeSet<Key> {
    let Some((case_name, fixture)) = names.iter().find(|(_, f)| f.name == name) else {
        return BTreeSet::new();
    };
    given
        .functions
        .iter()
        .filter(|g| &g.name == case_name)
        .flat_map(|g| g.permissions.iter().enumerate())
        .filter(|(i, _)| !fixture.holds.contains(i))
        .map(|(_, p)| p.qualifier.as_deref().map(|q| vars.apply(q)))
        .collect()
}

/// The Sids of the `given` permissions on `key` that fixture `f`, lent for the case function
/// `case_name`, holds already.
fn claimed_sids(
    given: &Given,
    case_name: &str,
    f: &Fixture,
    key: &Key,
    vars: &Placeholders,
) -> Vec<String> {
    given
        .functions
        .iter()
        .filter(|g| g.name == case_name)
        .flat_map(|g| g.permissions.iter().enumerate())
        .filter(|(i, p)| {
            f.holds.contains(i) && p.qualifier.as_deref().map(|q| vars.apply(q)) == *key
        })
        .filter_map(|(_, p)| {
            p.body
                .get("StatementId")
                .and_then(Value::as_str)
                .map(|s| vars.apply(s))
        })
        .collect()
}

/// `world` without one statement of each (key, Sid) of `removals` on function `name`.
fn remove_in(world: &mut Reference, name: &str, removals: &[(Key, String)]) {
    for (key, s) in removals {
        let mut statements = world.statements(name, key);
        if let Some(i) = statements.iter().position(|(g, _)| g == s) {
            statements.remove(i);
            world.replace_policy(name, key.clone(), statements);
        }
    }
}

/// Whether the target's state after the case is known: the request's statement is where the
/// read policy shows it (or nowhere, when the target refused), and that policy holds what AWS
/// would hold, give or take that statement (compared by Sid: an emulator may write a
/// statement its own way).
fn state_known(sim: &WorldPlay, played: &Played, read: Option<&Read>) -> bool {
    let accepted = played
        .answer
        .as_ref()
        .is_ok_and(|r| (200..300).contains(&r.status()));
    let request_sid: Option<String> = serde_json::from_str::<Value>(&played.prepared.sent.body)
        .ok()
        .and_then(|b| b.get("StatementId")?.as_str().map(str::to_string));
    match (&sim.addressed, read) {
        (None, _) => played.answer.is_ok() && !accepted,
        (Some(_), None) => false,
        (Some(_), Some(read)) => {
            if matches!(read.stored, Stored::Unreadable(_)) {
                return false;
            }
            let seen = read.stored.statements();
            // Known when the target holds what AWS holds (by value, whatever key order it
            // writes), or refused the request and holds what AWS held before it; but not when
            // it accepted a request AWS refuses, whose statement must then be somewhere else.
            // A target that stored anything else here may have stored something else elsewhere
            // too (a policy shared between qualifiers): its fixture is not lent again.
            let aws_stored = (200..300).contains(&sim.answer.status);
            if seen == values(&sim.after).as_slice() {
                return aws_stored || !accepted;
            }
            let mut base = sim.after.clone();
            if aws_stored {
                if let Some(i) = base
                    .iter()
                    .rposition(|(s, _)| Some(s) == request_sid.as_ref())
                {
                    base.remove(i);
                }
            }
            !accepted && seen == values(&base).as_slice()
        }
    }
}

/// Statements (Sid, text) as JSON values: what a target holds is compared with what the mirror
/// says it holds by value (whatever key order either writes), not by Sid alone.
fn values(statements: &Statements) -> Vec<Value> {
    statements
        .iter()
        .map(|(_, text)| serde_json::from_str(text).unwrap_or(Value::Null))
        .collect()
}

/// Whether the case played on the mirror answers and stores as on a fresh world: the same
/// answer, the same policy once earlier cases' statements are left out, the same RevisionId
/// change.
fn same_as_fresh(sim: &WorldPlay, fresh: &WorldPlay) -> bool {
    let answer = |o: &crate::target::Observed| {
        (
            o.status,
            o.error_type.clone(),
            o.message.clone(),
            o.statement.clone(),
        )
    };
    if answer(&sim.answer) != answer(&fresh.answer)
        || sim.addressed.is_some() != fresh.addressed.is_some()
        || sim.revision_changed != fresh.revision_changed
    {
        return false;
    }
    let fresh_before: BTreeSet<&str> = fresh.before.iter().map(|(s, _)| s.as_str()).collect();
    let leftover: BTreeSet<&str> = sim
        .before
        .iter()
        .map(|(s, _)| s.as_str())
        .filter(|s| !fresh_before.contains(s))
        .collect();
    let values = |statements: &Statements, renaming: Option<&super::Renaming>| -> Vec<Value> {
        statements
            .iter()
            .filter(|(s, _)| !leftover.contains(s.as_str()))
            .filter_map(|(_, text)| {
                let v: Value = serde_json::from_str(text).ok()?;
                Some(match renaming {
                    Some(r) => r.value_back(&v),
                    None => v,
                })
            })
            .collect()
    };
    values(&sim.after, sim.renaming.as_ref()) == values(&fresh.after, fresh.renaming.as_ref())
        && values(&sim.before, sim.renaming.as_ref())
            == values(&fresh.before, fresh.renaming.as_ref())
}
