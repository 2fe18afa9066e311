package site

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"quire/internal/archive"
	"quire/internal/mail"
)

// Lifetimes of secrets.
const (
	SessionLifetime = 30 * 24 * time.Hour
	ResetLifetime   = 2 * time.Hour
)

// NewSecret returns a random URL-safe token and the hash the store keeps.
func NewSecret() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashSecret(token)
}

// HashSecret is how session ids, API tokens and reset tokens are stored.
func HashSecret(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// SignupInput is the sign-up form.
type SignupInput struct {
	Name, Email, Password, Confirmation string
	Admin                               bool
	// Invitation is the token of the invitation link the visitor followed.
	Invitation string
	// Operator is an account made on the command line: the sign-up policy
	// does not apply.
	Operator bool
}

// Signup creates an account with its default pseud.
func (s *Site) Signup(ctx context.Context, in SignupInput) (*archive.User, error) {
	// Every problem with the form at once, not one per try.
	var errs []error
	name, err := archive.CleanUserName(in.Name)
	if err != nil {
		errs = append(errs, err)
	} else if _, err := s.store.UserByName(ctx, name); err == nil {
		errs = append(errs, archive.Invalid("name", "%q is already taken", name))
	}
	if err := s.checkNameFree(ctx, nil, name); err != nil {
		return nil, err
	}
	email, err := archive.CleanEmail(in.Email)
	if err != nil {
		errs = append(errs, err)
	} else if _, err := s.store.UserByEmail(ctx, email); err == nil {
		errs = append(errs, archive.Invalid("email", "that e-mail address already has an account"))
	}
	if err := archive.CheckNewPassword(in.Password, in.Confirmation); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p, invited, err := s.signupPolicy(ctx, in)
	if err != nil {
		return nil, err
	}
	hash, err := archive.HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	// Subscribers hear of new chapters by e-mail unless they turn it off (as on AO3).
	u := &archive.User{Name: name, Email: email, PasswordHash: hash, CreatedAt: s.Now(), Preferences: archive.Preferences{EmailNotify: true}}
	if in.Admin {
		u.Roles = []string{archive.RoleAdmin}
	}
	if err := s.createAccount(ctx, u, in, p, invited); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return nil, s.takenError(ctx, name)
		}
		return nil, err
	}
	return u, nil
}

func (s *Site) takenError(ctx context.Context, name string) error {
	if _, err := s.store.UserByName(ctx, name); err == nil {
		return archive.Invalid("name", "%q is already taken", name)
	}
	return archive.Invalid("email", "that e-mail address already has an account")
}

// ErrBadLogin is a wrong name or password (deliberately not saying which).
var ErrBadLogin = errors.New("the user name or password is wrong")

// Authenticate checks a name (or e-mail) and password.
func (s *Site) Authenticate(ctx context.Context, login, password string) (*archive.User, error) {
	u, err := s.store.UserByName(ctx, login)
	if errors.Is(err, archive.ErrNotFound) {
		u, err = s.store.UserByEmail(ctx, login)
	}
	if errors.Is(err, archive.ErrNotFound) {
		// Spend the same time as a real check, so timing reveals nothing.
		archive.CheckPassword(dummyHash(), password)
		return nil, ErrBadLogin
	}
	if err != nil {
		return nil, err
	}
	if u.PasswordHash == "" {
		// An account with no password yet (imported) answers as slowly.
		archive.CheckPassword(dummyHash(), password)
		return nil, ErrBadLogin
	}
	if !archive.CheckPassword(u.PasswordHash, password) {
		return nil, ErrBadLogin
	}
	if u.Banned {
		// Said only to whoever knows the password.
		return nil, &archive.BannedError{Reason: u.ModerationReason}
	}
	return u, nil
}

// dummyHash is hashed on the first log-in with an unknown name, not when the
// program loads, where every quire command paid for it (0.35 s, 20 MB).
var dummyHash = sync.OnceValue(func() string {
	h, _ := archive.HashPassword("not a password anyone has")
	return h
})

// StartSession creates a database session and returns its token.
func (s *Site) StartSession(ctx context.Context, u *archive.User) (string, error) {
	token, hash := NewSecret()
	if err := s.store.CreateSession(ctx, hash, u.ID, s.Now().Add(SessionLifetime)); err != nil {
		return "", err
	}
	return token, nil
}

// SessionUser resolves a session token (ErrNotFound when unknown or expired).
func (s *Site) SessionUser(ctx context.Context, token string) (*archive.User, error) {
	return s.store.SessionUser(ctx, HashSecret(token), s.Now())
}

