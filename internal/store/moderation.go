package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// Moderation holds what moderators and admins do to accounts, works and
// comments, and the append-only audit log of it. Every method that acts
// writes its audit entry (e, whose ID and At it sets) in the same
// transaction as the action.
type Moderation interface {
	// AppendAudit adds one entry to the audit log.
	AppendAudit(ctx context.Context, e *archive.AuditEntry) error
	// AuditLog lists entries newest first, with the count of all that match.
	AuditLog(ctx context.Context, f AuditFilter) ([]archive.AuditEntry, int, error)

	// SetWorkHidden hides a work with the reason, or shows it again.
	SetWorkHidden(ctx context.Context, workID int64, hidden bool, reason string, e *archive.AuditEntry) error
	// SetCommentHidden hides a comment, or shows it again.
	SetCommentHidden(ctx context.Context, commentID int64, hidden bool, e *archive.AuditEntry) error
	// DeleteWorkAudited and DeleteCommentAudited delete as DeleteWork and
	// DeleteComment do.
	DeleteWorkAudited(ctx context.Context, workID int64, e *archive.AuditEntry) error
	DeleteCommentAudited(ctx context.Context, commentID int64, e *archive.AuditEntry) error

	// ChangeUserRole adds or removes one role and returns the roles the
	// user now holds. Removing the admin role from the last admin is an
	// archive.ValidationError, and nothing is written.
	ChangeUserRole(ctx context.Context, userID int64, role string, add bool, e *archive.AuditEntry) ([]string, error)
	// SuspendUser sets (or, with a zero until, clears) a suspension.
	SuspendUser(ctx context.Context, userID int64, until time.Time, reason string, e *archive.AuditEntry) error
	// EndSuspension clears a suspension that has ended by now, writing e
	// only then; it reports whether it cleared one.
	EndSuspension(ctx context.Context, userID int64, now time.Time, e *archive.AuditEntry) (bool, error)
	// BanUser bans an account: its sessions and API tokens end, its works
	// and comments are hidden (with spam, as a moderator hides them, so an
	// unban does not show them again; otherwise until the unban), and its
	// bookmarks leave the works' counts.
	BanUser(ctx context.Context, userID int64, reason string, spam bool, e *archive.AuditEntry) (BanResult, error)
	// UnbanUser lifts a ban and shows what the ban (not spam) hid.
	UnbanUser(ctx context.Context, userID int64, e *archive.AuditEntry) (BanResult, error)
	// SearchUsers finds accounts whose name (or, withEmail, e-mail)
	// contains q (all when q is empty), by name, with the count of all
	// that match.
	SearchUsers(ctx context.Context, q string, withEmail bool, offset, limit int) ([]*archive.User, int, error)
}

// AuditFilter narrows the audit log: each set field must match exactly.
type AuditFilter struct {
	Actor  string
	Action string
	Target string
	Offset int
	Limit  int
}

// BanResult is what a ban or an unban changed: the works it hid or showed,
// and the works whose comment or bookmark counts moved.
type BanResult struct {
	Works   []int64
	Counted []int64
}
