package store

import (
	"context"
	"time"
)

// SavedSearch is a reader's listing parameters kept under a name.
type SavedSearch struct {
	ID     int64
	UserID int64
	Name   string
	// Params is the listing's parameters, URL-encoded (tag=…&sort=…).
	Params  string
	Default bool
	// Digest is "off", "daily" or "weekly".
	Digest string
	// DigestSince is when the digest was last turned on: the first digest
	// covers works posted after it.
	DigestSince time.Time
	// FeedToken is the secret of the search's Atom feed URL.
	FeedToken string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DigestSend is one digest mail queued for a reader: at most one per
// reader and period.
type DigestSend struct {
	UserID    int64
	Period    string // "daily:2026-12-03", "weekly:2026-W49"
	Frequency string // "daily" or "weekly"
	SentAt    time.Time
	Works     int
}

// SavedSearches holds readers' saved searches and the digests sent of them.
type SavedSearches interface {
	// SavedSearches lists a reader's searches, oldest first.
	SavedSearches(ctx context.Context, userID int64) ([]SavedSearch, error)
	// SavedSearch is one of a reader's searches, or archive.ErrNotFound.
	SavedSearch(ctx context.Context, userID, id int64) (*SavedSearch, error)
	// SavedSearchByToken is the search a feed token opens, or
	// archive.ErrNotFound.
	SavedSearchByToken(ctx context.Context, token string) (*SavedSearch, error)
	// PutSavedSearch inserts (ID 0, which it then fills) or updates a
	// search; a default search makes the reader's others not default, in
	// the same transaction.
	PutSavedSearch(ctx context.Context, s *SavedSearch) error
	DeleteSavedSearch(ctx context.Context, userID, id int64) error
	// DigestReaders lists the readers with a search of that frequency who
	// have no digest for the period yet.
	DigestReaders(ctx context.Context, frequency, period string) ([]int64, error)
	// LastDigest is when the reader's last digest of that frequency was
	// sent (zero when none was).
	LastDigest(ctx context.Context, userID int64, frequency string) (time.Time, error)
	// RecordDigest records the digest and, when mailKind is not empty,
	// enqueues its mail job, in one transaction. It reports false (and
	// enqueues nothing) when the reader already has a digest for the
	// period: two nodes racing send one.
	RecordDigest(ctx context.Context, d DigestSend, mailKind string, mailPayload []byte) (bool, error)
}
