/* SPDX-License-Identifier: MIT */
/*
 * atomic_file.c - replace a file all at once, or not at all
 */

/* glibc declares realpath() only for XSI, although POSIX.1-2008 has it. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bouncelog/atomic_file.h"
#include "bouncelog/diag.h"
#include "bouncelog/i18n.h"
#include "bouncelog/xalloc.h"

struct atomic_file {
	char *path;		/* the name given, for messages */
	char *target;		/* the file replaced: path, links resolved */
	char *temp;		/* the temporary file; NULL when written
				 * directly */
	FILE *fp;
};

/*
 * The temporary files that are neither renamed nor removed yet, for
 * remove_temps(); a free slot is NULL.  A run has at most 18 outputs
 * (--output, 16 --report and --events), so a temporary file beyond the
 * slots, which no run makes, is only left behind by a signal.
 */
#define TEMPS_MAX 32
static _Atomic(char *) temps[TEMPS_MAX];

/* The signals that end a run and whose handler removes the temporary
 * files first: kill's default, Ctrl-C and a closed terminal. */
static const int ending_signals[] = {SIGTERM, SIGINT, SIGHUP};

/*
 * remove_temps - the handler of ending_signals: remove every temporary
 * file, then end the process with the same signal, as it would have
 * ended without the handler.  SA_RESETHAND has restored the default
 * action, and the signal stays blocked until the handler returns.  It
 * calls only unlink() and raise(), which are async-signal-safe, and reads
 * the slots with lock-free atomic loads.
 */
static void
remove_temps(int sig)
{
	int saved = errno;

	for (size_t i = 0; i < TEMPS_MAX; i++) {
		char *temp = atomic_load(&temps[i]);

		if (temp != NULL)
			unlink(temp);
	}
	raise(sig);
	errno = saved;
}

/* catch_ending_signals - install remove_temps() for each ending signal
 * that is not ignored (nohup ignores SIGHUP), once */
static void
catch_ending_signals(void)
{
	static bool done;
	struct sigaction sa;

	if (done)
		return;
	done = true;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = remove_temps;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof ending_signals / sizeof ending_signals[0];
	     i++)
		sigaddset(&sa.sa_mask, ending_signals[i]);
	for (size_t i = 0; i < sizeof ending_signals / sizeof ending_signals[0];
	     i++) {
		struct sigaction old;

		if (sigaction(ending_signals[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(ending_signals[i], &sa, NULL);
	}
}

/* block_ending_signals - hold back the ending signals of this thread, or
 * let them through again */
static void
block_ending_signals(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof ending_signals / sizeof ending_signals[0];
	     i++)
		sigaddset(&set, ending_signals[i]);
	pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* temp_track - list temp in a free slot for remove_temps() */
static void
temp_track(char *temp)
{
	for (size_t i = 0; i < TEMPS_MAX; i++) {
		char *expected = NULL;

		if (atomic_compare_exchange_strong(&temps[i], &expected, temp))
			return;
	}
}

/* temp_untrack - take temp out of its slot, before it is freed */
static void
temp_untrack(const char *temp)
{
	for (size_t i = 0; i < TEMPS_MAX; i++) {
		char *expected = (char *)temp;

		if (atomic_compare_exchange_strong(&temps[i], &expected, NULL))
			return;
	}
}

/* link_target - the file that the link at path names, one level down,
 * relative to the link's directory; owned, or NULL */
static char *
link_target(const char *path)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof target - 1);
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	char *joined;

	if (n <= 0)
		return NULL;
	target[n] = '\0';
	if (target[0] == '/' || dir_len == 0)
		return xstrdup(target);
	joined = xmalloc(dir_len + (size_t)n + 1);
	memcpy(joined, path, dir_len);
	memcpy(joined + dir_len, target, (size_t)n + 1);
	return joined;
}

/*
 * atomic_file_target - path with symbolic links resolved when it names
 * an existing link, else path itself.  A link whose file is missing names
 * the file to make, as a shell's ">" does.  The link itself is never
 * replaced, so an output named /dev/stdout cannot turn it into a regular
 * file when it leads to a deleted file or a descriptor.
 */
char *
atomic_file_target(const char *path)
{
	struct stat st;
	char *real;

	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return xstrdup(path);
	real = realpath(path, NULL);
	if (real != NULL)
		return real;

	/* /dev/stdout on a pipe or on a deleted file: the link leads to a
	 * file that has no path realpath() could give, so it is written
	 * through the link (see atomic_file_open()). */
	if (stat(path, &st) == 0)
		return xstrdup(path);
	real = link_target(path);
	return real != NULL ? real : xstrdup(path);
}

char *
atomic_file_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* temp_name - ".NAME.XXXXXX" in the directory of target; owned */
static char *
temp_name(const char *target)
{
	const char *slash = strrchr(target, '/');
	size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
	const char *base = target + dir_len;
	size_t len = dir_len + strlen(base) + sizeof ".." "XXXXXX";
	char *name = xmalloc(len);

	snprintf(name, len, "%.*s.%s.XXXXXX", (int)dir_len, target, base);
	return name;
}

