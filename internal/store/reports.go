package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// ReportFilter selects reports for the moderators' queue: by state and
// reason ("" = any), target (nil = any; a user target whose account is
// gone has ID 0 and is matched by Name) and reporting account (0 = any),
// newest first, at most Limit (0 = every one). Targets > 0 pages by
// target instead: the Targets targets from TargetOffset, ordered by their
// newest selected report, each with every report the filter selects.
type ReportFilter struct {
	State        string
	Reason       string
	Target       *archive.ReportTarget
	ReporterID   int64
	Limit        int
	TargetOffset int
	Targets      int
}

// Reports holds readers' reports and the moderators' notes on them.
type Reports interface {
	// CreateReport inserts r (its snapshot included) and sets r.ID. A second
	// open report of the same target by the same account, or by the same
	// guest address hash, is archive.ErrConflict.
	CreateReport(ctx context.Context, r *archive.Report) error
	// Report loads one report with its notes, or archive.ErrNotFound.
	Report(ctx context.Context, id int64) (*archive.Report, error)
	// Reports lists the reports f selects, newest first, each with its
	// notes and Count: how many reports of the same target f selects.
	Reports(ctx context.Context, f ReportFilter) ([]*archive.Report, error)
	// CountReportTargets counts the targets with reports f selects (its
	// paging fields aside).
	CountReportTargets(ctx context.Context, f ReportFilter) (int, error)
	// UpdateReport sets a report's state and assignee (0: nobody), and
	// appends note when it is not nil, in one transaction with the audit
	// entries (an empty Target becomes report:ID).
	UpdateReport(ctx context.Context, id int64, state string, assigneeID int64, note *archive.ReportNote, at time.Time, audit ...*archive.AuditEntry) error
	// ReportTimesSince lists, oldest first, when the account (userID > 0)
	// or else the guest address hash filed reports since the time.
	ReportTimesSince(ctx context.Context, userID int64, addressHash string, since time.Time) ([]time.Time, error)
	// ChapterWorkID is the work a chapter belongs to, or archive.ErrNotFound.
	ChapterWorkID(ctx context.Context, chapterID int64) (int64, error)
}

// DumpReport is one report: ReporterName, AssigneeName and the notes'
// authors name accounts ("" for none); a user target is named by
// Target.Name. AddressHash is never exported and never imported.
type DumpReport struct {
	Report archive.Report
}
