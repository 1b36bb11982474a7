/* SPDX-License-Identifier: MIT */
/*
 * atomic_file.h - replace a file all at once, or not at all
 *
 * A report read by another program (node_exporter's textfile collector,
 * a web server) must never be seen half written.  atomic_file_open()
 * creates a temporary file ".NAME.XXXXXX" in the directory of NAME;
 * atomic_file_commit() flushes it, fsyncs it, renames it over NAME and
 * fsyncs the directory, so a reader sees the old file or the new one.
 * After any error the temporary file is removed and NAME is left as it
 * was.  The temporary name starts with a dot and does not end in the
 * target's suffix, so collectors that read "*.prom" skip it.
 *
 * SIGTERM, SIGINT and SIGHUP between open and commit remove every
 * temporary file and then end the process as the signal would have.  A
 * signal that is ignored when the first file is opened stays ignored.
 * NOTE: SIGKILL or a power cut still leaves the temporary files behind.
 *
 * A symbolic link is followed: the file it points to is replaced and
 * the link is kept.  A NAME that exists and is not a regular file (a
 * FIFO, a terminal, /dev/null, /dev/stdout) cannot be replaced, so it is
 * opened and written directly.
 *
 * The new file gets the permission bits of the file it replaces, or
 * 0666 less the umask when there was none.  Its owner is the user that
 * runs the program.  Errors are reported with diag as
 * "bouncelog: NAME: message" and the functions return failure.
 */
#ifndef BOUNCELOG_ATOMIC_FILE_H
#define BOUNCELOG_ATOMIC_FILE_H

#include <stdio.h>

struct atomic_file;

/*
 * Start writing a new version of path.  Returns an owned handle, or NULL
 * after a diagnostic when no temporary file could be made (a missing or
 * read-only directory) or path is a directory.
 */
struct atomic_file *atomic_file_open(const char *path)
	__attribute__((warn_unused_result));

/* The stream to write to; borrowed, valid until commit or abort. */
FILE *atomic_file_stream(struct atomic_file *f);

/*
 * Finish writing and put the file in place, then free f.  Returns 0, or
 * -1 after a diagnostic when a write, fsync or the rename failed; the
 * temporary file is then removed.
 */
int atomic_file_commit(struct atomic_file *f)
	__attribute__((warn_unused_result));

/* Remove the temporary file and free f; NULL is allowed. */
void atomic_file_abort(struct atomic_file *f);

/*
 * The file that an output named path replaces, owned by the caller: path
 * with its links resolved, the file a dangling link names, or path
 * itself.  A link that leads to no path, such as /dev/stdout on a pipe,
 * stays as it is and is written through.
 */
char *atomic_file_target(const char *path);

/* The directory part of path, where its temporary file is made: "."
 * when path has no "/".  Owned by the caller. */
char *atomic_file_dir(const char *path);

#endif
