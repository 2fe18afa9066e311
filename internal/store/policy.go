package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// InviteRequest is an address waiting in the invitation queue.
type InviteRequest struct {
	ID        int64
	Email     string
	CreatedAt time.Time
}

// Policy holds the site settings, invitations, the invitation queue,
// e-mail verification and the queue of works awaiting review. The methods
// that take audit entries write them in the same transaction as the
// change; an entry with an empty Target is given the one named.
type Policy interface {
	// Settings returns every stored setting by key.
	Settings(ctx context.Context) (map[string]string, error)
	// SetSettings writes the keys given, replacing their values (audit
	// target: settings).
	SetSettings(ctx context.Context, kv map[string]string, audit ...*archive.AuditEntry) error
	// InitSettings writes only the keys not yet stored.
	InitSettings(ctx context.Context, kv map[string]string) error

	// QueueInviteRequest adds the address to the invitation queue (once)
	// and returns its place in it, counting from 1.
	QueueInviteRequest(ctx context.Context, email string, at time.Time) (int, error)
	// InviteRequestPlace is an address's place in the queue, or
	// archive.ErrNotFound.
	InviteRequestPlace(ctx context.Context, email string) (int, error)
	// InviteRequests lists the queue's front, oldest first, and its length.
	InviteRequests(ctx context.Context, limit int) ([]InviteRequest, int, error)
	// DeleteInviteRequest takes an address out of the queue (no error when
	// it is not there).
	DeleteInviteRequest(ctx context.Context, email string) error

	// CreateInvitation stores a sent invitation (inv.Email, inv.SentAt) with
	// its token's hash, sets inv.ID and takes the address out of the
	// invitation queue (audit target: invitation:ID).
	CreateInvitation(ctx context.Context, inv *archive.Invitation, tokenHash string, audit ...*archive.AuditEntry) error
	// GiveInvitations gives the user n unsent invitations to hand on.
	GiveInvitations(ctx context.Context, ownerID int64, n int, at time.Time, audit ...*archive.AuditEntry) error
	// SendOwnedInvitation sends one of the owner's unsent invitations to
	// email, or archive.ErrNotFound when none is left.
	SendOwnedInvitation(ctx context.Context, ownerID int64, email, tokenHash string, at time.Time) (*archive.Invitation, error)
	// Invitations lists the owner's invitations (ownerID 0: every
	// invitation), newest first.
	Invitations(ctx context.Context, ownerID int64, limit int) ([]archive.Invitation, error)
	// InvitationByToken finds an unused invitation by its token's hash, or
	// archive.ErrNotFound.
	InvitationByToken(ctx context.Context, tokenHash string) (*archive.Invitation, error)
	// CreateInvitedUser uses the invitation and creates the account in one
	// transaction: archive.ErrNotFound when the invitation is unknown or
	// already used (of two concurrent uses exactly one succeeds), as
	// CreateUser otherwise.
	CreateInvitedUser(ctx context.Context, u *archive.User, tokenHash string, at time.Time) error

	// MarkSelfSignup records that the account signed up through the public
	// form (the new-account limits apply to it).
	MarkSelfSignup(ctx context.Context, userID int64) error
	// SelfSignup reports whether the account signed up through the form.
	SelfSignup(ctx context.Context, userID int64) (bool, error)

	// SetEmailVerification records (or replaces) the account's pending
	// verification link.
	SetEmailVerification(ctx context.Context, userID int64, tokenHash string, expires time.Time) error
	// EmailUnverified reports whether the account has a pending
	// verification.
	EmailUnverified(ctx context.Context, userID int64) (bool, error)
	// EmailVerification finds a pending verification by its token's hash,
	// or archive.ErrNotFound.
	EmailVerification(ctx context.Context, tokenHash string) (userID int64, expires time.Time, err error)
	// DeleteEmailVerification marks the account verified.
	DeleteEmailVerification(ctx context.Context, userID int64) error

	// WorksAwaitingReview lists held works, oldest first.
	WorksAwaitingReview(ctx context.Context) ([]int64, error)
	// ApproveWork releases a held work, or archive.ErrNotFound when it is
	// not held (audit target: work:ID).
	ApproveWork(ctx context.Context, workID int64, audit ...*archive.AuditEntry) error
	// RejectWork takes a held work out of the review queue and hides it
	// with the reason, or is archive.ErrNotFound when it is not held.
	RejectWork(ctx context.Context, workID int64, reason string, audit ...*archive.AuditEntry) error
}
