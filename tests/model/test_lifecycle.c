/* Tests model/lifecycle: the transition table against DESIGN.md's diagram, role checks, terminal states and names. */
#include "util/testutil.h"

#include "model/error.h"
#include "model/lifecycle.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Names written out here, independently of lifecycle.c, in enum order. */
static const char *const state_names[BF_ST_COUNT] = {
    [BF_ST_DECLARED] = "declared",
    [BF_ST_VALIDATED] = "validated",
    [BF_ST_REJECTED] = "rejected",
    [BF_ST_BOOKED] = "booked",
    [BF_ST_WAITING] = "waiting",
    [BF_ST_CALLED] = "called",
    [BF_ST_EXPORT_CLEARED] = "export_cleared",
    [BF_ST_HELD] = "held",
    [BF_ST_IMPORT_CLEARED] = "import_cleared",
    [BF_ST_INSPECTION] = "inspection",
    [BF_ST_REFUSED] = "refused",
    [BF_ST_RETURNED] = "returned",
    [BF_ST_CROSSED] = "crossed",
    [BF_ST_CANCELLED] = "cancelled",
};

static const char *const role_names[BF_ROLE_COUNT] = {
    [BF_ROLE_SYSTEM] = "system",
    [BF_ROLE_CARRIER] = "carrier",
    [BF_ROLE_EXPORT_AUTHORITY] = "export_authority",
    [BF_ROLE_IMPORT_AUTHORITY] = "import_authority",
    [BF_ROLE_GATE_OPERATOR] = "gate_operator",
    [BF_ROLE_PLANNER] = "planner",
    [BF_ROLE_REGISTRY_AUTHORITY] = "registry_authority",
    [BF_ROLE_AUDITOR] = "auditor",
};

#define E(f, t, r)                                                                                                     \
	{                                                                                                              \
		BF_ST_##f, BF_ST_##t, BF_ROLE_##r                                                                      \
	}

/* DESIGN.md's diagram, read as lifecycle.c's top comment documents it. */
static const struct bf_transition expected[] = {
    /* declaration and validation against the registry */
    E(DECLARED, VALIDATED, SYSTEM),
    E(DECLARED, REJECTED, SYSTEM),
    /* booking, rebooking, check-in and call */
    E(VALIDATED, BOOKED, CARRIER),
    E(BOOKED, VALIDATED, CARRIER),
    E(BOOKED, BOOKED, SYSTEM),
    E(BOOKED, WAITING, CARRIER),
    E(WAITING, CALLED, GATE_OPERATOR),
    /* export side */
    E(CALLED, EXPORT_CLEARED, EXPORT_AUTHORITY),
    E(CALLED, HELD, EXPORT_AUTHORITY),
    E(HELD, EXPORT_CLEARED, EXPORT_AUTHORITY),
    /* import side */
    E(EXPORT_CLEARED, IMPORT_CLEARED, IMPORT_AUTHORITY),
    E(EXPORT_CLEARED, INSPECTION, IMPORT_AUTHORITY),
    E(INSPECTION, IMPORT_CLEARED, IMPORT_AUTHORITY),
    E(INSPECTION, REFUSED, IMPORT_AUTHORITY),
    /* through the gate, or back */
    E(IMPORT_CLEARED, CROSSED, GATE_OPERATOR),
    E(REFUSED, RETURNED, GATE_OPERATOR),
    /* the carrier cancels from every non-terminal state */
    E(DECLARED, CANCELLED, CARRIER),
    E(VALIDATED, CANCELLED, CARRIER),
    E(BOOKED, CANCELLED, CARRIER),
    E(WAITING, CANCELLED, CARRIER),
    E(CALLED, CANCELLED, CARRIER),
    E(EXPORT_CLEARED, CANCELLED, CARRIER),
    E(HELD, CANCELLED, CARRIER),
    E(IMPORT_CLEARED, CANCELLED, CARRIER),
    E(INSPECTION, CANCELLED, CARRIER),
    E(REFUSED, CANCELLED, CARRIER),
};
#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

/* The role that owns FROM -> TO in the expected list, or -1. */
static int expected_owner(int from, int to)
{
	for (size_t i = 0; i < N_EXPECTED; i++) {
		if ((int)expected[i].from == from && (int)expected[i].to == to)
			return (int)expected[i].role;
	}
	return -1;
}

static const bool terminal[BF_ST_COUNT] = {
    [BF_ST_REJECTED] = true,
    [BF_ST_RETURNED] = true,
    [BF_ST_CROSSED] = true,
    [BF_ST_CANCELLED] = true,
};

