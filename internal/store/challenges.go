package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// Challenges holds collections' challenges (gift exchanges and prompt
// memes), their sign-ups with requests and offers, and assignments.
type Challenges interface {
	// PutChallenge inserts or replaces the collection's challenge:
	// kind, sign-up window and settings (matched_at and sent_at are kept).
	PutChallenge(ctx context.Context, c *archive.Challenge) error
	// Challenge is the collection's challenge (archive.ErrNotFound: none).
	Challenge(ctx context.Context, collectionID int64) (*archive.Challenge, error)

	// SaveSignup inserts the user's sign-up, or replaces its requests and
	// offers when they have one, and sets s.ID and the prompts' ids.
	SaveSignup(ctx context.Context, s *archive.Signup) error
	// DeleteSignup withdraws the user's sign-up (archive.ErrNotFound: none).
	DeleteSignup(ctx context.Context, collectionID, userID int64) error
	Signup(ctx context.Context, id int64) (*archive.Signup, error)
	// SignupOf is the user's sign-up to the collection's challenge.
	SignupOf(ctx context.Context, collectionID, userID int64) (*archive.Signup, error)
	// Signups lists a challenge's sign-ups with their prompts, by id.
	Signups(ctx context.Context, collectionID int64) ([]*archive.Signup, error)
	Prompt(ctx context.Context, id int64) (*archive.Prompt, error)

	// SaveMatching stores matching's assignments and marks the challenge
	// matched at, in one transaction; a challenge matched before is
	// archive.ErrConflict and nothing is written.
	SaveMatching(ctx context.Context, collectionID int64, as []archive.Assignment, at time.Time) error
	// Assignments lists a challenge's assignments by recipient name.
	Assignments(ctx context.Context, collectionID int64) ([]archive.Assignment, error)
	Assignment(ctx context.Context, id int64) (*archive.Assignment, error)
	// UpdateAssignment saves giver, request, pinch-hit, sent, defaulted
	// and fulfilled.
	UpdateAssignment(ctx context.Context, a *archive.Assignment) error
	// MarkAssignmentsSent stamps every unsent assignment that has a giver,
	// and the challenge, with at; it returns the assignments stamped.
	MarkAssignmentsSent(ctx context.Context, collectionID int64, at time.Time) ([]archive.Assignment, error)
	// GiverAssignments lists the assignments the user gives, in any
	// collection, newest first.
	GiverAssignments(ctx context.Context, userID int64) ([]archive.Assignment, error)

	// RemoveSignup takes a participant out of a challenge in one
	// transaction: their sign-up goes with their assignment as a
	// recipient, and the assignments they give lose their giver (offer,
	// sent stamp, default and pinch-hit mark cleared), which then need a
	// pinch-hitter. archive.ErrNotFound: no sign-up; archive.ErrConflict,
	// nothing written: one of those assignments is fulfilled.
	RemoveSignup(ctx context.Context, collectionID, userID int64) error

	// AddPinchHitter puts the user on the challenge's pinch-hit list
	// (archive.ErrConflict: on it already); RemovePinchHitter takes them
	// off (archive.ErrNotFound: not on it); PinchHitters lists it by name.
	AddPinchHitter(ctx context.Context, collectionID, userID int64, at time.Time) error
	RemovePinchHitter(ctx context.Context, collectionID, userID int64) error
	PinchHitters(ctx context.Context, collectionID int64) ([]archive.PinchHitter, error)
}
