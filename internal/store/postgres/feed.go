package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"quire/internal/store"
)

// Feed reads the change feed (migration 0011) for one node. It remembers
// the oldest transaction that was still running at its last read (the
// snapshot's xmin) and next time reads every row written by that
// transaction or a later one: a row whose id was taken early but committed
// late is read once it commits, and rows already applied are skipped by id.
type Feed struct {
	db  *sql.DB
	dsn string
	log *slog.Logger

	mu   sync.Mutex
	xmin uint64
	seen map[int64]uint64 // applied row id → its xid, while xid ≥ xmin
	last time.Time        // when the feed was last read in full
}

// NewFeed returns the feed of the store's database; dsn is used for the
// LISTEN connection.
func NewFeed(s *Store, dsn string, log *slog.Logger) *Feed {
	return &Feed{db: s.DB(), dsn: dsn, log: log, seen: map[int64]uint64{}}
}

// Mark records the present as the feed's starting point. Call it before
// building the index from the store: changes committed while the index is
// built are then read (again) by the first Poll, and re-reading the
// absolute state they name is harmless.
func (f *Feed) Mark(ctx context.Context) error {
	var xmin string
	if err := f.db.QueryRowContext(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text`).Scan(&xmin); err != nil {
		return fmt.Errorf("change feed: %w", err)
	}
	n, err := strconv.ParseUint(xmin, 10, 64)
	if err != nil {
		return fmt.Errorf("change feed: xmin %q: %w", xmin, err)
	}
	f.mu.Lock()
	f.xmin, f.last = n, time.Now()
	f.mu.Unlock()
	return nil
}

// Poll returns the changes committed since the last Poll (or Mark) that
// this node has not seen, in id order.
func (f *Feed) Poll(ctx context.Context) ([]store.Change, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	tx, err := f.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("change feed: %w", err)
	}
	defer tx.Rollback()
	var xminText string
	if err := tx.QueryRowContext(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text`).Scan(&xminText); err != nil {
		return nil, fmt.Errorf("change feed: %w", err)
	}
	xmin, err := strconv.ParseUint(xminText, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("change feed: xmin %q: %w", xminText, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, xid::text, kind, ref, at FROM changes WHERE xid >= (?::text)::xid8 ORDER BY id`,
		strconv.FormatUint(f.xmin, 10))
	if err != nil {
		return nil, fmt.Errorf("change feed: %w", err)
	}
	defer rows.Close()
	var out []store.Change
	for rows.Next() {
		var c store.Change
		var xidText string
		if err := rows.Scan(&c.ID, &xidText, &c.Kind, &c.Ref, &c.At); err != nil {
			return nil, fmt.Errorf("change feed: %w", err)
		}
		if _, done := f.seen[c.ID]; done {
			continue
		}
		xid, _ := strconv.ParseUint(xidText, 10, 64)
		f.seen[c.ID] = xid
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("change feed: %w", err)
	}
	// Rows of transactions older than the new xmin can never be read again.
	for id, xid := range f.seen {
		if xid < xmin {
			delete(f.seen, id)
		}
	}
	f.xmin, f.last = xmin, time.Now()
	return out, nil
}

// Behind is how long ago the feed was last read in full.
func (f *Feed) Behind() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return time.Since(f.last)
}

// Listen holds a LISTEN connection and signals wake (without blocking) on
// every notification, reconnecting after a failure, until ctx ends. After
// a reconnect it signals wake too: notifications sent meanwhile are lost,
// the rows are not.
func (f *Feed) Listen(ctx context.Context, wake chan<- struct{}) {
	signal := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	for ctx.Err() == nil {
		err := f.listenOnce(ctx, signal)
		if ctx.Err() != nil {
			return
		}
		f.log.Warn("change feed: listen", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (f *Feed) listenOnce(ctx context.Context, signal func()) error {
	conn, err := pgx.Connect(ctx, f.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN quire_changes`); err != nil {
		return err
	}
	signal()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		signal()
	}
}

// Prune deletes rows older than age. A node that has not read the feed for
// longer than that must rebuild its index from the store.
func (f *Feed) Prune(ctx context.Context, age time.Duration) error {
	_, err := f.db.ExecContext(ctx, `DELETE FROM changes WHERE at < now() - make_interval(secs => ?)`, age.Seconds())
	return err
}