/* The expected list itself is consistent: one role per pair, exits from every
 * non-terminal state, none from a terminal one, cancel from each non-terminal. */
static void test_expected_list_sane(void **state)
{
	(void)state;
	assert_int_equal(N_EXPECTED, 26);
	for (int s = 0; s < BF_ST_COUNT; s++) {
		int exits = 0;
		for (size_t i = 0; i < N_EXPECTED; i++)
			exits += (int)expected[i].from == s;
		assert_int_equal(exits == 0, terminal[s]);
		assert_int_equal(expected_owner(s, BF_ST_CANCELLED), terminal[s] ? -1 : BF_ROLE_CARRIER);
	}
}

static void test_table_matches_design(void **state)
{
	(void)state;
	/* Same size; every table row is in the list with the same role; every
	 * list entry is in the table. */
	assert_int_equal(bf_lifecycle_len, N_EXPECTED);
	for (size_t i = 0; i < bf_lifecycle_len; i++) {
		const struct bf_transition *t = &bf_lifecycle[i];
		int owner = expected_owner((int)t->from, (int)t->to);
		if (owner != (int)t->role)
			fail_msg("table row %zu: %s -> %s by %s is not in the design", i, state_names[t->from],
			         state_names[t->to], role_names[t->role]);
	}
	for (size_t i = 0; i < N_EXPECTED; i++) {
		bool found = false;
		for (size_t j = 0; j < bf_lifecycle_len; j++) {
			if (bf_lifecycle[j].from == expected[i].from && bf_lifecycle[j].to == expected[i].to &&
			    bf_lifecycle[j].role == expected[i].role)
				found = true;
		}
		if (!found)
			fail_msg("the table lacks %s -> %s by %s", state_names[expected[i].from],
			         state_names[expected[i].to], role_names[expected[i].role]);
	}
}

/* Each (from, to) pair appears at most once: one role per transition. */
static void test_one_role_per_transition(void **state)
{
	(void)state;
	for (size_t i = 0; i < bf_lifecycle_len; i++) {
		assert_true((int)bf_lifecycle[i].from >= 0 && bf_lifecycle[i].from < BF_ST_COUNT);
		assert_true((int)bf_lifecycle[i].to >= 0 && bf_lifecycle[i].to < BF_ST_COUNT);
		assert_true((int)bf_lifecycle[i].role >= 0 && bf_lifecycle[i].role < BF_ROLE_COUNT);
		for (size_t j = i + 1; j < bf_lifecycle_len; j++) {
			if (bf_lifecycle[i].from == bf_lifecycle[j].from && bf_lifecycle[i].to == bf_lifecycle[j].to)
				fail_msg("%s -> %s appears at rows %zu and %zu", state_names[bf_lifecycle[i].from],
				         state_names[bf_lifecycle[i].to], i, j);
		}
	}
}

/* Every (from, to, role) triple: 14 * 14 * 8 = 1568 checks. */
static void test_transition_check_exhaustive(void **state)
{
	(void)state;
	int allowed = 0, forbidden = 0, conflict = 0;

	for (int from = 0; from < BF_ST_COUNT; from++) {
		for (int to = 0; to < BF_ST_COUNT; to++) {
			int owner = expected_owner(from, to);
			for (int role = 0; role < BF_ROLE_COUNT; role++) {
				struct bf_error err;
				memset(&err, 0, sizeof(err));
				int rc = bf_transition_check((enum bf_state)from, (enum bf_state)to, (enum bf_role)role,
				                             &err);
				const char *f = state_names[from], *t = state_names[to], *r = role_names[role];

				if (owner == role) {
					if (rc != 0)
						fail_msg("%s -> %s by %s: want 0, got %d (%s)", f, t, r, rc,
						         err.message);
					allowed++;
				} else if (owner >= 0) {
					if (rc != BF_EFORBIDDEN)
						fail_msg("%s -> %s by %s: want BF_EFORBIDDEN, got %d", f, t, r, rc);
					if (err.code != BF_EFORBIDDEN || strcmp(err.field, "role") != 0)
						fail_msg("%s -> %s by %s: err.code %d, field \"%s\"", f, t, r, err.code,
						         err.field);
					if (strstr(err.message, role_names[owner]) == NULL ||
					    strstr(err.message, r) == NULL)
						fail_msg("%s -> %s by %s: message does not name %s and %s: \"%s\"", f,
						         t, r, role_names[owner], r, err.message);
					forbidden++;
				} else {
					if (rc != BF_ECONFLICT)
						fail_msg("%s -> %s by %s: want BF_ECONFLICT, got %d", f, t, r, rc);
					if (err.code != BF_ECONFLICT || strcmp(err.field, "state") != 0)
						fail_msg("%s -> %s by %s: err.code %d, field \"%s\"", f, t, r, err.code,
						         err.field);
					if (err.message[0] == '\0')
						fail_msg("%s -> %s by %s: empty message", f, t, r);
					conflict++;
				}
				/* A NULL error record gives the same answer. */
				assert_int_equal(bf_transition_check((enum bf_state)from, (enum bf_state)to,
				                                     (enum bf_role)role, NULL),
				                 rc);
			}
		}
	}
	assert_int_equal(allowed, 26);
	assert_int_equal(forbidden, 26 * 7);
	assert_int_equal(conflict, (14 * 14 - 26) * 8);
}

