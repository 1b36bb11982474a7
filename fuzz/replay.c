/* SPDX-License-Identifier: MIT */
/*
 * replay.c - run saved inputs through a fuzz target without libFuzzer
 *
 * Linked with one fuzz_<target>.c, this program calls the target's
 * LLVMFuzzerInitialize() (when it has one) and then its
 * LLVMFuzzerTestOneInput() once for each file named on the command line
 * or found in a directory named there.  It needs neither clang nor
 * libFuzzer, so every build replays the seed corpus and the regression
 * inputs as a normal test (meson test --suite fuzz).
 *
 * Output is TAP: one "ok" line per input, in sorted order within each
 * directory, after a "# PATH" comment line.  A broken invariant aborts
 * the program inside the target, which fails the test, and the last
 * comment line names the input that broke it.  Names that start with "." are skipped, so that a directory
 * can be kept in git by an empty ".keep" file.  A missing file or
 * directory is an error, and so is an empty list of inputs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bouncelog/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Defined only by the targets that need one-time set-up. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* The inputs to run, in order. */
struct input_list {
	char **paths;
	size_t count;
};

static void
list_add(struct input_list *list, char *path)
{
	list->paths = xreallocarray(list->paths, list->count + 1,
				    sizeof *list->paths);
	list->paths[list->count++] = path;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list_directory - add the files of dir, sorted; false on an error */
static bool
list_directory(struct input_list *list, const char *dir)
{
	struct input_list found = {NULL, 0};
	struct dirent *entry;
	DIR *d = opendir(dir);

	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return false;
	}
	while ((entry = readdir(d)) != NULL) {
		size_t len;
		char *path;

		if (entry->d_name[0] == '.')
			continue;
		len = strlen(dir) + strlen(entry->d_name) + 2;
		path = xmalloc(len);
		snprintf(path, len, "%s/%s", dir, entry->d_name);
		list_add(&found, path);
	}
	closedir(d);

	if (found.count > 0)
		qsort(found.paths, found.count, sizeof *found.paths,
		      compare_names);
	for (size_t i = 0; i < found.count; i++)
		list_add(list, found.paths[i]);
	free(found.paths);
	return true;
}

/*
 * read_file - the whole file in a buffer of exactly its size, so that
 * AddressSanitizer catches a read one byte past the input
 */
static uint8_t *
read_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;
	uint8_t chunk[65536];

	if (fp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (len + n > cap) {
			cap = (len + n) * 2;
			data = xrealloc(data, cap);
		}
		memcpy(data + len, chunk, n);
		len += n;
	}
	if (ferror(fp)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		fclose(fp);
		free(data);
		return NULL;
	}
	fclose(fp);

	/* Shrink to the exact size.  NOTE: xrealloc() gives an empty file a
	 * 1-byte block, so a 1-byte read of an empty input goes unnoticed
	 * here.  libFuzzer's own runs catch it. */
	data = xrealloc(data, len);
	*size = len;
	return data;
}

/* collect - expand the arguments into a list of files */
static bool
collect(struct input_list *list, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				strerror(errno));
			return false;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!list_directory(list, argv[i]))
				return false;
		} else {
			list_add(list, xstrdup(argv[i]));
		}
	}
	return true;
}

int
main(int argc, char **argv)
{
	struct input_list list = {NULL, 0};
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (!collect(&list, argc, argv))
		return 1;
	if (list.count == 0) {
		fprintf(stderr, "replay: no inputs found\n");
		return 1;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);

	printf("1..%zu\n", list.count);
	for (size_t i = 0; i < list.count; i++) {
		size_t size = 0;
		uint8_t *data = read_file(list.paths[i], &size);

		if (data == NULL) {
			printf("not ok %zu - %s\n", i + 1, list.paths[i]);
			status = 1;
		} else {
			/* Name the input before running it, because a
			 * failure aborts before the "ok" line. */
			printf("# %s\n", list.paths[i]);
			fflush(stdout);
			LLVMFuzzerTestOneInput(data, size);
			printf("ok %zu - %s\n", i + 1, list.paths[i]);
			fflush(stdout);
		}
		free(data);
		free(list.paths[i]);
	}
	free(list.paths);
	return status;
}
