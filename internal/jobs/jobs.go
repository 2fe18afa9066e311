// Package jobs is the durable background job runner. Jobs live in the
// store's job table (store.Jobs), so a job enqueued before a crash or restart
// still runs afterwards. A Runner claims one due job at a time, runs the
// handler registered for its kind, and either completes it or schedules a
// retry with exponential backoff.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

const (
	// LockFor is how long a claimed job stays locked to its runner by
	// default (Runner.LockFor sets another). A runner that dies mid-job
	// loses its claim after this long and the job runs again.
	LockFor = 5 * time.Minute
	// HandlerTimeout bounds one handler run under the default lock: four
	// fifths of it, so a slow handler cannot outlive its claim.
	HandlerTimeout = 4 * time.Minute
	// MinLockFor is the shortest lock a Runner accepts: shorter would cut
	// ordinary mail sends off mid-way.
	MinLockFor = 2 * time.Second
	// MaxAttempts is how many failed attempts a job gets before it is given
	// up (completed with its last error recorded).
	MaxAttempts = 12
	// DefaultPollInterval is how often an idle Run looks for due jobs.
	DefaultPollInterval = time.Second

	firstBackoff = 30 * time.Second
	maxBackoff   = 6 * time.Hour

	// bookkeepingTimeout bounds the store calls that record a job's outcome;
	// they run detached from the run's context so a shutdown does not lose
	// the result of a handler that already finished.
	bookkeepingTimeout = 10 * time.Second
)

// Handler runs one job's payload; an error makes the job retry later.
type Handler func(ctx context.Context, payload []byte) error

// Runner runs durable jobs from a store.Jobs table. Set its exported fields
// before calling Run or RunDue.
type Runner struct {
	// PollInterval is how often an idle Run looks for due jobs
	// (DefaultPollInterval when zero). Enqueue on the same Runner wakes Run
	// at once regardless.
	PollInterval time.Duration
	// Now is the clock (time.Now when nil); tests set it.
	Now func() time.Time
	// LockFor is how long a claim lasts (LockFor when zero; at least
	// MinLockFor): how long a job waits to run again after its runner died
	// mid-way. A handler is given four fifths of it.
	LockFor time.Duration

	store store.Jobs
	log   *slog.Logger
	wake  chan struct{}

	mu       sync.RWMutex
	handlers map[string]Handler
}

// NewRunner makes a runner over the job table. A nil log discards.
func NewRunner(s store.Jobs, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{
		store:    s,
		log:      log,
		wake:     make(chan struct{}, 1),
		handlers: make(map[string]Handler),
	}
}

func (r *Runner) lockFor() time.Duration {
	if r.LockFor <= 0 {
		return LockFor
	}
	return max(r.LockFor, MinLockFor)
}

// Handle registers the handler for a kind, replacing any earlier one.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[kind] = h
}

func (r *Runner) handler(kind string) Handler {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.handlers[kind]
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Enqueue stores a job durably (it survives a restart) to run as soon as
// possible. The payload is JSON-encoded; the handler gets those bytes.
func (r *Runner) Enqueue(ctx context.Context, kind string, payload any) error {
	return r.EnqueueAt(ctx, kind, payload, time.Time{})
}

// EnqueueAt stores a job to run once at is due (at once when at is zero or
// past). Only one runner claims it, however many nodes share the table.
func (r *Runner) EnqueueAt(ctx context.Context, kind string, payload any, at time.Time) error {
	if kind == "" {
		return errors.New("enqueue job: empty kind")
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("enqueue %s job: encode payload: %w", kind, err)
	}
	if now := r.now(); at.Before(now) {
		at = now
	}
	if _, err := r.store.EnqueueJob(ctx, kind, b, at); err != nil {
		return fmt.Errorf("enqueue %s job: %w", kind, err)
	}
	// Nudge Run; the buffer of one means a pending nudge is enough.
	select {
	case r.wake <- struct{}{}:
	default:
	}
	return nil
}

// Backoff is the delay before the next attempt after the given number of
// failed attempts (1 for the first failure): 30s, 1m, 2m, 4m … capped at 6h.
func Backoff(failures int) time.Duration {
	if failures < 1 {
		failures = 1
	}
	d := firstBackoff
	for i := 1; i < failures; i++ {
		d *= 2
		if d >= maxBackoff {
			return maxBackoff
		}
	}
	return d
}

// permanentError marks a failure retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent wraps a handler error that retrying cannot fix (a malformed
// payload, say): the job is given up at once instead of retried.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// Run works through due jobs until ctx ends. When there is nothing due it
// waits PollInterval, or less when Enqueue is called on this Runner.
func (r *Runner) Run(ctx context.Context) {
	poll := r.PollInterval
	if poll <= 0 {
		poll = DefaultPollInterval
	}
	timer := time.NewTimer(poll)
	defer timer.Stop()
	for {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("jobs: claim", "err", err)
		}
		timer.Reset(poll)
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-timer.C:
		}
	}
}

