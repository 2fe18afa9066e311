package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"quire/internal/store"
)

func (s *Store) EnqueueJob(ctx context.Context, kind string, payload []byte, runAt time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO jobs (kind, payload, run_at, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		kind, string(payload), runAt.Unix(), time.Now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s job: %w", kind, err)
	}
	return id, nil
}

// ClaimJob takes the oldest due job whose lock has lapsed. On PostgreSQL
// the candidate row is locked with SKIP LOCKED, so two nodes claiming at
// once take different jobs rather than both taking the first.
func (s *Store) ClaimJob(ctx context.Context, now, lockUntil time.Time) (*store.Job, error) {
	var j store.Job
	var payload string
	err := s.db.QueryRowContext(ctx, `UPDATE jobs SET locked_until = ?, attempts = attempts + 1
		WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= ? AND locked_until <= ? ORDER BY run_at, id LIMIT 1`+s.engine.SkipLocked()+`)
		RETURNING id, kind, payload, attempts`, lockUntil.Unix(), now.Unix(), now.Unix()).Scan(&j.ID, &j.Kind, &payload, &j.Attempts)
	if err != nil {
		return nil, notFound(err, "due job")
	}
	j.Payload = []byte(payload)
	return &j, nil
}

func (s *Store) CompleteJob(ctx context.Context, id int64, now time.Time) error {
	return s.exec(ctx, "complete job", `UPDATE jobs SET done_at = ?, locked_until = 0 WHERE id = ?`, now.Unix(), id)
}

func (s *Store) RetryJob(ctx context.Context, id int64, errText string, next time.Time) error {
	return s.exec(ctx, "retry job", `UPDATE jobs SET last_error = ?, run_at = ?, locked_until = 0 WHERE id = ?`, errText, next.Unix(), id)
}

func (s *Store) PendingPayloads(ctx context.Context, kind string) ([][]byte, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT payload FROM jobs WHERE kind = ? AND done_at IS NULL ORDER BY id`, kind)
	if err != nil {
		return nil, fmt.Errorf("pending %s jobs: %w", kind, err)
	}
	ps, err := scanColumn[string](rows)
	out := make([][]byte, len(ps))
	for i, p := range ps {
		out[i] = []byte(p)
	}
	return out, err
}

func (s *Store) PendingJobs(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE done_at IS NULL`).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, err
}