// EndSession logs a session out.
func (s *Site) EndSession(ctx context.Context, token string) error {
	return s.store.DeleteSession(ctx, HashSecret(token))
}

// TokenPrefix starts every API token, so a leaked one is recognisable.
const TokenPrefix = "quire_"

// CreateToken makes an API token for the user.
func (s *Site) CreateToken(ctx context.Context, u *archive.User, name string) (string, error) {
	token, hash := NewSecret()
	if err := s.store.CreateToken(ctx, hash, u.ID, name); err != nil {
		return "", err
	}
	return TokenPrefix + token, nil
}

// TokenUser resolves an API token.
func (s *Site) TokenUser(ctx context.Context, token string) (*archive.User, error) {
	return s.store.TokenUser(ctx, HashSecret(strings.TrimPrefix(token, TokenPrefix)))
}

// ChangePassword sets a new password after checking the current one, and
// ends the user's other sessions.
func (s *Site) ChangePassword(ctx context.Context, u *archive.User, current, password, confirmation, keepSession string) error {
	if !archive.CheckPassword(u.PasswordHash, current) {
		return archive.Invalid("current_password", "is wrong")
	}
	if err := archive.CheckNewPassword(password, confirmation); err != nil {
		return err
	}
	hash, err := archive.HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.store.SetUserPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	return s.store.DeleteUserSessions(ctx, u.ID, HashSecret(keepSession))
}

// ChangeEmail sets a new address after checking the password.
func (s *Site) ChangeEmail(ctx context.Context, u *archive.User, password, email string) error {
	if !archive.CheckPassword(u.PasswordHash, password) {
		return archive.Invalid("password", "is wrong")
	}
	e, err := archive.CleanEmail(email)
	if err != nil {
		return err
	}
	if err := s.store.SetUserEmail(ctx, u.ID, e); err != nil {
		if errors.Is(err, archive.ErrConflict) {
			return archive.Invalid("email", "that e-mail address already has an account")
		}
		return err
	}
	return nil
}

// RequestPasswordReset mails a one-time link to the account with that
// e-mail or name. It says nothing about whether one exists.
func (s *Site) RequestPasswordReset(ctx context.Context, login string) error {
	u, err := s.store.UserByEmail(ctx, login)
	if errors.Is(err, archive.ErrNotFound) {
		u, err = s.store.UserByName(ctx, login)
	}
	if errors.Is(err, archive.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	token, hash := NewSecret()
	if err := s.store.CreatePasswordReset(ctx, hash, u.ID, s.Now().Add(ResetLifetime)); err != nil {
		return err
	}
	link := s.BaseURL + "/password_reset?token=" + url.QueryEscape(token)
	msg := mail.Message{
		To:      u.Email,
		Subject: fmt.Sprintf("[%s] Reset your password", s.Name),
		Text: fmt.Sprintf("Hello %s,\n\nSomeone asked to reset the password of your %s account. To choose a new password, open this link within %d hours:\n\n%s\n\nThe link works once. If you did not ask for this, ignore this message; your password stays as it is.\n",
			u.Name, s.Name, int(ResetLifetime.Hours()), link),
	}
	return mail.Queue(ctx, s.Jobs, msg)
}

// ResetPassword uses a reset token once to set a new password, and ends
// every session of the account.
func (s *Site) ResetPassword(ctx context.Context, token, password, confirmation string) (*archive.User, error) {
	if err := archive.CheckNewPassword(password, confirmation); err != nil {
		return nil, err
	}
	uid, err := s.store.ConsumePasswordReset(ctx, HashSecret(token), s.Now())
	if err != nil {
		return nil, archive.Invalid("token", "this reset link is unknown, used or expired; ask for a new one")
	}
	hash, err := archive.HashPassword(password)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetUserPassword(ctx, uid, hash); err != nil {
		return nil, err
	}
	if err := s.store.DeleteUserSessions(ctx, uid, ""); err != nil {
		return nil, err
	}
	return s.store.UserByID(ctx, uid)
}

// DeleteAccount removes u after checking the password, orphaning or deleting its works.
func (s *Site) DeleteAccount(ctx context.Context, u *archive.User, password string, orphan bool) error {
	if !archive.CheckPassword(u.PasswordHash, password) {
		return archive.Invalid("password", "is wrong")
	}
	deleted, changed, err := s.store.DeleteUser(ctx, u.ID, orphan)
	if err != nil {
		return err
	}
	s.forgetViews() // the account's comments and kudos lose its name
	for _, id := range deleted {
		s.unindex(id)
		s.forget(id)
	}
	s.refreshBookmarks(ctx, u.ID, true)
	for _, id := range changed {
		if err := s.reindex(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