/* open_direct - write to a FIFO, device or terminal as it is */
static struct atomic_file *
open_direct(struct atomic_file *f)
{
	f->fp = fopen(f->target, "w");
	if (f->fp == NULL) {
		diag_emit(DIAG_ERROR, f->path, 0, 0, _("cannot open: %s"),
			  strerror(errno));
		atomic_file_abort(f);
		return NULL;
	}
	return f;
}

/* set_mode - the mode of the file replaced, or 0666 less the umask */
static int
set_mode(int fd, const struct stat *old, bool exists)
{
	mode_t mask;

	if (exists)
		return fchmod(fd, old->st_mode & 07777);

	/* NOTE: POSIX has no call that reads the umask without setting it,
	 * so another thread creating a file in between would get mode 0666;
	 * outputs are opened before any thread starts. */
	mask = umask(0);
	umask(mask);
	return fchmod(fd, 0666 & ~mask);
}

struct atomic_file *
atomic_file_open(const char *path)
{
	struct atomic_file *f = xcalloc(1, sizeof *f);
	struct stat st, lst;
	bool exists;
	int fd;

	f->path = xstrdup(path);
	f->target = atomic_file_target(path);
	exists = stat(f->target, &st) == 0;

	/* A link that atomic_file_target() could not follow to a path is written
	 * through, never renamed over. */
	if (exists && lstat(f->target, &lst) == 0 && S_ISLNK(lst.st_mode))
		return open_direct(f);
	if (exists && S_ISDIR(st.st_mode)) {
		diag_emit(DIAG_ERROR, path, 0, 0, _("is a directory; give the "
			  "name of a file to write"));
		atomic_file_abort(f);
		return NULL;
	}
	if (exists && !S_ISREG(st.st_mode))
		return open_direct(f);

	f->temp = temp_name(f->target);
	catch_ending_signals();

	/* The ending signals wait while the file is made and listed, so
	 * that no file exists that the handler would not remove. */
	block_ending_signals(true);
	fd = mkstemp(f->temp);
	if (fd >= 0)
		temp_track(f->temp);
	block_ending_signals(false);
	if (fd < 0) {
		char *dir = atomic_file_dir(f->target);

		diag_emit(DIAG_ERROR, path, 0, 0, _("cannot create a temporary "
			  "file in %s: %s"), dir, strerror(errno));
		free(dir);
		free(f->temp);
		f->temp = NULL;
		atomic_file_abort(f);
		return NULL;
	}
	if (set_mode(fd, &st, exists) != 0 ||
	    (f->fp = fdopen(fd, "w")) == NULL) {
		diag_emit(DIAG_ERROR, path, 0, 0, _("cannot prepare %s: %s"),
			  f->temp, strerror(errno));
		close(fd);
		atomic_file_abort(f);
		return NULL;
	}
	return f;
}

FILE *
atomic_file_stream(struct atomic_file *f)
{
	return f->fp;
}

/* sync_dir - make the rename durable; file systems that cannot sync a
 * directory (EINVAL) are not an error */
static int
sync_dir(const char *target)
{
	char *dir = atomic_file_dir(target);
	int fd = open(dir, O_RDONLY);
	int rc = 0;

	free(dir);
	if (fd < 0)
		return -1;
	if (fsync(fd) != 0 && errno != EINVAL)
		rc = -1;
	close(fd);
	return rc;
}

/* finish_stream - flush and close f->fp, fsync first when asked; 0 or
 * errno of the first failure */
static int
finish_stream(struct atomic_file *f, bool sync)
{
	int err = 0;

	if (fflush(f->fp) != 0 || ferror(f->fp))
		err = errno ? errno : EIO;
	else if (sync && fsync(fileno(f->fp)) != 0)
		err = errno;
	if (fclose(f->fp) != 0 && err == 0)
		err = errno;
	f->fp = NULL;
	return err;
}

int
atomic_file_commit(struct atomic_file *f)
{
	int err;

	errno = 0;
	err = finish_stream(f, f->temp != NULL);
	if (err == 0 && f->temp != NULL && rename(f->temp, f->target) != 0)
		err = errno;
	if (err != 0) {
		diag_emit(DIAG_ERROR, f->path, 0, 0, _("cannot write: %s"),
			  strerror(err));
		atomic_file_abort(f);
		return -1;
	}
	if (f->temp != NULL && sync_dir(f->target) != 0) {
		/* The file is in place; only its durability is in doubt. */
		diag_emit(DIAG_WARNING, f->path, 0, 0, _("cannot sync its "
			  "directory: %s"), strerror(errno));
	}
	temp_untrack(f->temp);
	free(f->temp);
	f->temp = NULL;
	atomic_file_abort(f);
	return 0;
}

void
atomic_file_abort(struct atomic_file *f)
{
	if (f == NULL)
		return;
	if (f->fp != NULL)
		fclose(f->fp);
	if (f->temp != NULL) {
		unlink(f->temp);
		temp_untrack(f->temp);
	}
	free(f->temp);
	free(f->target);
	free(f->path);
	free(f);
}
