"""The typewriter, driven by explicit clocks: rate, backlog, catch-up, slow sources, drain.

Every expectation is computed here from the schedule the test itself feeds in: each
character's arrival time comes from the test's own log, never from the typewriter.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field

import pytest

from tui.stream import Typewriter

EPSILON = 1e-9


@dataclass
class Run:
    """What a simulation saw: arrivals as the test logged them, and every tick's reveal."""

    arrivals: list[tuple[float, int]] = field(default_factory=list)
    """(time, cumulative characters) after each delivery."""
    ticks: list[tuple[float, int, int, bool]] = field(default_factory=list)
    """(time, revealed this tick, arrived so far, finished) for each tick."""

    def arrival_time(self, index: int) -> float:
        """When character `index` (0-based) arrived, from the arrival log."""
        cumulative = [total for _, total in self.arrivals]
        return self.arrivals[bisect.bisect_right(cumulative, index)][0]

    def reveal_times(self) -> list[float]:
        """When each character was revealed, in order."""
        times: list[float] = []
        for now, count, _, _ in self.ticks:
            times.extend([now] * count)
        return times

    def lags(self) -> list[float]:
        """For each revealed character, seconds between its arrival and its reveal."""
        return [shown - self.arrival_time(i) for i, shown in enumerate(self.reveal_times())]


def simulate(
    writer: Typewriter,
    deliveries: list[tuple[float, int]],
    tick: float,
    finish_at: float,
    until: float,
) -> Run:
    """Feed `deliveries` and tick every `tick` seconds until `until`.

    Deliveries at or before a tick's time are fed before that tick. Ticks from
    `finish_at` on pass `finished=True`.
    """
    run = Run()
    pending = sorted(deliveries)
    arrived = 0
    revealed = 0
    step = 1
    while (now := step * tick) <= until + EPSILON:
        while pending and pending[0][0] <= now + EPSILON:
            at, count = pending.pop(0)
            writer.arrive(count, now=at)
            arrived += count
            run.arrivals.append((at, arrived))
        finished = not pending and now >= finish_at - EPSILON
        count = writer.reveal(now=now, finished=finished)
        assert count >= 0
        revealed += count
        assert revealed <= arrived, f"revealed {revealed} > arrived {arrived} at t={now}"
        run.ticks.append((now, count, arrived, finished))
        step += 1
    return run


def test_base_rate() -> None:
    """At 100 chars/s with a large backlog, 1 s of 10 ms ticks reveals about 100 chars."""
    writer = Typewriter(rate=100, max_lag=1000, drain=1000)
    writer.arrive(10_000, now=0.0)
    counts = [writer.reveal(now=step / 100) for step in range(1, 101)]
    assert 99 <= sum(counts) <= 101
    assert max(counts) <= 2  # spread evenly: 1 char per 10 ms tick
    assert writer.revealed == sum(counts)
    assert writer.backlog == 10_000 - sum(counts)


def test_base_rate_at_sixty_hertz() -> None:
    """The rate holds with ticks that do not divide a second evenly."""
    writer = Typewriter(rate=250, max_lag=1000, drain=1000)
    writer.arrive(10_000, now=0.0)
    total = sum(writer.reveal(now=step / 60) for step in range(1, 121))  # 2 s
    assert abs(total - 500) <= 1


def test_never_reveals_more_than_arrived() -> None:
    """However much time passes, at most the backlog is revealed."""
    writer = Typewriter(rate=100, max_lag=0.5)
    writer.arrive(5, now=0.0)
    assert writer.reveal(now=100.0) == 5
    assert writer.reveal(now=200.0) == 0
    assert writer.reveal(now=300.0, finished=True) == 0
    writer.arrive(3, now=300.0)
    assert writer.reveal(now=400.0) == 3


@pytest.mark.parametrize("seed", range(5))
def test_random_schedules_never_overtake_the_source(seed: int) -> None:
    """Random bursts and jittery ticks: never more than arrived, and all shown in the end."""
    rng = random.Random(seed)
    writer = Typewriter(rate=rng.choice([30, 400, 2000]), max_lag=rng.uniform(0.1, 2), drain=0.3)
    arrived = revealed = 0
    now = 0.0
    for _ in range(500):
        now += rng.uniform(0, 0.05)
        if rng.random() < 0.4:
            count = rng.randint(0, 50)
            writer.arrive(count, now=now)
            arrived += count
        revealed += writer.reveal(now=now + rng.uniform(0, 0.01))
        assert 0 <= revealed <= arrived
        now += 0.01
    end = now + 0.01
    while writer.backlog and end < now + 5:
        revealed += writer.reveal(now=end, finished=True)
        end += 0.01
    assert revealed == arrived
    assert end <= now + 0.3 + 0.03  # drained within `drain`, give or take the ticks