/* Spot checks of the messages, worded for a person. */
static void test_transition_messages(void **state)
{
	(void)state;
	struct bf_error err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_transition_check(BF_ST_CALLED, BF_ST_HELD, BF_ROLE_IMPORT_AUTHORITY, &err), BF_EFORBIDDEN);
	assert_non_null(strstr(err.message, "export_authority"));
	assert_non_null(strstr(err.message, "import_authority"));
	assert_non_null(strstr(err.message, "called"));
	assert_non_null(strstr(err.message, "held"));

	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_transition_check(BF_ST_CROSSED, BF_ST_CANCELLED, BF_ROLE_CARRIER, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "state");
	assert_non_null(strstr(err.message, "crossed"));
	assert_non_null(strstr(err.message, "cancelled"));

	/* Backwards and skipping steps conflict for every role, the owner of the
	 * forward step included. */
	assert_int_equal(bf_transition_check(BF_ST_WAITING, BF_ST_BOOKED, BF_ROLE_CARRIER, NULL), BF_ECONFLICT);
	assert_int_equal(bf_transition_check(BF_ST_WAITING, BF_ST_EXPORT_CLEARED, BF_ROLE_EXPORT_AUTHORITY, NULL),
	                 BF_ECONFLICT);
	assert_int_equal(bf_transition_check(BF_ST_HELD, BF_ST_IMPORT_CLEARED, BF_ROLE_IMPORT_AUTHORITY, NULL),
	                 BF_ECONFLICT);
	assert_int_equal(bf_transition_check(BF_ST_DECLARED, BF_ST_DECLARED, BF_ROLE_SYSTEM, NULL), BF_ECONFLICT);
	assert_int_equal(bf_transition_check(BF_ST_CANCELLED, BF_ST_CANCELLED, BF_ROLE_CARRIER, NULL), BF_ECONFLICT);
}

static void test_terminal(void **state)
{
	(void)state;
	for (int s = 0; s < BF_ST_COUNT; s++) {
		if (bf_state_terminal((enum bf_state)s) != terminal[s])
			fail_msg("bf_state_terminal(%s) = %d", state_names[s], !terminal[s]);
	}
}

static void test_names(void **state)
{
	(void)state;
	for (int s = 0; s < BF_ST_COUNT; s++) {
		enum bf_state back = BF_ST_COUNT;
		assert_string_equal(bf_state_name((enum bf_state)s), state_names[s]);
		assert_int_equal(bf_state_parse(state_names[s], &back), 0);
		assert_int_equal(back, s);
	}
	for (int r = 0; r < BF_ROLE_COUNT; r++) {
		enum bf_role back = BF_ROLE_COUNT;
		assert_string_equal(bf_role_name((enum bf_role)r), role_names[r]);
		assert_int_equal(bf_role_parse(role_names[r], &back), 0);
		assert_int_equal(back, r);
	}

	static const char *const bad_states[] = {"",     "Declared", "DECLARED",       "declared ", " declared",
	                                         "decl", "rebooked", "export-cleared", "unknown",   "carrier"};
	for (size_t i = 0; i < sizeof(bad_states) / sizeof(bad_states[0]); i++) {
		enum bf_state out = BF_ST_CROSSED;
		if (bf_state_parse(bad_states[i], &out) != BF_EINVAL)
			fail_msg("bf_state_parse accepted \"%s\"", bad_states[i]);
		assert_int_equal(out, BF_ST_CROSSED);
	}
	enum bf_state st = BF_ST_CROSSED;
	assert_int_equal(bf_state_parse(NULL, &st), BF_EINVAL);

	static const char *const bad_roles[] = {"",         "Carrier", "CARRIER", "carrier ", "export authority",
	                                        "exporter", "admin",   "declared"};
	for (size_t i = 0; i < sizeof(bad_roles) / sizeof(bad_roles[0]); i++) {
		enum bf_role out = BF_ROLE_AUDITOR;
		if (bf_role_parse(bad_roles[i], &out) != BF_EINVAL)
			fail_msg("bf_role_parse accepted \"%s\"", bad_roles[i]);
		assert_int_equal(out, BF_ROLE_AUDITOR);
	}
	enum bf_role ro = BF_ROLE_AUDITOR;
	assert_int_equal(bf_role_parse(NULL, &ro), BF_EINVAL);

	/* Out-of-range values have no name. */
	assert_string_equal(bf_state_name(BF_ST_COUNT), "?");
	assert_string_equal(bf_state_name((enum bf_state) - 1), "?");
	assert_string_equal(bf_role_name(BF_ROLE_COUNT), "?");
	assert_string_equal(bf_role_name((enum bf_role) - 1), "?");
}

