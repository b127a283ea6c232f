/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Assertion shared by the decoder tests: a refused body gives the expected
 * error code, no message, the exact field path and a message containing a
 * word that names the problem.  Include after <cmocka.h>.
 */
#ifndef DOTS_TEST_EXPECT_DIAG_H
#define DOTS_TEST_EXPECT_DIAG_H

#include <string.h>

#include <dots/error.h>
#include <dots/model.h>

static void
check_error(const char *what, int ret, struct dots_signal *m,
    const struct dots_diag *diag, int err, const char *path,
    const char *word)
{
	if (ret != err)
		fail_msg("%s: got %s (%s: %s), want %s", what,
		    dots_err_name(ret), diag->error.path, diag->error.msg,
		    dots_err_name(err));
	assert_null(m);
	assert_int_equal(diag->err, err);
	if (strcmp(diag->error.path, path) != 0)
		fail_msg("%s: path '%s', want '%s' (%s)", what,
		    diag->error.path, path, diag->error.msg);
	if (strstr(diag->error.msg, word) == NULL)
		fail_msg("%s: message '%s' lacks '%s'", what, diag->error.msg,
		    word);
}

#endif /* DOTS_TEST_EXPECT_DIAG_H */