// RunDue runs every job that is due now, one at a time, and returns how many
// ran (successfully or not). A job that fails is rescheduled into the future,
// so it does not run twice in one call.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		ran, err := r.runOne(ctx)
		if err != nil {
			return n, err
		}
		if !ran {
			return n, nil
		}
		n++
	}
}

// runOne claims and runs one due job; false means none was due.
func (r *Runner) runOne(ctx context.Context) (bool, error) {
	now := r.now()
	job, err := r.store.ClaimJob(ctx, now, now.Add(r.lockFor()))
	if errors.Is(err, archive.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim job: %w", err)
	}

	runErr := r.call(ctx, job)

	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	log := r.log.With("job", job.ID, "kind", job.Kind)
	if runErr == nil {
		if err := r.store.CompleteJob(bctx, job.ID, r.now()); err != nil {
			return true, fmt.Errorf("complete job %d: %w", job.ID, err)
		}
		return true, nil
	}

	// Attempts so far, counting this one: the store's ClaimJob counts each
	// claim (so a run lost to a crash counts too).
	failures := max(job.Attempts, 1)
	errText := runErr.Error()
	now = r.now()
	switch {
	case ctx.Err() != nil:
		// Interrupted by shutdown: release the job to run again at once
		// (after a restart) rather than waiting out its lock.
		log.Warn("jobs: interrupted, will rerun", "err", runErr)
		if err := r.store.RetryJob(bctx, job.ID, "interrupted: "+errText, now); err != nil {
			return true, fmt.Errorf("retry job %d: %w", job.ID, err)
		}
	case failures >= MaxAttempts || IsPermanent(runErr):
		log.Error("jobs: giving up", "attempts", failures, "err", runErr)
		// RetryJob records the error; CompleteJob then
		// takes the job out of the queue for good.
		if err := r.store.RetryJob(bctx, job.ID, errText, now); err != nil {
			return true, fmt.Errorf("record failure of job %d: %w", job.ID, err)
		}
		if err := r.store.CompleteJob(bctx, job.ID, now); err != nil {
			return true, fmt.Errorf("give up job %d: %w", job.ID, err)
		}
	default:
		next := now.Add(Backoff(failures))
		log.Warn("jobs: failed, will retry", "attempts", failures, "next", next, "err", runErr)
		if err := r.store.RetryJob(bctx, job.ID, errText, next); err != nil {
			return true, fmt.Errorf("retry job %d: %w", job.ID, err)
		}
	}
	return true, nil
}

// call runs the job's handler, turning a panic into an error.
func (r *Runner) call(ctx context.Context, job *store.Job) (err error) {
	h := r.handler(job.Kind)
	if h == nil {
		return fmt.Errorf("no handler for job kind %q", job.Kind)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job handler panicked: %v", p)
		}
	}()
	hctx, cancel := context.WithTimeout(ctx, r.lockFor()*4/5)
	defer cancel()
	return h(hctx, job.Payload)
}
