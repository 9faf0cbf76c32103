/*
 * testhook.h - named points at which tests interrupt a run.
 *
 * The tests of the output folder kill, stall or fail a run at each point of its life to show
 * that the folder always holds one whole run. Without the environment variables below a hook
 * does nothing (one getenv per point).
 *
 *   QTR_TEST_KILL_AT=POINT       raise SIGKILL at POINT (as kill -9 would)
 *   QTR_TEST_WAIT_AT=POINT:FILE  wait at POINT until FILE exists (at most 60 s)
 *   QTR_TEST_FAIL_AT=POINT       qtr_test_hook returns 1 at POINT: the caller fails
 *
 * Points of `quartier run`: loaded, computed, spatial, change, indicators, renewal, goals,
 * candidates, written, published, reported, synced, swapped (docs/architecture.md).
 */
#ifndef QUARTIER_TESTHOOK_H
#define QUARTIER_TESTHOOK_H

/** Act on the test variables for `point`; 1 when the caller is asked to fail, else 0. */
int qtr_test_hook(const char *point);

#endif
