package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// Creators holds what changes a work's byline beyond posting it: co-creator
// invitations, a creator leaving, and orphaning.
type Creators interface {
	// InviteCreator records an invitation and sets its ID; a pseud already
	// invited to (or credited on) the work is archive.ErrConflict.
	InviteCreator(ctx context.Context, inv *archive.CreatorInvitation) error
	CreatorInvitation(ctx context.Context, id int64) (*archive.CreatorInvitation, error)
	// CreatorInvitationsForUser lists invitations to the account's pseuds,
	// oldest first; CreatorInvitationsOfWork those of one work.
	CreatorInvitationsForUser(ctx context.Context, userID int64) ([]*archive.CreatorInvitation, error)
	CreatorInvitationsOfWork(ctx context.Context, workID int64) ([]*archive.CreatorInvitation, error)
	// AcceptCreatorInvitation puts the pseud at the end of the work's
	// byline and drops the invitation, in one transaction. A chapter's
	// invitation also puts it on that chapter's byline (the work's other
	// chapters keep the creators they had); a work's invitation also puts
	// it on every chapter that has a byline of its own.
	AcceptCreatorInvitation(ctx context.Context, id int64) error
	DeclineCreatorInvitation(ctx context.Context, id int64) error
	// SetChapterCreators gives a chapter its own byline, the pseuds in
	// order; a pseud not yet on the work's byline joins it at the end (an
	// accepted chapter co-creator is a work co-creator, as on AO3). No
	// pseuds: the chapter is credited to its work's creators again.
	SetChapterCreators(ctx context.Context, workID, chapterID int64, pseudIDs []int64) error
	// RemoveCreator takes every pseud of the account off the work's byline
	// and its chapters' (a chapter left with none is its work's again):
	// archive.ErrNotFound when it has none there, a validation error when
	// nobody else would be left.
	RemoveCreator(ctx context.Context, workID, userID int64) error
	// OrphanWorks credits the account's places on the works' and series'
	// bylines to orphan_account (keepPseud: to an orphan pseud keeping the
	// pseud's name, "Name (orphan_account)"), in one transaction, and
	// returns the works changed. Works and series the account is not a
	// creator of are left alone.
	OrphanWorks(ctx context.Context, userID int64, workIDs, seriesIDs []int64, keepPseud bool) ([]int64, error)
}

// Schedule is a draft work's or chapter's pending publication (ChapterID 0
// for a work).
type Schedule struct {
	WorkID    int64
	ChapterID int64
	At        time.Time
}

// Schedules publishes scheduled drafts. A publication is claimed by a
// conditional write: of several runners (nodes, retries after a crash)
// holding the same schedule, one publishes; publish_at stays set on the
// published row until its notices are sent (ClearSchedule), so a runner
// that died in between leaves the notices to the next.
type Schedules interface {
	// PublishScheduled posts the draft chapter (or, with chapterID 0, the
	// draft work) whose publish_at is exactly at, dated now; a row already
	// published or scheduled otherwise is left alone.
	PublishScheduled(ctx context.Context, workID, chapterID int64, at, now time.Time) error
	// ClearSchedule drops publish_at = at from a published row.
	ClearSchedule(ctx context.Context, workID, chapterID int64, at time.Time) error
	// PendingSchedules lists every publish_at still set, oldest first.
	PendingSchedules(ctx context.Context) ([]Schedule, error)
}

// FormerName is a name an account had, and when it left it.
type FormerName struct {
	Name      string
	RenamedAt time.Time
}

// Renames holds accounts' former names.
type Renames interface {
	// RenameUser gives the account a new name (its default pseud, named
	// after it, follows) and records the old one, at; a name another
	// account or pseud has is archive.ErrConflict. It returns the works
	// whose byline changed.
	RenameUser(ctx context.Context, id int64, name string, at time.Time) ([]int64, error)
	// FormerNames lists the account's former names, newest first.
	FormerNames(ctx context.Context, id int64) ([]FormerName, error)
	// FormerNameOwner is the account that had the name, and when it left
	// it, or archive.ErrNotFound.
	FormerNameOwner(ctx context.Context, name string) (*archive.User, time.Time, error)
}

// Profiles holds accounts' profile text.
type Profiles interface {
	// Bio is the account's bio (empty when it wrote none).
	Bio(ctx context.Context, userID int64) (archive.Rich, error)
	// SetBio saves the account's bio; an empty one removes it.
	SetBio(ctx context.Context, userID int64, bio archive.Rich) error
}
