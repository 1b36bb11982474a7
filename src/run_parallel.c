/* SPDX-License-Identifier: MIT */
/*
 * run_parallel.c - parse several inputs at once and tally them in order
 *
 * Worker threads take inputs in command-line order.  Each worker has its
 * own router and classifier rules, because both keep scratch state, and
 * sends what it parses, diagnostics included, as feed batches through a
 * bounded queue per input.  The calling thread replays the queues one
 * input after the other into the tally.  So the tally receives exactly
 * the calls that a single-threaded run makes, in the same order, and the
 * report and the diagnostics are the same for any number of jobs.
 *
 * Exim keeps its last deferral per address from one input to the next,
 * so a rotated log reads differently after the file before it.  A worker
 * starts each input with fresh state and flags the batches sent after a
 * line went to such a format.  The first input that used kept state is
 * taken as parsed, and the worker hands over its router, state included,
 * as the "lane".  A later input that uses kept state is parsed again by
 * the calling thread with the lane; the records already replayed from it
 * came before any such line, so they are the same and are skipped.
 *
 * With one worker, the calling thread would mostly wait, so the worker
 * leaves the classification of each event to it
 * (router_defer_analysis()).  The reply in the text is found by the
 * worker while the calling thread falls behind, and by the calling thread
 * while it keeps up (share_replies()), which evens out the work of the
 * two threads.  Both steps depend only on the event, so the results are
 * the same.
 *
 * Standard input and a pipe can be read only once, so such an input
 * after the first cannot be parsed again.  The calling thread parses it
 * itself when its turn comes, with the lane's state, and no worker takes
 * it.
 *
 * A worker blocks when its input's queue is full, so memory stays bounded
 * by the number of workers times RUN_BATCHES_AHEAD + 2 batches.  No
 * deadlock is possible: inputs are taken in order, so the input that the
 * calling thread waits for is always held by a running worker or done.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bouncelog/classify.h"
#include "bouncelog/diag.h"
#include "bouncelog/extract.h"
#include "bouncelog/feed.h"
#include "bouncelog/i18n.h"
#include "bouncelog/inputs.h"
#include "bouncelog/reader.h"
#include "bouncelog/run.h"
#include "bouncelog/workqueue.h"
#include "bouncelog/xalloc.h"
#include "run_impl.h"

/* One input and the batches parsed from it. */
struct job {
	const char *path;
	bool once;			/* read only once and not the first
					 * input: parsed by the calling thread,
					 * in order, and by no worker */
	struct workqueue *batches;	/* of struct parsed; closed after
					 * the last */

	/* Set before the queue is closed. */
	struct input_stats stats;
	bool ok;
	struct router *router;		/* the worker's router when the input
					 * used kept state; owned */
};

/* A batch and whether a line before its end used kept state. */
struct parsed {
	struct feed_batch *feed;
	bool kept_state;
};

/* The state shared by the workers. */
struct pool {
	const struct options *opts;
	struct progress *progress;	/* counted by the workers */
	struct job *jobs;
	size_t njobs;
	bool defer;			/* the calling thread analyzes and
					 * classifies events */
	pthread_mutex_t lock;
	size_t next;			/* the next job to take, under lock */
};

/* The tally of the calling thread, whether it analyzes events, and the
 * progress line it redraws. */
struct applier {
	struct tally *tally;
	bool analyze;
	struct progress *progress;	/* redrawn between batches */
	struct extract_kept kept;	/* the analysis of the last event
					 * applied, for a repeat of it */
};

/* A worker's batch being filled, and whether it shares the reply
 * analysis with the calling thread (see share_replies()), which then
 * classifies every event. */
struct filler {
	struct job *job;
	struct router *router;
	struct feed_batch *batch;
	bool share;
};

int
run_jobs(const struct options *opts)
{
	long n = opts->jobs;

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > RUN_JOBS_MAX ? RUN_JOBS_MAX : (int)n;
}

/* push_batch - pass the filled batch on, flagged with whether kept state
 * was used by one of its lines or an earlier one */
static void
push_batch(struct filler *f)
{
	struct parsed *p = xmalloc(sizeof *p);

	p->feed = f->batch;
	p->kept_state = f->router != NULL && router_used_kept_state(f->router);
	workqueue_push(f->job->batches, p);
	f->batch = NULL;
}

