package site

import (
	"context"
	"errors"
	"strings"

	"quire/internal/archive"
	"quire/internal/text"
)

// Block stops the named user from commenting on, replying to or leaving
// kudos on u's works. Blocking oneself is invalid; a repeat is ErrConflict.
func (s *Site) Block(ctx context.Context, u *archive.User, name string) (*archive.User, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	name = strings.TrimSpace(text.ValidUTF8(name))
	if name == "" {
		return nil, archive.Invalid("name", "can't be blank")
	}
	target, err := s.store.UserByName(ctx, name)
	if errors.Is(err, archive.ErrNotFound) {
		return nil, archive.Invalid("name", "there is no user named %q", name)
	}
	if err != nil {
		return nil, err
	}
	if target.ID == u.ID {
		return nil, archive.Invalid("name", "you can't block yourself")
	}
	if err := s.store.Block(ctx, u.ID, target.ID, s.Now()); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return nil, archive.Explain(archive.ErrConflict, "you have already blocked %s", target.Name)
		}
		return nil, err
	}
	return target, nil
}

// Unblock lifts u's block of the named user (ErrNotFound when there is none).
func (s *Site) Unblock(ctx context.Context, u *archive.User, name string) error {
	if u == nil {
		return archive.ErrAuth
	}
	target, err := s.store.UserByName(ctx, name)
	if err != nil {
		return err
	}
	return s.store.Unblock(ctx, u.ID, target.ID)
}

// BlockedUsers names the users u blocked.
func (s *Site) BlockedUsers(ctx context.Context, u *archive.User) ([]string, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	return s.store.BlockedUsers(ctx, u.ID)
}
