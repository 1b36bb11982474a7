/* SPDX-License-Identifier: MIT */
/*
 * test_atomic_file.c - unit tests of replacing a file atomically
 *
 * Every test works in its own temporary directory and checks what is in
 * it afterwards: the file, its content and mode, and that no temporary
 * file was left behind.  The write error is made with RLIMIT_FSIZE in a
 * child process, so the limit cannot touch the other tests.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bouncelog/atomic_file.h"
#include "bouncelog/diag.h"
#include "check.h"

/* The last diagnostic and how many there were. */
static struct {
	char line[DIAG_LINE_MAX + 1];
	int count;
} captured;

static void
capture_sink(enum diag_level level, const char *line, void *arg)
{
	(void)level;
	(void)arg;
	snprintf(captured.line, sizeof captured.line, "%s", line);
	captured.count++;
}

/* A temporary directory and paths inside it. */
struct scratch {
	char dir[64];
	char path[128];
};

static int
setup(void **state)
{
	struct scratch *s = calloc(1, sizeof *s);

	assert_non_null(s);
	snprintf(s->dir, sizeof s->dir, "/tmp/bouncelog-atomic-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->path, sizeof s->path, "%s/report.prom", s->dir);
	umask(022);
	memset(&captured, 0, sizeof captured);
	diag_set_sink(capture_sink, NULL);
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	struct scratch *s = *state;
	DIR *d = opendir(s->dir);
	struct dirent *e;
	char path[512];

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", s->dir, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(s->dir);
	diag_set_sink(NULL, NULL);
	diag_reset_counts();
	free(s);
	return 0;
}

/* count_entries - names in dir other than "." and ".." */
static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 &&
		     strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* read_file - the content of path, at most 255 bytes; "" when missing */
static const char *
read_file(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n = 0;

	if (fp != NULL) {
		n = fread(buf, 1, sizeof buf - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* A new file appears complete, with the umask's mode, and nothing else. */
static void
test_commit_new(void **state)
{
	struct scratch *s = *state;
	struct atomic_file *f = atomic_file_open(s->path);

	assert_non_null(f);
	fputs("metric 1\n", atomic_file_stream(f));
	check_int("new", "entries while open", count_entries(s->dir), 1);
	check_str("new", "content while open", read_file(s->path), "");
	check_int("new", "commit", atomic_file_commit(f), 0);
	check_str("new", "content", read_file(s->path), "metric 1\n");
	check_int("new", "mode", mode_of(s->path), 0644);
	check_int("new", "entries", count_entries(s->dir), 1);
	check_int("new", "diagnostics", captured.count, 0);
	finish_cases();
}

/* A replaced file keeps its mode; until the commit it is unchanged. */
static void
test_commit_replaces(void **state)
{
	struct scratch *s = *state;
	struct atomic_file *f;

	write_file(s->path, "old\n", 0600);
	f = atomic_file_open(s->path);
	assert_non_null(f);
	fputs("new\n", atomic_file_stream(f));
	check_str("replace", "content before commit", read_file(s->path),
		  "old\n");
	check_int("replace", "commit", atomic_file_commit(f), 0);
	check_str("replace", "content", read_file(s->path), "new\n");
	check_int("replace", "mode", mode_of(s->path), 0600);
	check_int("replace", "entries", count_entries(s->dir), 1);
	finish_cases();
}

/* An abort leaves the old file and removes the temporary one. */
static void
test_abort(void **state)
{
	struct scratch *s = *state;
	struct atomic_file *f;

	write_file(s->path, "old\n", 0644);
	f = atomic_file_open(s->path);
	assert_non_null(f);
	fputs("half a rep", atomic_file_stream(f));
	atomic_file_abort(f);
	atomic_file_abort(NULL);
	check_str("abort", "content", read_file(s->path), "old\n");
	check_int("abort", "entries", count_entries(s->dir), 1);
	finish_cases();
}

/* A missing directory and a directory as the target are errors. */
static void
test_open_errors(void **state)
{
	struct scratch *s = *state;
	char missing[160];
	char want[512];

	snprintf(missing, sizeof missing, "%s/no/report.prom", s->dir);
	assert_null(atomic_file_open(missing));
	snprintf(want, sizeof want,
		 "bouncelog: %s: cannot create a temporary file in %s/no: "
		 "No such file or directory",
		 missing, s->dir);
	check_str("missing dir", "message", captured.line, want);

	assert_null(atomic_file_open(s->dir));
	snprintf(want, sizeof want,
		 "bouncelog: %s: is a directory; give the name of a file to "
		 "write",
		 s->dir);
	check_str("directory", "message", captured.line, want);
	check_int("errors", "diagnostics", captured.count, 2);
	check_int("errors", "entries", count_entries(s->dir), 0);
	finish_cases();
}

/* A symbolic link is kept and the file it points to is replaced. */
static void
test_symlink(void **state)
{
	struct scratch *s = *state;
	char link[160];
	struct atomic_file *f;
	struct stat st;

	snprintf(link, sizeof link, "%s/link.prom", s->dir);
	write_file(s->path, "old\n", 0640);
	assert_int_equal(symlink("report.prom", link), 0);
	f = atomic_file_open(link);
	assert_non_null(f);
	fputs("new\n", atomic_file_stream(f));
	check_int("symlink", "commit", atomic_file_commit(f), 0);
	assert_int_equal(lstat(link, &st), 0);
	check_int("symlink", "still a link", S_ISLNK(st.st_mode), 1);
	check_str("symlink", "target content", read_file(s->path), "new\n");
	check_int("symlink", "target mode", mode_of(s->path), 0640);
	check_int("symlink", "entries", count_entries(s->dir), 2);
	finish_cases();
}

/* A device is written directly. */
static void
test_device(void **state)
{
	struct atomic_file *f = atomic_file_open("/dev/null");

	(void)state;
	assert_non_null(f);
	fputs("discarded\n", atomic_file_stream(f));
	check_int("device", "commit", atomic_file_commit(f), 0);
	check_int("device", "diagnostics", captured.count, 0);

	f = atomic_file_open("/dev/full");
	assert_non_null(f);
	fputs("no room\n", atomic_file_stream(f));
	check_int("full device", "commit", atomic_file_commit(f), -1);
	check_str("full device", "message", captured.line,
		  "bouncelog: /dev/full: cannot write: No space left on "
		  "device");
	finish_cases();
}

/* write_too_much - in a child: write past RLIMIT_FSIZE; exit status 0
 * when the commit failed with the expected message */
static int
write_too_much(const char *path)
{
	struct rlimit lim = {4096, 4096};
	struct atomic_file *f;

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
		return 2;
	f = atomic_file_open(path);
	if (f == NULL)
		return 3;
	for (int i = 0; i < 1000; i++)
		fputs("bouncelog_padding_total 0\n", atomic_file_stream(f));
	if (atomic_file_commit(f) != -1)
		return 4;
	return strstr(captured.line, ": cannot write: File too large") ? 0 : 5;
}

/* A write error leaves the old file and no temporary file. */
static void
test_write_error(void **state)
{
	struct scratch *s = *state;
	int status;
	pid_t pid;

	write_file(s->path, "old\n", 0644);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(write_too_much(s->path));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	check_int("write error", "child exited", WIFEXITED(status), 1);
	check_int("write error", "child status", WEXITSTATUS(status), 0);
	check_str("write error", "content", read_file(s->path), "old\n");
	check_int("write error", "entries", count_entries(s->dir), 1);
	finish_cases();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_new, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_commit_replaces, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error, setup,
						teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("atomic_file", tests, NULL, NULL);
}
