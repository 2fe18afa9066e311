package site

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"quire/internal/archive"
)

// Renaming an account. As on AO3, the default pseud (named after the
// account) takes the new name, so the account's bylines under it change;
// other pseuds stay. The old name redirects (/users/{old}… to the new
// pages) and is held for the account for RenameHold, so nobody else takes
// it at once; after that another account may take it, and the redirect
// gives way. An account may rename once every RenameEvery.
const (
	RenameEvery = 7 * 24 * time.Hour
	RenameHold  = 30 * 24 * time.Hour
)

// checkNameFree refuses a name another account left less than RenameHold
// ago (u may take back its own former name).
func (s *Site) checkNameFree(ctx context.Context, u *archive.User, name string) error {
	owner, at, err := s.store.FormerNameOwner(ctx, name)
	if errors.Is(err, archive.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if (u == nil || owner.ID != u.ID) && s.Now().Before(at.Add(RenameHold)) {
		return archive.Invalid("name", "%q is already taken", name)
	}
	return nil
}

// RenameUser gives u a new account name after checking the password.
func (s *Site) RenameUser(ctx context.Context, u *archive.User, password, name string) (*archive.User, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	if !archive.CheckPassword(u.PasswordHash, password) {
		return nil, archive.Invalid("password", "is not your current password")
	}
	return s.rename(ctx, u, name)
}

// rename is RenameUser without the password (the API, whose token is the
// proof).
func (s *Site) rename(ctx context.Context, u *archive.User, name string) (*archive.User, error) {
	n, err := archive.CleanUserName(name)
	if err != nil {
		return nil, err
	}
	if n == u.Name {
		return nil, archive.Invalid("name", "is already your name")
	}
	if strings.EqualFold(n, "orphan_account") {
		return nil, archive.Invalid("name", "%q is reserved", n)
	}
	if last, err := s.store.FormerNames(ctx, u.ID); err != nil {
		return nil, err
	} else if len(last) > 0 && s.Now().Before(last[0].RenamedAt.Add(RenameEvery)) {
		return nil, archive.Invalid("name", "can be changed once a week; you can change it again after %s",
			last[0].RenamedAt.Add(RenameEvery).UTC().Format("2006-01-02 15:04 UTC"))
	}
	if err := s.checkNameFree(ctx, u, n); err != nil {
		return nil, err
	}
	changed, err := s.store.RenameUser(ctx, u.ID, n, s.Now().Truncate(time.Second))
	if errors.Is(err, archive.ErrConflict) {
		return nil, archive.Invalid("name", "%q is already taken", n)
	}
	if err != nil {
		return nil, fmt.Errorf("rename %s: %w", u.Name, err)
	}
	s.forgetViews() // comments and kudos show the name
	s.reindexAll(ctx, changed)
	return s.store.UserByID(ctx, u.ID)
}

// RenameByToken renames the API token's user (the token is the proof).
func (s *Site) RenameByToken(ctx context.Context, u *archive.User, name string) (*archive.User, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	return s.rename(ctx, u, name)
}

// RenamedTo is the current name of the account that had the old name, for
// redirects, or archive.ErrNotFound (also once another account took it).
func (s *Site) RenamedTo(ctx context.Context, old string) (string, error) {
	if _, err := s.store.UserByName(ctx, old); err == nil {
		return "", fmt.Errorf("%q is a current name: %w", old, archive.ErrNotFound)
	}
	owner, _, err := s.store.FormerNameOwner(ctx, old)
	if err != nil {
		return "", err
	}
	return owner.Name, nil
}
