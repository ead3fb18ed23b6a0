//! The freeze gate's facts: the rules of the time zones the target's windows use (the host supplies
//! them, asked once per zone and only for targets a plan deploys), and the run's "now". The rule
//! itself is `rules::freeze`.

use super::Deliver;
use crate::config::Window;
use crate::log::Log;
use crate::rules::Decision;
use crate::rules::decide::Gate;
use crate::rules::freeze::{self, Standing};

impl Deliver {
    /// The next zone a planned target's freeze windows use and the host has not been asked for.
    /// Plans are visited once each, so a run stays linear in the number of targets.
    pub(super) fn zone_to_read(&mut self) -> Option<String> {
        let config = self.config.as_ref()?;
        while let Some(plan) = self.plans.get(self.zones_cursor) {
            let target = &config.targets[plan.target];
            if let Some(window) = target.freeze_windows(&config.settings).find(|w| !self.zones.contains_key(&w.zone)) {
                return Some(window.zone.clone());
            }
            self.zones_cursor += 1;
        }
        None
    }

    pub(super) fn read_zone(&mut self, name: String, tzif: Option<Vec<u8>>) {
        // Data that is not a zone's is as good as none: the gate then names the zone.
        let zone = tzif.and_then(|bytes| crate::time::zone_rules(&bytes));
        self.zones.insert(name, zone);
    }

    /// Where now stands with regard to the target's windows; `Ok(None)` when it has none.
    fn standing(&self, target: usize) -> Result<Option<Standing>, String> {
        let config = self.config();
        let windows: Vec<&Window> = config.targets[target].freeze_windows(&config.settings).collect();
        if windows.is_empty() {
            return Ok(None);
        }
        let now = self.context.now()?;
        let mut pairs = Vec::with_capacity(windows.len());
        for window in windows {
            match self.zones.get(&window.zone) {
                Some(Some(zone)) => pairs.push((window, zone)),
                _ => {
                    let at = window.pos;
                    return Err(format!(
                        "the freeze window at {}:{}:{} uses the time zone `{}`, which this machine does not know (no TZif data for it, as in /usr/share/zoneinfo/{}: install the tzdata package, or check the name)",
                        self.settings.config_path, at.line, at.column, window.zone, window.zone
                    ));
                }
            }
        }
        Ok(Some(freeze::standing(&pairs, now)))
    }

    /// The freeze gate: a frozen target waits, unless an admin forced the deploy, which is said.
    pub(super) fn judge_freeze(&mut self, index: usize, log: &mut Log) {
        let target = self.plans[index].target;
        let forced = self.candidates[self.plans[index].candidate].forced_by_admin;
        let gate = match self.standing(target) {
            Err(reason) => Gate::Stop(Decision::Failed { reason }),
            Ok(None) => Gate::Pass,
            Ok(Some(standing)) => {
                if let (Standing::Frozen(occurrence), true) = (&standing, forced) {
                    let note = format!("deployed during the freeze until {}: forced by an admin", occurrence.until);
                    log.warning(format!("{}: frozen until {}; deploying anyway: forced by an admin.", self.target_name(index), occurrence.until));
                    self.plans[index].note = Some(note);
                }
                freeze::frozen(&standing, forced)
            }
        };
        self.pass_freeze(index, gate, log);
    }

    /// For the job summary: the freeze each deployed-to target is in, or its next one, targets with
    /// the same windows on one line (`staging, production: next freeze Fri 2026-12-11 18:00 → Mon
    /// 2026-12-14 06:00 Europe/Berlin`), so a config of many targets stays a few lines.
    pub(super) fn freeze_notes(&self) -> Vec<String> {
        let Some(config) = &self.config else { return Vec::new() };
        let mut seen = vec![false; config.targets.len()];
        let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
        for target in self.plans.iter().map(|plan| plan.target) {
            if std::mem::replace(&mut seen[target], true) {
                continue;
            }
            let text = match self.standing(target) {
                Ok(Some(Standing::Frozen(now))) => format!("frozen ({})", now.text),
                Ok(Some(Standing::Open { next: Some(next) })) => format!("next freeze {}", next.text),
                _ => continue,
            };
            let name = config.targets[target].name.as_str();
            match lines.iter_mut().find(|(line, _)| *line == text) {
                Some((_, names)) => names.push(name),
                None => lines.push((text, vec![name])),
            }
        }
        lines
            .into_iter()
            .map(|(text, names)| match names.len() {
                0..=5 => format!("{}: {text}", names.join(", ")),
                n => format!("{} and {} more: {text}", names[..5].join(", "), n - 5),
            })
            .collect()
    }
}