/*
 * share_replies - with one worker, which leaves the classification to
 * the calling thread, decide who finds the replies of the next events.
 * When at most the batch just sent waits in the queue, the calling
 * thread keeps up, so it finds them.  When more wait, it is behind, so
 * the worker does.  Each event records whether its reply was found, so the
 * results do not depend on the choice.
 */
static void
share_replies(struct filler *f)
{
	if (f->share && f->router != NULL)
		router_defer_reply(f->router,
				   workqueue_length(f->job->batches) <= 1);
}

/* new_batch - an empty batch with room for need bytes.  When the
 * calling thread classifies the events, they are sent without their
 * classification. */
static struct feed_batch *
new_batch(const struct filler *f, size_t need)
{
	struct feed_batch *b = feed_new(need);

	if (f->share)
		feed_skip_classification(b);
	return b;
}

/* send - pass the filled batch on and start a fresh one with room for
 * need bytes */
static void
send(struct filler *f, size_t need)
{
	if (feed_count(f->batch) > 0) {
		push_batch(f);
		share_replies(f);
	}
	if (f->batch == NULL || need > FEED_ARENA) {
		feed_free(f->batch);
		f->batch = new_batch(f, need);
	}
}

static void
fill_time(void *arg, const struct logtime *time)
{
	struct filler *f = arg;

	if (!feed_add_time(f->batch, time)) {
		send(f, 0);
		(void)feed_add_time(f->batch, time);
	}
}

/* fill_event - record an event.  A repeat that does not fit starts a
 * batch with twice the room its line needs, so that the repeats after
 * it share that batch's copy of the line.  A line of many recipients is
 * then copied once per FEED_RECORDS events, or per as many events as its
 * length has room for, which keeps its cost linear in its length. */
static void
fill_event(void *arg, const struct event *ev, struct span line)
{
	struct filler *f = arg;
	size_t need;

	if (!feed_add_event(f->batch, ev, line)) {
		need = feed_event_size(ev, line);
		send(f, ev->repeat ? 2 * need : need);
		(void)feed_add_event(f->batch, ev, line);
	}
}

/* fill_diag - the diag capture of a worker that parses a job */
static void
fill_diag(enum diag_level level, const char *line, void *arg)
{
	struct filler *f = arg;

	if (!feed_add_diag(f->batch, level, line)) {
		send(f, strlen(line) + 1);
		(void)feed_add_diag(f->batch, level, line);
	}
}

/* discard_diag - the diag capture while a worker loads its rules, which
 * the calling thread has loaded and reported on already */
static void
discard_diag(enum diag_level level, const char *line, void *arg)
{
	(void)level;
	(void)line;
	(void)arg;
}

/* take_job - the next job in order, or NULL when all are taken */
static struct job *
take_job(struct pool *p)
{
	struct job *job = NULL;

	pthread_mutex_lock(&p->lock);
	while (p->next < p->njobs && p->jobs[p->next].once)
		p->next++;
	if (p->next < p->njobs)
		job = &p->jobs[p->next++];
	pthread_mutex_unlock(&p->lock);
	return job;
}

/* not_read - set *stats for the input at path, which was not read
 * because a router could not be set up for it, and report that as an
 * error */
static void
not_read(struct input_stats *stats, const char *path)
{
	memset(stats, 0, sizeof *stats);
	stats->name = (char *)path;
	stats->encoding = "plain";
	stats->format = "none";
	stats->errors = 1;
	diag_emit(DIAG_ERROR, path, 0, 0,
		  _("not read: loading the patterns again for this input "
		    "failed; check that the pattern files can still be read, "
		    "then run bouncelog again"));
}

/* parse_job - parse one input into its queue and close the queue; the
 * router passes to the job when the input used kept state */
static void
parse_job(struct router **rp, const struct options *opts,
	  struct progress *progress, bool defer, struct job *job)
{
	struct router *r = *rp;
	struct filler f = {job, r, NULL, defer};
	struct run_sink sink = {fill_time, fill_event, &f};

	f.batch = new_batch(&f, 0);

	diag_capture_thread(fill_diag, &f);
	if (r != NULL) {
		router_forget(r);
		job->ok = run_parse_input(r, &sink, job->path, opts, progress,
					  &job->stats);
	} else {
		not_read(&job->stats, job->path);
		job->ok = false;
	}
	diag_capture_thread(discard_diag, NULL);

