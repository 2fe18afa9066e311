package store

import (
	"context"

	"quire/internal/archive"
)

// RelatedWorks holds the links from a work to the works it is inspired
// by, translates or remixes.
type RelatedWorks interface {
	// SetRelatedWorks replaces the links the work names, in order. A link
	// to a work here that the work named before keeps its state (a
	// rejected link stays rejected); a new one takes the state given.
	SetRelatedWorks(ctx context.Context, childID int64, links []archive.RelatedWork) error
	// RelatedParents lists the links the work names, by position.
	RelatedParents(ctx context.Context, childID int64) ([]archive.RelatedWork, error)
	// RelatedChildren lists the links naming the work in a state ("" =
	// any), oldest first.
	RelatedChildren(ctx context.Context, parentID int64, state string) ([]archive.RelatedWork, error)
	// UserRelatedLinks lists the links in a state naming works the user
	// created, newest first.
	UserRelatedLinks(ctx context.Context, userID int64, state string) ([]archive.RelatedWork, error)
	// SetRelatedState answers a link to a work here (archive.ErrNotFound
	// when there is none).
	SetRelatedState(ctx context.Context, parentID, childID int64, state string) error
}