def test_rate_zero_reveals_everything_at_once() -> None:
    """A rate of 0 is instant: the whole backlog, with no time passing."""
    writer = Typewriter(rate=0)
    writer.arrive(37, now=1.0)
    assert writer.reveal(now=1.0) == 37
    writer.arrive(5, now=1.0)
    writer.arrive(6, now=1.0)
    assert writer.reveal(now=1.0) == 11
    assert writer.reveal(now=2.0) == 0


def test_catch_up_when_the_source_bursts() -> None:
    """A 2000 chars/s source against a 400 chars/s typewriter: no char lags past max_lag.

    4-char chunks every 2 ms for 2 s, ticks at 60 Hz. The lag of each character is
    computed from the test's own arrival log.
    """
    rate, max_lag, drain, tick = 400.0, 0.5, 0.5, 1 / 60
    deliveries = [(n * 0.002, 4) for n in range(1000)]
    total = sum(count for _, count in deliveries)
    writer = Typewriter(rate=rate, max_lag=max_lag, drain=drain)
    run = simulate(writer, deliveries, tick, finish_at=2.0, until=4.0)
    reveal_times = run.reveal_times()
    assert len(reveal_times) == total
    worst = max(run.lags())
    assert worst <= max_lag + tick + EPSILON, f"a char waited {worst:.3f} s"
    # It really had to go faster than the base rate: at 400 chars/s only ~800 of the
    # 4000 chars could be shown in 2 s.
    shown_by_two_seconds = sum(1 for t in reveal_times if t <= 2.0 + EPSILON)
    assert shown_by_two_seconds > rate * 2 * 2


def test_simulation_is_deterministic() -> None:
    """The same schedule and clock give the same reveals, tick for tick."""
    deliveries = [(n * 0.003, 1 + n % 7) for n in range(400)]

    def once() -> list[tuple[float, int, int, bool]]:
        return simulate(Typewriter(rate=300, max_lag=0.4), deliveries, 1 / 60, 1.2, 3.0).ticks

    assert once() == once()


def test_slow_source_never_stalls_longer_than_the_gap() -> None:
    """100 chars/s in 5-char chunks every 50 ms: each chunk is shown before the next one.

    At 400 chars/s a 5-char chunk takes 12.5 ms, so with 60 Hz ticks every character is
    on screen well within the 50 ms gap, and the backlog is empty when the next arrives.
    """
    gap, tick = 0.05, 1 / 60
    deliveries = [(0.001 + n * gap, 5) for n in range(20)]  # off the tick grid
    writer = Typewriter(rate=400, max_lag=1.0)
    run = simulate(writer, deliveries, tick, finish_at=1.1, until=1.2)
    lags = run.lags()
    assert len(lags) == 100
    assert max(lags) <= 5 / 400 + tick + EPSILON
    assert max(lags) < gap
    # Before each new chunk arrives, everything that came before is already shown.
    for at, cumulative in run.arrivals[1:]:
        before = [t for t in run.ticks if t[0] < at]
        shown = sum(count for _, count, _, _ in before)
        assert shown == cumulative - 5, f"backlog left when the chunk at {at:.3f} s arrived"


def test_slow_single_characters_are_not_held_back() -> None:
    """A trickle of single characters slower than the rate is shown at the next tick."""
    tick = 1 / 60
    deliveries = [(0.004 + n * 0.1, 1) for n in range(10)]
    run = simulate(Typewriter(rate=400, max_lag=1.0), deliveries, tick, finish_at=2, until=1.1)
    assert max(run.lags()) <= tick + EPSILON


def test_drain_after_finish() -> None:
    """Once finished, the backlog is gone within `drain` seconds, plus one tick."""
    rate, drain, tick = 50.0, 0.5, 1 / 60
    writer = Typewriter(rate=rate, max_lag=1000, drain=drain)
    run = simulate(writer, [(0.0, 2000)], tick, finish_at=0.5, until=2.0)
    first_finished = next(now for now, _, _, finished in run.ticks if finished)
    shown_before = sum(count for now, count, _, _ in run.ticks if now < first_finished)
    assert shown_before <= rate * first_finished + 1  # the base rate ruled until then
    left = 2000
    for now, count, _, _ in run.ticks:
        left -= count
        if now >= first_finished + drain + tick - EPSILON:
            assert left == 0, f"{left} chars still hidden at t={now:.3f}"
            break
    else:
        pytest.fail("the simulation ended before the drain deadline")


