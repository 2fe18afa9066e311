package site

import (
	"context"

	"quire/internal/archive"
)

// Bio is an account's profile text as viewer may see it: public, except
// that a banned account's bio is shown only to itself and to moderators
// (its works are hidden too). Empty when it wrote none.
func (s *Site) Bio(ctx context.Context, viewer, owner *archive.User) (archive.Rich, error) {
	if owner.Banned && !(viewer != nil && (viewer.ID == owner.ID || viewer.Has(archive.RoleModerator))) {
		return archive.Rich{}, nil
	}
	return s.store.Bio(ctx, owner.ID)
}

// SetBio sanitizes and saves u's bio (rich text, archive.MaxBioLength
// characters); an empty source removes it. Nothing is written when it is
// refused.
func (s *Site) SetBio(ctx context.Context, u *archive.User, source string, f archive.Format) (archive.Rich, error) {
	if u == nil {
		return archive.Rich{}, archive.ErrAuth
	}
	bio, err := archive.PrepareBio(source, f)
	if err != nil {
		return archive.Rich{}, err
	}
	if err := s.store.SetBio(ctx, u.ID, bio); err != nil {
		return archive.Rich{}, err
	}
	return bio, nil
}
