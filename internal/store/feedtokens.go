package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// FeedTokens holds each reader's secret feed token: a feed URL carrying it
// is read as that reader (restricted works visible, their mutes applied).
type FeedTokens interface {
	// FeedToken is the user's current token, or archive.ErrNotFound when
	// they have none yet.
	FeedToken(ctx context.Context, userID int64) (string, error)
	// SetFeedToken gives the user a token, replacing any earlier one.
	SetFeedToken(ctx context.Context, userID int64, token string, at time.Time) error
	// FeedTokenUser is the owner of a token, or archive.ErrNotFound.
	FeedTokenUser(ctx context.Context, token string) (*archive.User, error)
}
