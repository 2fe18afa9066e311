package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

var _ store.Reports = (*Store)(nil)

// CreateReport inserts a report; a second open one of the same target by
// the same reporter is refused by the partial unique indexes.
func (s *Store) CreateReport(ctx context.Context, r *archive.Report) error {
	snap, err := json.Marshal(r.Snapshot)
	if err != nil {
		return fmt.Errorf("create report: %w", err)
	}
	if r.State == "" {
		r.State = archive.ReportOpen
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	err = s.db.QueryRowContext(ctx, `INSERT INTO reports (target_kind, target_id, target_name, reason, details, state, snapshot,
		reporter_id, reporter_email, address_hash, assignee_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Target.Kind, r.Target.ID, r.Target.Name, r.Reason, r.Details, r.State, string(snap),
		nullID(r.ReporterID), r.ReporterEmail, r.AddressHash, nullID(r.AssigneeID), unix(r.CreatedAt), unix(r.UpdatedAt)).Scan(&r.ID)
	if isUnique(err) {
		return fmt.Errorf("report of %s: %w", r.Target, archive.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create report: %w", err)
	}
	return nil
}

// reportCols read a report with its reporter's, assignee's and (for a
// user target) the target account's current names, and the count of
// reports of the same target among the rows the query selects.
const reportCols = `r.id, r.target_kind, r.target_id, COALESCE(tu.name, r.target_name), r.reason, r.details, r.state, r.snapshot,
	COALESCE(r.reporter_id, 0), COALESCE(ru.name, ''), r.reporter_email, r.address_hash, COALESCE(r.assignee_id, 0),
	COALESCE(au.name, ''), r.created_at, r.updated_at,
	COUNT(*) OVER (PARTITION BY r.target_kind, r.target_id, CASE WHEN r.target_id = 0 THEN r.target_name ELSE '' END)`

const reportJoins = ` LEFT JOIN users ru ON ru.id = r.reporter_id LEFT JOIN users au ON au.id = r.assignee_id
	LEFT JOIN users tu ON r.target_kind = 'user' AND tu.id = r.target_id `

const reportFrom = ` FROM reports r` + reportJoins

// reportTarget is the key that tells targets apart: a user target whose
// account is gone (id 0) by its name.
const reportTarget = `r.target_kind, r.target_id, CASE WHEN r.target_id = 0 THEN r.target_name ELSE '' END`

func scanReport(row interface{ Scan(...any) error }) (*archive.Report, error) {
	var r archive.Report
	var snap string
	var created, updated int64
	err := row.Scan(&r.ID, &r.Target.Kind, &r.Target.ID, &r.Target.Name, &r.Reason, &r.Details, &r.State, &snap,
		&r.ReporterID, &r.ReporterName, &r.ReporterEmail, &r.AddressHash, &r.AssigneeID, &r.AssigneeName, &created, &updated, &r.Count)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(snap), &r.Snapshot); err != nil {
		return nil, fmt.Errorf("report %d snapshot: %w", r.ID, err)
	}
	r.CreatedAt, r.UpdatedAt = fromUnix(created), fromUnix(updated)
	return &r, nil
}

// Report loads one report with its notes.
func (s *Store) Report(ctx context.Context, id int64) (*archive.Report, error) {
	r, err := scanReport(s.db.QueryRowContext(ctx, `SELECT `+reportCols+reportFrom+`WHERE r.id = ?`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("report %d", id))
	}
	if err := reportNotes(ctx, s.db, []*archive.Report{r}); err != nil {
		return nil, err
	}
	return r, nil
}

// reportWhere is the condition a filter sets ("1 = 1" for none).
func reportWhere(f store.ReportFilter) (string, []any) {
	where := []string{"1 = 1"}
	var args []any
	if f.State != "" {
		where, args = append(where, `r.state = ?`), append(args, f.State)
	}
	if f.Reason != "" {
		where, args = append(where, `r.reason = ?`), append(args, f.Reason)
	}
	if f.ReporterID > 0 {
		where, args = append(where, `r.reporter_id = ?`), append(args, f.ReporterID)
	}
	if t := f.Target; t != nil {
		where, args = append(where, `r.target_kind = ? AND r.target_id = ?`), append(args, t.Kind, t.ID)
		if t.ID == 0 {
			where, args = append(where, `r.target_name = ?`), append(args, t.Name)
		}
	}
	return strings.Join(where, ` AND `), args
}

// Reports lists reports for the queue, newest first: all of them, the
// first Limit, or whole targets, a page of them.
func (s *Store) Reports(ctx context.Context, f store.ReportFilter) ([]*archive.Report, error) {
	cond, args := reportWhere(f)
	q := `SELECT ` + reportCols + reportFrom + `WHERE ` + cond + ` ORDER BY r.id DESC`
	switch {
	case f.Targets > 0:
		// The page's targets, newest report first, then every report of
		// each that the filter selects.
		q = `WITH page AS (SELECT r.target_kind, r.target_id, CASE WHEN r.target_id = 0 THEN r.target_name ELSE '' END AS target_name,
				MAX(r.id) AS newest FROM reports r WHERE ` + cond + `
				GROUP BY ` + reportTarget + ` ORDER BY newest DESC LIMIT ? OFFSET ?)
			SELECT ` + reportCols + ` FROM reports r JOIN page p ON p.target_kind = r.target_kind AND p.target_id = r.target_id
				AND p.target_name = CASE WHEN r.target_id = 0 THEN r.target_name ELSE '' END` + reportJoins + `
			WHERE ` + cond + ` ORDER BY p.newest DESC, r.id DESC`
		args = append(append(append([]any{}, args...), f.Targets, max(f.TargetOffset, 0)), args...)
	case f.Limit > 0:
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	defer rows.Close()
	var out []*archive.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("reports: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	if err := reportNotes(ctx, s.db, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CountReportTargets counts the targets that have reports the filter
// selects.
func (s *Store) CountReportTargets(ctx context.Context, f store.ReportFilter) (int, error) {
	cond, args := reportWhere(f)
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 AS one FROM reports r WHERE `+cond+` GROUP BY `+reportTarget+`) t`, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count report targets: %w", err)
	}
	return n, nil
}

// reportNotes fills the reports' notes, in the order written.
func reportNotes(ctx context.Context, q queryer, rs []*archive.Report) error {
	byID := make(map[int64]*archive.Report, len(rs))
	ids := make([]int64, 0, len(rs))
	for _, r := range rs {
		byID[r.ID] = r
		ids = append(ids, r.ID)
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		rows, err := q.QueryContext(ctx, `SELECT report_id, COALESCE(author_id, 0), author_name, body, created_at FROM report_notes
			WHERE report_id IN (`+placeholders(len(chunk))+`) ORDER BY id`, int64Args(chunk)...)
		if err != nil {
			return fmt.Errorf("report notes: %w", err)
		}
		for rows.Next() {
			var id, at int64
			var n archive.ReportNote
			if err := rows.Scan(&id, &n.AuthorID, &n.Author, &n.Text, &at); err != nil {
				rows.Close()
				return fmt.Errorf("report notes: %w", err)
			}
			n.At = fromUnix(at)
			byID[id].Notes = append(byID[id].Notes, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("report notes: %w", err)
		}
	}
	return nil
}

// UpdateReport sets state and assignee and appends a note, together.
func (s *Store) UpdateReport(ctx context.Context, id int64, state string, assigneeID int64, note *archive.ReportNote, at time.Time, audit ...*archive.AuditEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE reports SET state = ?, assignee_id = ?, updated_at = ? WHERE id = ?`, state, nullID(assigneeID), unix(at), id)
		if isUnique(err) {
			return archive.Explain(archive.ErrConflict, "the reporter has another open report of the same target")
		}
		if isForeignKey(err) {
			return fmt.Errorf("assignee %d: %w", assigneeID, archive.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("update report %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("report %d: %w", id, archive.ErrNotFound)
		}
		if note != nil {
			if err := insertReportNote(ctx, tx, id, note); err != nil {
				return err
			}
		}
		return appendAudits(ctx, tx, "report:"+strconv.FormatInt(id, 10), audit)
	})
}

func insertReportNote(ctx context.Context, q queryer, reportID int64, n *archive.ReportNote) error {
	_, err := q.ExecContext(ctx, `INSERT INTO report_notes (report_id, author_id, author_name, body, created_at) VALUES (?, ?, ?, ?, ?)`,
		reportID, nullID(n.AuthorID), n.Author, n.Text, unix(n.At))
	if err != nil {
		return fmt.Errorf("note on report %d: %w", reportID, err)
	}
	return nil
}

// ReportTimesSince lists when a reporter filed reports since the time.
func (s *Store) ReportTimesSince(ctx context.Context, userID int64, addressHash string, since time.Time) ([]time.Time, error) {
	q, arg := `SELECT created_at FROM reports WHERE reporter_id = ? AND created_at >= ? ORDER BY created_at`, any(userID)
	if userID <= 0 {
		q, arg = `SELECT created_at FROM reports WHERE reporter_id IS NULL AND address_hash = ? AND created_at >= ? ORDER BY created_at`, addressHash
	}
	rows, err := s.db.QueryContext(ctx, q, arg, unix(since))
	if err != nil {
		return nil, fmt.Errorf("recent reports: %w", err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var t int64
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("recent reports: %w", err)
		}
		out = append(out, fromUnix(t))
	}
	return out, rows.Err()
}

// ChapterWorkID is the work a chapter belongs to.
func (s *Store) ChapterWorkID(ctx context.Context, chapterID int64) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT work_id FROM chapters WHERE id = ?`, chapterID).Scan(&id)
	if err != nil {
		return 0, notFound(err, fmt.Sprintf("chapter %d", chapterID))
	}
	return id, nil
}

// dumpReports streams the reports by id, each with its notes, without
// their address hashes.
func dumpReports(ctx context.Context, q queryer, fn func(store.DumpRecord) error) error {
	var after int64
	for {
		rows, err := q.QueryContext(ctx, `SELECT `+reportCols+reportFrom+`WHERE r.id > ? ORDER BY r.id LIMIT ?`, after, exportCommentBatch)
		if err != nil {
			return fmt.Errorf("export reports: %w", err)
		}
		var rs []*archive.Report
		for rows.Next() {
			r, err := scanReport(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("export reports: %w", err)
			}
			r.AddressHash, r.Count = "", 0
			rs = append(rs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("export reports: %w", err)
		}
		if len(rs) == 0 {
			return nil
		}
		if err := reportNotes(ctx, q, rs); err != nil {
			return err
		}
		for _, r := range rs {
			if err := fn(store.DumpRecord{Report: &store.DumpReport{Report: *r}}); err != nil {
				return err
			}
		}
		after = rs[len(rs)-1].ID
	}
}

// PutReport inserts an exported report with its id and notes.
func (d *dumpWriter) PutReport(ctx context.Context, dr *store.DumpReport) error {
	r := dr.Report
	if r.ID <= 0 {
		return archive.Invalid("id", "a report needs a positive id")
	}
	var err error
	if r.ReporterName != "" {
		if r.ReporterID, err = d.userID(ctx, "reporter", r.ReporterName); err != nil {
			return err
		}
	}
	if r.AssigneeName != "" {
		if r.AssigneeID, err = d.userID(ctx, "assignee", r.AssigneeName); err != nil {
			return err
		}
	}
	if r.Target.Kind == archive.ReportUser {
		// The reported account may have been deleted before the export.
		r.Target.ID, err = d.userID(ctx, "target", r.Target.Name)
		var ve *archive.ValidationError
		if errors.As(err, &ve) {
			r.Target.ID, err = 0, nil
		}
		if err != nil {
			return err
		}
	}
	snap, err := json.Marshal(r.Snapshot)
	if err != nil {
		return fmt.Errorf("report %d: %w", r.ID, err)
	}
	_, err = d.q.ExecContext(ctx, `INSERT INTO reports (id, target_kind, target_id, target_name, reason, details, state, snapshot,
		reporter_id, reporter_email, address_hash, assignee_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`,
		r.ID, r.Target.Kind, r.Target.ID, r.Target.Name, r.Reason, r.Details, r.State, string(snap),
		nullID(r.ReporterID), r.ReporterEmail, nullID(r.AssigneeID), unix(r.CreatedAt), unix(r.UpdatedAt))
	if isUnique(err) {
		return conflict("report %d is already in this archive, or its reporter has another open report of %s", r.ID, r.Target)
	}
	if err != nil {
		return fmt.Errorf("insert report %d: %w", r.ID, err)
	}
	for i := range r.Notes {
		n := r.Notes[i]
		n.AuthorID = 0
		if n.Author != "" {
			if id, err := d.userID(ctx, "notes.by", n.Author); err == nil {
				n.AuthorID = id
			}
		}
		if err := insertReportNote(ctx, d.q, r.ID, &n); err != nil {
			return err
		}
	}
	return nil
}
