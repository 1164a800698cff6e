"""Progress lines of model fitting: counts, time left, and the joblib observer."""

from __future__ import annotations

import logging
import threading

import joblib
import numpy as np
import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import Ridge
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    KFold,
    RandomizedSearchCV,
    cross_validate,
)

from ml_workflow.progress import (
    Progress,
    clock_text,
    observe_fits,
    planned_fits,
    search_progress,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _progress(
    total: int | None, every: float = 10.0
) -> tuple[Progress, FakeClock, list[str]]:
    clock = FakeClock()
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    log = logging.getLogger(f"test_progress.{id(lines)}")
    log.setLevel(logging.INFO)
    log.propagate = False
    log.addHandler(Collect())
    return Progress("search", total, every=every, clock=clock, log=log), clock, lines


def test_clock_text() -> None:
    assert clock_text(7.4) == "0:07"
    assert clock_text(754) == "12:34"
    assert clock_text(3723) == "1:02:03"


def test_time_left_is_the_mean_time_per_fit_times_the_fits_left() -> None:
    progress, clock, lines = _progress(total=20)
    assert progress.seconds_left() is None  # nothing finished yet
    clock.now += 9.0
    progress.advance(3)
    assert progress.seconds_left() == pytest.approx(9.0 / 3 * 17)
    assert lines == ["search: 3/20 fits (15%), 0:09 elapsed, about 0:51 left"]


def test_the_start_up_before_the_first_fit_leaves_the_estimate() -> None:
    progress, clock, _ = _progress(total=10)
    clock.now += 30.0  # workers starting: no fit finishes meanwhile
    progress.advance()
    assert progress.seconds_left() == pytest.approx(30.0 * 9)  # all it knows
    clock.now += 2.0
    progress.advance()
    clock.now += 2.0
    progress.advance()  # two fits in 4 s after the first
    assert progress.seconds_left() == pytest.approx(2.0 * 7)


def test_lines_are_throttled_but_stages_and_the_last_fit_are_logged() -> None:
    progress, clock, lines = _progress(total=4, every=10.0)
    progress.stage("candidate 1/2 ridge")
    clock.now += 1
    progress.advance()  # the first fit: logged
    clock.now += 1
    progress.advance()  # 1 s later: not logged
    clock.now += 11
    progress.advance()  # 11 s after the last line: logged
    progress.stage("candidate 2/2 forest")
    progress.advance()  # the last fit: logged
    assert [line.split(";")[0] for line in lines] == [
        "search: candidate 1/2 ridge",
        "search: candidate 1/2 ridge",
        "search: candidate 1/2 ridge",
        "search: candidate 2/2 forest",
        "search: candidate 2/2 forest",
    ]
    assert lines[1].endswith("1/4 fits (25%), 0:01 elapsed, about 0:03 left")
    assert lines[-1].endswith("4/4 fits (100%), 0:13 elapsed, about 0:00 left")


def test_without_a_total_only_the_count_is_shown() -> None:
    progress, clock, lines = _progress(total=None)
    clock.now += 65
    progress.advance(2)
    assert lines == ["search: 2 fits, 1:05 elapsed"]


def test_the_count_never_goes_down() -> None:
    progress, _, _ = _progress(total=10)
    progress.set_done(5)
    progress.set_done(3)
    assert progress.done == 5


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    features = rng.normal(size=(60, 3))
    return features, features @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=60)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_every_fold_of_cross_validate_is_counted_once(data, n_jobs) -> None:
    features, target = data
    progress, _, _ = _progress(total=5, every=0.0)
    # A forest with its own joblib calls inside each fit: those are not fits.
    model = RandomForestRegressor(n_estimators=4, n_jobs=1, random_state=0)
    with observe_fits(progress):
        observed = cross_validate(model, features, target, cv=KFold(5), n_jobs=n_jobs)
    plain = cross_validate(model, features, target, cv=KFold(5), n_jobs=n_jobs)
    assert progress.done == 5
    np.testing.assert_array_equal(observed["test_score"], plain["test_score"])


def test_a_search_counts_settings_times_folds_and_results_do_not_change(data) -> None:
    features, target = data
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0, 10.0]}, cv=KFold(4), n_jobs=2)
    total = planned_fits(search, 4)
    progress, _, lines = _progress(total=total, every=0.0)
    with observe_fits(progress):
        search.fit(features, target)
    plain = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0, 10.0]}, cv=KFold(4)).fit(
        features, target
    )
    assert (total, progress.done) == (12, 12)
    assert lines[-1].startswith("search: 12/12 fits (100%)")
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"]
    )


def test_the_refit_of_a_search_is_not_counted_as_fits(data) -> None:
    features, target = data
    # The final refit of a forest runs its trees as joblib tasks too.
    forest = RandomForestRegressor(n_estimators=6, n_jobs=2, random_state=0)
    search = GridSearchCV(forest, {"max_depth": [2, 3]}, cv=KFold(3), n_jobs=1)
    progress, _, _ = _progress(total=planned_fits(search, 3), every=0.0)
    with observe_fits(progress):
        search.fit(features, target)
    assert (progress.total, progress.done) == (6, 6)


def test_the_patch_is_removed_on_exit_even_after_an_error() -> None:
    call, show = joblib.Parallel.__call__, joblib.Parallel.print_progress
    progress, _, _ = _progress(total=1)
    with pytest.raises(RuntimeError), observe_fits(progress):
        raise RuntimeError("boom")
    assert (joblib.Parallel.__call__, joblib.Parallel.print_progress) == (call, show)


def test_calls_from_another_thread_are_not_counted(data) -> None:
    features, target = data
    progress, _, _ = _progress(total=3)

    def elsewhere() -> None:
        cross_validate(Ridge(), features, target, cv=KFold(3))

    with observe_fits(progress):
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert progress.done == 0


def test_planned_fits_of_each_search() -> None:
    space = {"alpha": [0.1, 1.0]}
    assert planned_fits(GridSearchCV(Ridge(), space), 5) == 10
    assert planned_fits(RandomizedSearchCV(Ridge(), space, n_iter=7), 3) == 21
    assert planned_fits(HalvingGridSearchCV(Ridge(), space), 3) is None


def test_search_progress_logs_the_search_to_its_last_fit(data, caplog) -> None:
    features, target = data
    search = RandomizedSearchCV(
        Ridge(),
        {"alpha": [0.1, 1.0, 10.0, 100.0]},
        n_iter=2,
        cv=KFold(3),
        random_state=0,
    )
    with caplog.at_level(logging.INFO, logger="ml_workflow.progress"):
        with search_progress("search of ridge", search):
            search.fit(features, target)
    lines = [r.getMessage() for r in caplog.records if r.name == "ml_workflow.progress"]
    assert lines[-1].startswith("search of ridge: 6/6 fits (100%), ")
