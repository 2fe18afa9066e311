package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

// dumpAudit streams the audit log, oldest first.
func dumpAudit(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT id, actor, action, target, reason, at FROM audit_log ORDER BY id`)
	if err != nil {
		return fmt.Errorf("export audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e archive.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.Actor, &e.Action, &e.Target, &e.Reason, &at); err != nil {
			return fmt.Errorf("export audit log: %w", err)
		}
		e.At = fromUnix(at)
		if err := fn(store.DumpRecord{Audit: &e}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export audit log: %w", err)
	}
	return nil
}

// PutAudit appends an entry; the log keeps the order entries come in.
func (d *dumpWriter) PutAudit(ctx context.Context, e *archive.AuditEntry) error {
	if strings.TrimSpace(e.Actor) == "" || strings.TrimSpace(e.Action) == "" || strings.TrimSpace(e.Target) == "" {
		return archive.Invalid("audit", "an entry needs an actor, an action and a target")
	}
	if e.At.IsZero() {
		return archive.Invalid("at", "an audit entry needs its time")
	}
	err := d.q.QueryRowContext(ctx, `INSERT INTO audit_log (actor, action, target, reason, at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		e.Actor, e.Action, e.Target, e.Reason, e.At.Unix()).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("insert audit entry: %w", err)
	}
	return nil
}