	if (feed_count(f.batch) > 0)
		push_batch(&f);
	else
		feed_free(f.batch);
	if (r != NULL)
		router_defer_reply(r, false);
	if (r != NULL && router_used_kept_state(r)) {
		job->router = r;
		*rp = router_open(opts->log_format, opts->pattern_dir);
		if (*rp != NULL)
			router_defer_analysis(*rp, defer);
	}
	workqueue_close(job->batches);
}

/* worker - load the rules, then parse jobs until none is left */
static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct router *r;
	struct job *job;

	diag_capture_thread(discard_diag, NULL);
	/* A worker that leaves classification to the calling thread needs
	 * no rules of its own. */
	r = router_open(p->opts->log_format, p->opts->pattern_dir);
	if (r != NULL && !p->defer && classify_thread_init() != 0) {
		router_close(r);
		r = NULL;
	}
	if (r != NULL)
		router_defer_analysis(r, p->defer);
	while ((job = take_job(p)) != NULL)
		parse_job(&r, p->opts, p->progress, p->defer, job);

	router_close(r);
	classify_thread_free();
	diag_capture_thread(NULL, NULL);
	return NULL;
}

static void
replay_diag(void *arg, enum diag_level level, const char *line)
{
	(void)arg;
	diag_replay(level, line);
}

/* apply_event - tally one event, analyzing it first when the worker
 * left that to this thread */
static void
apply_event(struct applier *a, const struct event *ev, struct span line)
{
	struct event copy;

	if (!a->analyze) {
		run_tally_event(a->tally, ev, line);
		return;
	}
	copy = *ev;
	if (copy.may_repeat)
		extract_analyze_kept(&a->kept, &copy, true, true);
	else
		extract_classify_event(&copy);
	run_tally_event(a->tally, &copy, line);
}

static void
replay_time(void *arg, const struct logtime *time)
{
	const struct applier *a = arg;

	tally_saw_time(a->tally, time);
}

/* replay_event - apply_event() on a batch's own copy of the event, which
 * nothing reads after this call, so it is analyzed where it lies */
static void
replay_event(void *arg, struct event *ev, struct span line)
{
	struct applier *a = arg;

	if (a->analyze && ev->may_repeat)
		extract_analyze_kept(&a->kept, ev, true, true);
	else if (a->analyze)
		extract_classify_event(ev);
	run_tally_event(a->tally, ev, line);
}

/* A sink that drops the first skip records, then counts into a tally,
 * for an input parsed again by the calling thread. */
struct skipper {
	size_t skip;
	struct applier applier;
};

static void
skip_time(void *arg, const struct logtime *time)
{
	struct skipper *s = arg;

	if (s->skip > 0)
		s->skip--;
	else
		tally_saw_time(s->applier.tally, time);
}

static void
skip_event(void *arg, const struct event *ev, struct span line)
{
	struct skipper *s = arg;

	/* A repeat of a skipped event finds its analysis again. */
	if (s->skip > 0) {
		s->skip--;
		memset(&s->applier.kept, 0, sizeof s->applier.kept);
	} else {
		apply_event(&s->applier, ev, line);
	}
}

static void
skip_diag(enum diag_level level, const char *line, void *arg)
{
	struct skipper *s = arg;

	if (s->skip > 0)
		s->skip--;
	else
		diag_replay(level, line);
}

/* reparse - parse the job's input again with the lane's state, skipping
 * the applied records that were replayed already.  progress is NULL when
 * a worker counted the input's progress already. */
static bool
reparse(struct job *job, struct router *lane, const struct options *opts,
	const struct applier *a, size_t applied, struct progress *progress,
	struct input_stats *stats)
{
	struct skipper s = {applied, *a};
	struct run_sink sink = {skip_time, skip_event, &s};
	bool ok;

	memset(&s.applier.kept, 0, sizeof s.applier.kept);
	diag_capture_thread(skip_diag, &s);
	ok = run_parse_input(lane, &sink, job->path, opts, progress, stats);
	diag_capture_thread(NULL, NULL);
	return ok;
}

/*
 * parse_once - parse an input that can be read only once, in its turn.
 * It is read with the lane when there is one.  Otherwise a router set up
 * as the workers' are reads it, and becomes the lane when the input used
 * kept state.  Returns false when the input failed.
 */
