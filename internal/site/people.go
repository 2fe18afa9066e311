package site

import (
	"context"

	"quire/internal/archive"
)

// User looks up an account by name for its public pages (profile, pseuds,
// bookmarks), or archive.ErrNotFound.
func (s *Site) User(ctx context.Context, name string) (*archive.User, error) {
	return s.store.UserByName(ctx, name)
}

// Pseuds lists an account's pseuds, the default first.
func (s *Site) Pseuds(ctx context.Context, userID int64) ([]archive.Pseud, error) {
	return s.store.Pseuds(ctx, userID)
}

// OwnWorks lists every work u is a creator of, drafts and hidden works
// included: the pickers of u's own forms (series), never a reader's listing.
func (s *Site) OwnWorks(ctx context.Context, u *archive.User) ([]*archive.Work, error) {
	ids, err := s.store.WorkIDsByUser(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return s.store.WorksByIDs(ctx, ids)
}

// Redirect is where an old URL of an imported archive now lives, or
// archive.ErrNotFound.
func (s *Site) Redirect(ctx context.Context, key string) (string, error) {
	return s.store.RedirectTarget(ctx, key)
}

// Ping checks that the database answers (the health check).
func (s *Site) Ping(ctx context.Context) error {
	_, err := s.store.CountWorks(ctx)
	return err
}

// PendingJobs counts the jobs waiting in the job table (the metrics).
func (s *Site) PendingJobs(ctx context.Context) (int, error) {
	return s.store.PendingJobs(ctx)
}
