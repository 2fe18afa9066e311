package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// Community is what readers leave on works: kudos, comments, blocks and
// daily hits.
type Community interface {
	Kudos
	Comments
	Blocks
	Hits
}

// KudosGivers is who left kudos on a work.
type KudosGivers struct {
	Users  []string // account names, oldest first
	Guests int64    // guests and deleted accounts
}

// Kudos holds kudos; the works table's kudos counter follows them.
type Kudos interface {
	// AddKudos records k and sets its ID; a second kudos by the same
	// account or guest key on the work is archive.ErrConflict.
	AddKudos(ctx context.Context, k *archive.Kudo) error
	KudosGivers(ctx context.Context, workID int64) (KudosGivers, error)
}

// Comments holds comments; the works table's comments counter counts the
// approved ones that are neither deleted nor hidden.
type Comments interface {
	// CreateComment inserts c and sets its ID, with the audit entries in
	// the same transaction (an empty Target becomes comment:ID).
	CreateComment(ctx context.Context, c *archive.Comment, audit ...*archive.AuditEntry) error
	Comment(ctx context.Context, id int64) (*archive.Comment, error)
	// ChapterComments lists a chapter's comments (held and deleted ones
	// too) by id.
	ChapterComments(ctx context.Context, chapterID int64) ([]*archive.Comment, error)
	// UpdateComment saves the body, edit time, approval and freeze.
	UpdateComment(ctx context.Context, c *archive.Comment) error
	// DeleteComment removes a comment, or blanks it and marks it deleted
	// when it has replies, so the thread keeps its shape.
	DeleteComment(ctx context.Context, id int64) error
	// CommentTimesSince lists when comments were written since a time, by
	// the account (userID > 0) or else by the address hash.
	CommentTimesSince(ctx context.Context, userID int64, addressHash string, since time.Time) ([]time.Time, error)
}

// Blocks holds who blocked whom.
type Blocks interface {
	// Block is archive.ErrConflict when already blocked.
	Block(ctx context.Context, blockerID, blockedID int64, at time.Time) error
	// Unblock is archive.ErrNotFound when not blocked.
	Unblock(ctx context.Context, blockerID, blockedID int64) error
	// IsBlocked reports whether any of blockers blocked the user.
	IsBlocked(ctx context.Context, blockers []int64, blockedID int64) (bool, error)
	// BlockedUsers names the accounts the user blocked, by name.
	BlockedUsers(ctx context.Context, blockerID int64) ([]string, error)
}

// Hits counts one hit per visitor per work per day.
type Hits interface {
	// AddHits counts views in one transaction and returns how many it
	// counted per work: a view with a visitor (a hash) counts unless that
	// visitor already has one on the work that day; a view without one
	// always counts. Views of works that no longer exist are dropped, and
	// visitor keys older than the day before the batch's earliest are pruned.
	AddHits(ctx context.Context, hits []VisitorHit) (map[int64]int64, error)
	// VisitorSalt is the archive's secret salt for visitor hashes.
	VisitorSalt(ctx context.Context) (string, error)
}

// VisitorHit is one view of a work waiting to be counted.
type VisitorHit struct {
	WorkID  int64
	Day     int64  // days since 1970-01-01 UTC
	Visitor string // a salted hash of the visitor, or "" (always counts)
}
