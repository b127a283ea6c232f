/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Corpus replay driver: a main() for the fuzz_<entry>.c targets when they
 * are built without libFuzzer (gcc, or clang without -fsanitize=fuzzer).
 * It feeds the empty input and then every file named on the command line,
 * or found under a directory named there, to LLVMFuzzerTestOneInput(), one
 * at a time, in name order.  Under CTest this runs the committed seed corpus
 * (fuzz/corpus/<entry>/) and every crash reproducer added to it in every
 * build, so a regression shows up without a fuzzing run.  Built with
 * sanitizers, a bad input aborts with the sanitizer's report; the name of
 * the input is printed before it runs.
 *
 * Each input is copied into a buffer of exactly its size, so that an
 * over-read is caught by ASan as it would be under libFuzzer.
 *
 * Usage: replay_<entry> [FILE|DIR]...
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Optional in a fuzz target, as with libFuzzer. */
int	LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static size_t	nrun;

static int	replay_path(const char *path);

static int
run_one(const uint8_t *data, size_t len)
{
	uint8_t	*copy;

	/* malloc(0) may return NULL: allocate one byte, pass the size. */
	copy = malloc(len > 0 ? len : 1);
	if (copy == NULL) {
		fprintf(stderr, "replay: out of memory (%zu bytes)\n", len);
		return -1;
	}
	if (len > 0)
		memcpy(copy, data, len);
	/* The return value is libFuzzer's corpus hint, not a verdict. */
	(void)LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	nrun++;
	return 0;
}

static int
replay_file(const char *path, const struct stat *st)
{
	FILE	*f;
	uint8_t	*buf;
	size_t	 len, got;
	int	 ret;

	len = (size_t)st->st_size;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(len > 0 ? len : 1);
	if (buf == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		fclose(f);
		return -1;
	}
	got = fread(buf, 1, len, f);
	if (got != len || ferror(f)) {
		fprintf(stderr, "replay: %s: short read\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);

	/* Before the run, so that a sanitizer report can be attributed. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	ret = run_one(buf, len);
	free(buf);
	return ret;
}

static int
skip_entry(const struct dirent *de)
{
	/* ".", "..", and hidden files such as .gitkeep are not inputs. */
	return de->d_name[0] != '.';
}

static int
replay_dir(const char *path)
{
	struct dirent	**names;
	char		 *child;
	size_t		  plen, clen;
	int		  i, n, ret = 0;

	n = scandir(path, &names, skip_entry, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	plen = strlen(path);
	for (i = 0; i < n; i++) {
		clen = plen + 1 + strlen(names[i]->d_name) + 1;
		if ((child = malloc(clen)) == NULL) {
			fprintf(stderr, "replay: out of memory\n");
			ret = -1;
		} else {
			snprintf(child, clen, "%s/%s", path, names[i]->d_name);
			if (replay_path(child) != 0)
				ret = -1;
			free(child);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

static int
replay_path(const char *path)
{
	struct stat	st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return replay_dir(path);
	if (S_ISREG(st.st_mode))
		return replay_file(path, &st);
	fprintf(stderr, "replay: %s: not a file or directory\n", path);
	return -1;
}

int
main(int argc, char *argv[])
{
	int	i, failed = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);

	/* libFuzzer always tries the empty input first; so do we. */
	if (run_one((const uint8_t *)"", 0) != 0)
		failed = 1;

	for (i = 1; i < argc; i++)
		if (replay_path(argv[i]) != 0)
			failed = 1;

	printf("replay: %zu inputs run%s\n", nrun,
	    failed ? ", some could not be read" : "");
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