/* Out-of-range states are refused with BF_EINVAL, whatever the role. */
static void test_out_of_range_states(void **state)
{
	(void)state;
	static const int bad[] = {-1, BF_ST_COUNT, BF_ST_COUNT + 1, 1000};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int s = 0; s < BF_ST_COUNT; s++) {
			for (int r = 0; r < BF_ROLE_COUNT; r++) {
				struct bf_error err;
				memset(&err, 0, sizeof(err));
				int rc =
				    bf_transition_check((enum bf_state)bad[i], (enum bf_state)s, (enum bf_role)r, &err);
				if (rc != BF_EINVAL || err.code != BF_EINVAL)
					fail_msg("from %d to %s by %s: want BF_EINVAL, got %d", bad[i], state_names[s],
					         role_names[r], rc);
				rc =
				    bf_transition_check((enum bf_state)s, (enum bf_state)bad[i], (enum bf_role)r, &err);
				if (rc != BF_EINVAL)
					fail_msg("from %s to %d by %s: want BF_EINVAL, got %d", state_names[s], bad[i],
					         role_names[r], rc);
			}
		}
	}
}

/* Out-of-range roles are refused with BF_EINVAL too, for every pair of states
 * (not BF_EFORBIDDEN naming a role "?", nor BF_ECONFLICT). */
static void test_out_of_range_roles(void **state)
{
	(void)state;
	static const int bad[] = {-1, BF_ROLE_COUNT, BF_ROLE_COUNT + 1, 1000};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int from = 0; from < BF_ST_COUNT; from++) {
			for (int to = 0; to < BF_ST_COUNT; to++) {
				struct bf_error err;
				memset(&err, 0, sizeof(err));
				int rc = bf_transition_check((enum bf_state)from, (enum bf_state)to,
				                             (enum bf_role)bad[i], &err);
				if (rc != BF_EINVAL)
					fail_msg("%s -> %s by role %d: want BF_EINVAL, got %d (field \"%s\": %s)",
					         state_names[from], state_names[to], bad[i], rc, err.field,
					         err.message);
			}
		}
	}
}

/* The system's release stands beside the table: from booked or waiting,
 * the system's alone; nothing else is released. */
static void test_release(void **state)
{
	(void)state;
	for (int s = 0; s < BF_ST_COUNT; s++) {
		for (int r = 0; r < BF_ROLE_COUNT; r++) {
			struct bf_error err = {0};
			int rc = bf_transition_release_check((enum bf_state)s, (enum bf_role)r, &err);
			if (r != BF_ROLE_SYSTEM)
				assert_int_equal(rc, BF_EFORBIDDEN);
			else if (s == BF_ST_BOOKED || s == BF_ST_WAITING)
				assert_int_equal(rc, BF_OK);
			else
				assert_int_equal(rc, BF_ECONFLICT);
			if (rc)
				assert_true(err.message[0] != '\0');
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_expected_list_sane),
	    cmocka_unit_test(test_table_matches_design),
	    cmocka_unit_test(test_one_role_per_transition),
	    cmocka_unit_test(test_transition_check_exhaustive),
	    cmocka_unit_test(test_transition_messages),
	    cmocka_unit_test(test_terminal),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_out_of_range_states),
	    cmocka_unit_test(test_out_of_range_roles),
	    cmocka_unit_test(test_release),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