def test_drain_after_a_burst_that_ends_the_stream() -> None:
    """The catch-up run's tail is also drained within `drain` of the finish."""
    drain, tick = 0.3, 1 / 60
    deliveries = [(n * 0.002, 4) for n in range(1000)]
    writer = Typewriter(rate=400, max_lag=1.0, drain=drain)
    run = simulate(writer, deliveries, tick, finish_at=2.0, until=3.0)
    first_finished = next(now for now, _, _, finished in run.ticks if finished)
    last_reveal = max(now for now, count, _, _ in run.ticks if count)
    assert last_reveal <= first_finished + drain + tick + EPSILON
    assert sum(count for _, count, _, _ in run.ticks) == 4000


def test_docstring_example_by_hand() -> None:
    """Worked by hand: 50 chars; the first shows as they arrive, then 100 chars/s for
    0.1 s is 10 more; the rest drains by 0.6 s."""
    writer = Typewriter(rate=100, max_lag=2, drain=0.5)
    writer.arrive(50, now=0.0)
    assert writer.reveal(now=0.0) == 1
    assert writer.reveal(now=0.1) == 10
    shown = writer.reveal(now=0.1, finished=True)
    shown += writer.reveal(now=0.6, finished=True)
    assert shown == 39
    assert writer.backlog == 0


def test_the_first_character_after_a_pause_shows_as_it_arrives() -> None:
    """A chunk after a pause starts at once; the rest of it follows at the rate."""
    writer = Typewriter(rate=100, max_lag=1.0)
    for start in (1.0, 2.0):
        writer.arrive(5, now=start)
        assert writer.reveal(now=start) == 1
        assert writer.reveal(now=start + 0.02) == 2  # 100 chars/s
        assert writer.reveal(now=start + 0.04) == 2


def test_headroom_reveals_that_much_before_max_lag() -> None:
    """The burst again, with 0.2 s of `max_lag` left to the display: no character waits
    past `max_lag - headroom` to be revealed, give or take a tick."""
    max_lag, headroom, tick = 0.5, 0.2, 1 / 60
    deliveries = [(n * 0.002, 4) for n in range(1000)]
    writer = Typewriter(rate=400, max_lag=max_lag, headroom=headroom)
    run = simulate(writer, deliveries, tick, finish_at=2.0, until=4.0)
    assert len(run.reveal_times()) == 4000
    worst = max(run.lags())
    assert worst <= max_lag - headroom + tick + EPSILON, f"a char waited {worst:.3f} s"


def test_headroom_of_all_the_lag_reveals_text_as_it_arrives() -> None:
    """With no time left for the typewriter, each arrival is revealed at once."""
    writer = Typewriter(rate=10, max_lag=0.1, headroom=0.5)
    writer.arrive(100, now=3.0)
    assert writer.reveal(now=3.0) == 100
    writer.arrive(7, now=3.5)
    assert writer.reveal(now=3.5) == 7


def test_a_late_reveal_shows_only_what_fell_due() -> None:
    """A reveal that comes late, just before one deadline, doesn't show text due later.

    10 chars arrive at 0 s and 1000 at 0.5 s, and the first reveal only comes at 0.999 s.
    That one interval brings every deadline forward by three times itself, leaving
    `max_lag - 3 * 0.999` s: the first 10 are nearly due, and of the 1000 an even pace
    from their arrival to their deadline has shown a quarter by then.
    """
    max_lag, late = 5.0, 0.999
    lag = max_lag - 3 * late
    writer = Typewriter(rate=10, max_lag=max_lag)
    writer.arrive(10, now=0.0)
    writer.arrive(1000, now=0.5)
    shown = writer.reveal(now=late)
    assert shown <= 10 + 1000 * (late - 0.5) / lag + 1
    writer.reveal(now=lag)
    assert writer.revealed >= 10  # the first 10 are shown by their deadline
    writer.reveal(now=0.5 + lag)
    assert writer.backlog == 0  # and the 1000 by theirs


def test_reveals_far_apart_bring_the_deadlines_forward() -> None:
    """Reveals every 0.1 s: a character is revealed by `max_lag` less three intervals,
    since the next reveal, and the frame that shows it, may come that much late."""
    writer = Typewriter(rate=1, max_lag=1.0)
    writer.arrive(100, now=0.0)
    for step in range(1, 7):
        writer.reveal(now=step / 10)
    assert writer.backlog > 0  # paced, not shown at once
    writer.reveal(now=1.0 - 3 * 0.1)
    assert writer.backlog == 0
