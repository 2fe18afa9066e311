package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// PromptMemes holds prompt memes' prompts (challenge prompts of kind
// archive.PromptPrompt), their claims and the works that fill them.
type PromptMemes interface {
	// AddMemePrompt inserts a prompt with its tags and sets p.ID.
	AddMemePrompt(ctx context.Context, p *archive.Prompt) error
	// UpdateMemePrompt replaces a prompt's title, text, URL, "any" types,
	// anonymity, tags and updated time (archive.ErrNotFound: none).
	UpdateMemePrompt(ctx context.Context, p *archive.Prompt) error
	// DeleteMemePrompt removes a prompt and its claims.
	DeleteMemePrompt(ctx context.Context, id int64) error
	// MemePrompts lists a collection's prompts (kind prompt), by id.
	MemePrompts(ctx context.Context, collectionID int64) ([]*archive.Prompt, error)

	// AddClaim inserts a claim and sets c.ID; a second claim of one user
	// on one prompt is archive.ErrConflict, a missing prompt ErrNotFound.
	AddClaim(ctx context.Context, c *archive.Claim) error
	DeleteClaim(ctx context.Context, id int64) error
	Claim(ctx context.Context, id int64) (*archive.Claim, error)
	// CollectionClaims lists a collection's claims, by id.
	CollectionClaims(ctx context.Context, collectionID int64) ([]archive.Claim, error)
	// UserClaims lists a user's claims in any collection, newest first.
	UserClaims(ctx context.Context, userID int64) ([]archive.Claim, error)
	// WorkClaims lists the claims a work fills, by id.
	WorkClaims(ctx context.Context, workID int64) ([]archive.Claim, error)
	// SetWorkFills makes the claims with the ids those the work fills (at
	// stamps the newly filled), in one transaction: claims it filled and
	// not named any more are unfilled; a claim another work fills is
	// archive.ErrConflict and nothing changes.
	SetWorkFills(ctx context.Context, workID int64, claimIDs []int64, at time.Time) error
}
