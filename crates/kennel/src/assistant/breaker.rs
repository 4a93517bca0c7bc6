//! A circuit breaker in front of the provider.
//!
//! When the provider is down, every question would otherwise wait out its full
//! budget before failing; the breaker turns that into an immediate
//! `BreakerOpen` after `threshold` consecutive failures. After `cool_down` it
//! lets exactly one call through as a probe (half-open): success closes the
//! breaker, failure opens it for another cool-down. Calls that arrive while the
//! probe is in flight are turned away like when open.
//!
//! Only the probe decides the half-open state. A call that started while the
//! breaker was closed and finishes after it opened is ignored, so one slow
//! straggler cannot close a breaker that other calls just opened.
//!
//! Every transition takes the current instant as a parameter (`*_at`), so the
//! state machine is tested with made-up instants instead of sleeps.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The breaker's state as seen from outside, for health checks and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go through; consecutive failures are being counted.
    Closed,
    /// Calls fail at once with `BreakerOpen` until the cool-down ends.
    Open,
    /// The cool-down is over: the next call (only one) probes the provider, or
    /// that probe is in flight.
    HalfOpen,
}

impl BreakerState {
    /// Label for metrics and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed { failures: u32 },
    Open { until: Instant },
    Probing,
}

pub(crate) struct Breaker {
    threshold: u32,
    cool_down: Duration,
    state: Mutex<State>,
}

/// Permission to make one call. Report how it went with `succeeded` or
/// `failed`; a permit dropped without a report (the caller gave up) frees the
/// probe slot so the next caller can probe instead.
pub(crate) struct Permit<'a> {
    breaker: &'a Breaker,
    probe: bool,
    reported: bool,
}

impl Breaker {
    pub(crate) fn new(threshold: u32, cool_down: Duration) -> Self {
        Breaker {
            threshold: threshold.max(1),
            cool_down,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a plain value, valid even if a holder panicked.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn state(&self) -> BreakerState {
        self.state_at(Instant::now())
    }

    pub(crate) fn state_at(&self, now: Instant) -> BreakerState {
        match *self.lock() {
            State::Closed { .. } => BreakerState::Closed,
            State::Open { until } if now < until => BreakerState::Open,
            State::Open { .. } | State::Probing => BreakerState::HalfOpen,
        }
    }

    /// A permit to call the provider, or `None` when the call must not be made.
    pub(crate) fn acquire(&self) -> Option<Permit<'_>> {
        self.acquire_at(Instant::now())
    }

    pub(crate) fn acquire_at(&self, now: Instant) -> Option<Permit<'_>> {
        let mut state = self.lock();
        let probe = match *state {
            State::Closed { .. } => false,
            State::Open { until } if now >= until => {
                *state = State::Probing;
                true
            }
            State::Open { .. } | State::Probing => return None,
        };
        Some(Permit {
            breaker: self,
            probe,
            reported: false,
        })
    }

    fn record(&self, probe: bool, success: bool, now: Instant) {
        let mut state = self.lock();
        *state = match (*state, probe, success) {
            (State::Probing, true, true) => State::Closed { failures: 0 },
            (State::Probing, true, false) => State::Open {
                until: now + self.cool_down,
            },
            (State::Closed { .. }, false, true) => State::Closed { failures: 0 },
            (State::Closed { failures }, false, false) => {
                let failures = failures.saturating_add(1);
                if failures >= self.threshold {
                    State::Open {
                        until: now + self.cool_down,
                    }
                } else {
                    State::Closed { failures }
                }
            }
            // A straggler from before the breaker opened: only the probe decides.
            (other, _, _) => other,
        };
    }

    fn abandon(&self, probe: bool) {
        if probe {
            let mut state = self.lock();
            if *state == State::Probing {
                // The cool-down is over already: let the next caller probe.
                *state = State::Open {
                    until: Instant::now(),
                };
            }
        }
    }
}

impl Permit<'_> {
    pub(crate) fn succeeded(self) {
        self.report(true, Instant::now());
    }

    pub(crate) fn failed(self) {
        self.report(false, Instant::now());
    }

    fn report(mut self, success: bool, now: Instant) {
        self.reported = true;
        self.breaker.record(self.probe, success, now);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.reported {
            self.breaker.abandon(self.probe);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COOL: Duration = Duration::from_secs(30);

    fn fail(b: &Breaker, now: Instant) {
        b.acquire_at(now).expect("permit").report(false, now);
    }

    #[test]
    fn opens_after_threshold_consecutive_failures() {
        let b = Breaker::new(3, COOL);
        let t = Instant::now();
        fail(&b, t);
        fail(&b, t);
        assert_eq!(b.state_at(t), BreakerState::Closed);
        fail(&b, t);
        assert_eq!(b.state_at(t), BreakerState::Open);
        assert!(b.acquire_at(t).is_none());
        assert!(b.acquire_at(t + COOL - Duration::from_millis(1)).is_none());
    }

    #[test]
    fn a_success_resets_the_count() {
        let b = Breaker::new(3, COOL);
        let t = Instant::now();
        fail(&b, t);
        fail(&b, t);
        b.acquire_at(t).unwrap().report(true, t);
        fail(&b, t);
        fail(&b, t);
        assert_eq!(b.state_at(t), BreakerState::Closed);
        fail(&b, t);
        assert_eq!(b.state_at(t), BreakerState::Open);
    }

    #[test]
    fn one_probe_after_cool_down_and_success_closes() {
        let b = Breaker::new(1, COOL);
        let t = Instant::now();
        fail(&b, t);
        let later = t + COOL;
        assert_eq!(b.state_at(later), BreakerState::HalfOpen);
        let probe = b.acquire_at(later).expect("the probe is let through");
        assert!(b.acquire_at(later).is_none(), "only one probe at a time");
        assert_eq!(b.state_at(later), BreakerState::HalfOpen);
        probe.report(true, later);
        assert_eq!(b.state_at(later), BreakerState::Closed);
        assert!(b.acquire_at(later).is_some());
    }

    #[test]
    fn failed_probe_reopens_for_another_cool_down() {
        let b = Breaker::new(2, COOL);
        let t = Instant::now();
        fail(&b, t);
        fail(&b, t);
        let later = t + COOL + Duration::from_secs(1);
        b.acquire_at(later).unwrap().report(false, later);
        assert_eq!(b.state_at(later), BreakerState::Open);
        assert!(b
            .acquire_at(later + COOL - Duration::from_millis(1))
            .is_none());
        assert!(b.acquire_at(later + COOL).is_some());
    }

    #[test]
    fn stragglers_do_not_decide_an_open_breaker() {
        let b = Breaker::new(1, COOL);
        let t = Instant::now();
        let slow = b.acquire_at(t).unwrap();
        fail(&b, t);
        assert_eq!(b.state_at(t), BreakerState::Open);
        slow.report(true, t);
        assert_eq!(b.state_at(t), BreakerState::Open);
    }

    #[test]
    fn an_abandoned_probe_frees_the_slot() {
        let b = Breaker::new(1, COOL);
        let t = Instant::now();
        fail(&b, t);
        let later = t + COOL;
        drop(b.acquire_at(later).unwrap());
        assert!(b.acquire_at(Instant::now().max(later)).is_some());
    }
}
