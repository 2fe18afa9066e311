package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

// The site's settings, its banner, the invitation queue and invitations in
// the logical dump, after the news.

// dumpPolicy streams the settings by key, the banner (when one was ever
// set), the invitation queue in its order and the invitations by id.
func dumpPolicy(ctx context.Context, q queryer, withSecrets bool, fn func(store.DumpRecord) error) error {
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM settings ORDER BY key`)
	if err != nil {
		return fmt.Errorf("export settings: %w", err)
	}
	var settings []store.DumpSetting
	for rows.Next() {
		var s store.DumpSetting
		if err := rows.Scan(&s.Key, &s.Value); err != nil {
			rows.Close()
			return fmt.Errorf("export settings: %w", err)
		}
		settings = append(settings, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export settings: %w", err)
	}
	for i := range settings {
		if err := fn(store.DumpRecord{Setting: &settings[i]}); err != nil {
			return err
		}
	}

	var b archive.Banner
	var f string
	var at int64
	err = q.QueryRowContext(ctx, `SELECT version, body_src, body_fmt, body_html, updated_at FROM site_banner WHERE id = 1`).
		Scan(&b.Version, &b.Text.Source, &f, &b.Text.HTML, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("export banner: %w", err)
	default:
		b.Text.Format, b.UpdatedAt = archive.Format(f), fromUnix(at)
		if err := fn(store.DumpRecord{Banner: &b}); err != nil {
			return err
		}
	}

	rows, err = q.QueryContext(ctx, `SELECT email, created_at FROM invite_requests ORDER BY id`)
	if err != nil {
		return fmt.Errorf("export invitation queue: %w", err)
	}
	var reqs []store.DumpInviteRequest
	for rows.Next() {
		var r store.DumpInviteRequest
		if err := rows.Scan(&r.Email, &at); err != nil {
			rows.Close()
			return fmt.Errorf("export invitation queue: %w", err)
		}
		r.CreatedAt = fromUnix(at)
		reqs = append(reqs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export invitation queue: %w", err)
	}
	for i := range reqs {
		if err := fn(store.DumpRecord{InviteRequest: &reqs[i]}); err != nil {
			return err
		}
	}

	rows, err = q.QueryContext(ctx, `SELECT i.id, COALESCE(o.name, ''), i.email, COALESCE(i.token_hash, ''), i.created_at, i.sent_at, i.used_at,
		COALESCE(u.name, '') FROM invitations i LEFT JOIN users o ON o.id = i.owner_id LEFT JOIN users u ON u.id = i.used_by ORDER BY i.id`)
	if err != nil {
		return fmt.Errorf("export invitations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d store.DumpInvitation
		var created, sent, used int64
		if err := rows.Scan(&d.Invitation.ID, &d.Owner, &d.Invitation.Email, &d.TokenHash, &created, &sent, &used, &d.Invitation.UsedBy); err != nil {
			return fmt.Errorf("export invitations: %w", err)
		}
		d.Invitation.CreatedAt, d.Invitation.SentAt, d.Invitation.UsedAt = fromUnix(created), fromUnix(sent), fromUnix(used)
		if !withSecrets {
			d.TokenHash = ""
		}
		if err := fn(store.DumpRecord{Invitation: &d}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PutSetting writes one setting, replacing the archive's value.
func (d *dumpWriter) PutSetting(ctx context.Context, s *store.DumpSetting) error {
	if strings.TrimSpace(s.Key) == "" {
		return archive.Invalid("key", "a setting needs a key")
	}
	_, err := d.q.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, s.Key, s.Value)
	if err != nil {
		return fmt.Errorf("setting %s: %w", s.Key, err)
	}
	return nil
}

// PutBanner replaces the banner, its version included.
func (d *dumpWriter) PutBanner(ctx context.Context, b *archive.Banner) error {
	if b.Version < 1 {
		return archive.Invalid("version", "a banner's version is 1 or more")
	}
	f := b.Text.Format
	if f == "" {
		f = archive.FormatHTML
	}
	_, err := d.q.ExecContext(ctx, `INSERT INTO site_banner (id, version, body_src, body_fmt, body_html, updated_at) VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET version = excluded.version, body_src = excluded.body_src, body_fmt = excluded.body_fmt,
			body_html = excluded.body_html, updated_at = excluded.updated_at`,
		b.Version, b.Text.Source, string(f), b.Text.HTML, unix(b.UpdatedAt))
	if err != nil {
		return fmt.Errorf("banner: %w", err)
	}
	return nil
}

// PutInviteRequest puts an address at the end of the invitation queue.
func (d *dumpWriter) PutInviteRequest(ctx context.Context, r *store.DumpInviteRequest) error {
	_, err := d.q.ExecContext(ctx, `INSERT INTO invite_requests (email, email_key, created_at) VALUES (?, ?, ?)`, r.Email, userKey(r.Email), unix(r.CreatedAt))
	if isUnique(err) {
		return conflict("%s is already in the invitation queue", r.Email)
	}
	if err != nil {
		return fmt.Errorf("queue %s: %w", r.Email, err)
	}
	return nil
}

// PutInvitation inserts an invitation with its id; the accounts it names
// must be in by now.
func (d *dumpWriter) PutInvitation(ctx context.Context, di *store.DumpInvitation) error {
	inv := &di.Invitation
	if inv.ID <= 0 {
		return archive.Invalid("id", "an invitation needs a positive id")
	}
	var owner, usedBy int64
	var err error
	if di.Owner != "" {
		if owner, err = d.userID(ctx, "owner", di.Owner); err != nil {
			return err
		}
	}
	if inv.UsedBy != "" {
		if usedBy, err = d.userID(ctx, "used_by", inv.UsedBy); err != nil {
			return err
		}
	}
	var token any
	if di.TokenHash != "" {
		token = di.TokenHash
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO invitations (id, owner_id, email, token_hash, created_at, sent_at, used_at, used_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, inv.ID, nullID(owner), inv.Email, token, unix(inv.CreatedAt), unix(inv.SentAt), unix(inv.UsedAt), nullID(usedBy))
	if isUnique(err) {
		return conflict("invitation %d (or its token) is already in this archive", inv.ID)
	}
	if err != nil {
		return fmt.Errorf("insert invitation %d: %w", inv.ID, err)
	}
	return nil
}