static bool
parse_once(struct job *job, struct router **lane, const struct options *opts,
	   const struct applier *a, struct input_stats *stats)
{
	struct router *r = *lane;
	bool ok;

	if (r == NULL) {
		/* The rules were checked, and their errors reported, before
		 * any input was read. */
		diag_capture_thread(discard_diag, NULL);
		r = router_open(opts->log_format, opts->pattern_dir);
		diag_capture_thread(NULL, NULL);
		if (r == NULL) {
			not_read(stats, job->path);
			return false;
		}
		router_defer_analysis(r, a->analyze);
	}

	ok = reparse(job, r, opts, a, 0, a->progress, stats);
	if (r != *lane) {
		if (router_used_kept_state(r))
			*lane = r;
		else
			router_close(r);
	}
	return ok;
}

/* consume - replay one job's batches, or parse its input again when it
 * needs the state kept by the lane.  Returns false when the input failed. */
static bool
consume(struct job *job, struct router **lane, const struct options *opts,
	struct applier *a)
{
	static const struct feed_ops ops = {replay_time, replay_event,
					    replay_diag};
	struct input_stats stats = {0};
	struct parsed *p;
	size_t applied = 0;
	bool again = false, ok;

	if (job->once) {
		ok = parse_once(job, lane, opts, a, &stats);
		tally_add_input(a->tally, &stats);
		return ok;
	}

	while ((p = workqueue_pop(job->batches)) != NULL) {
		if (*lane != NULL && p->kept_state)
			again = true;
		if (!again) {
			feed_replay(p->feed, &ops, a);
			applied += feed_count(p->feed);
		}
		feed_free(p->feed);
		free(p);
		progress_tick(a->progress);
	}

	if (again) {
		ok = reparse(job, *lane, opts, a, applied, NULL, &stats);
		router_close(job->router);
	} else {
		stats = job->stats;
		ok = job->ok;
		if (job->router != NULL) {
			router_close(*lane);
			*lane = job->router;
		}
	}
	job->router = NULL;
	tally_add_input(a->tally, &stats);
	return ok;
}

/*
 * spin_fits - whether the main thread may spin while it waits for a
 * batch: when every thread has a processor of its own.  Those are the
 * parsing threads, the main thread and, when gzip inputs get them, an
 * inflating thread per parsing thread.  Where the parsing thread sets
 * the pace (Exchange logs, gzip input), waking a sleeping main thread
 * for each batch cost it about 4 % of the wall time.
 */
static bool
spin_fits(size_t nthreads)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t threads = nthreads * (reader_uses_threads() ? 2 : 1) + 1;

	return cpus > 0 && threads <= (size_t)cpus;
}

int
run_parallel(const struct options *opts, const char *const *files,
	     struct progress *progress, struct tally *t)
{
	struct pool p;
	size_t nthreads = (size_t)run_jobs(opts);
	pthread_t *threads;
	struct router *lane = NULL;
	struct applier applier;
	size_t started = 0;
	bool ok = true, spin;

	memset(&p, 0, sizeof p);
	p.opts = opts;
	p.progress = progress;
	p.njobs = (size_t)opts->nfiles;
	if (nthreads > p.njobs)
		nthreads = p.njobs;
	p.defer = nthreads == 1;
	memset(&applier, 0, sizeof applier);
	applier.tally = t;
	applier.analyze = p.defer;
	applier.progress = progress;
	p.jobs = xcalloc(p.njobs, sizeof *p.jobs);
	spin = spin_fits(nthreads);
	for (size_t i = 0; i < p.njobs; i++) {
		p.jobs[i].path = files[i];
		p.jobs[i].once = i > 0 && inputs_read_once(files[i]);
		p.jobs[i].batches = workqueue_new(RUN_BATCHES_AHEAD);
		workqueue_spin(p.jobs[i].batches, spin);
	}
	pthread_mutex_init(&p.lock, NULL);

	threads = xcalloc(nthreads, sizeof *threads);
	for (size_t i = 0; i < nthreads; i++)
		if (pthread_create(&threads[started], NULL, worker, &p) == 0)
			started++;

	/* Without any thread nothing was parsed; the caller parses the
	 * inputs itself. */
	for (size_t i = 0; started > 0 && i < p.njobs; i++)
		if (!consume(&p.jobs[i], &lane, opts, &applier))
			ok = false;
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);

	router_close(lane);
	for (size_t i = 0; i < p.njobs; i++)
		workqueue_free(p.jobs[i].batches);
	pthread_mutex_destroy(&p.lock);
	free(threads);
	free(p.jobs);
	if (started == 0)
		return -1;
	return ok ? 1 : 0;
}
